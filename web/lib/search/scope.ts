import type { StoredDocument } from '../storage/schema';
import { parseDatePhrase, questionPeriod, type DateRange } from '../time/date-phrases';
import { siteOf } from '../provenance/site';

/**
 * Where search and chat look: a period of saving and a site. A document's date is when it
 * was saved (from the file where it says so), else when it was added here.
 */

export interface Scope {
  range: DateRange | null;
  /** How the period was chosen, for display ("last week"). */
  rangeLabel: string;
  site: string | null;
}

export const WHOLE_LIBRARY: Scope = { range: null, rangeLabel: '', site: null };

export const PERIODS = ['today', 'yesterday', 'this week', 'last week', 'this month', 'last month', 'this year', 'last year'] as const;
export type Period = (typeof PERIODS)[number];

export function periodRange(period: Period, now = new Date()): DateRange | null {
  return parseDatePhrase(period, now)?.range ?? null;
}

/**
 * The filter as the person set it in the page, kept as chosen rather than as a range so that
 * "today" still means today after midnight, and so that it can be kept across a reload.
 * `period` is '' (any time), one of PERIODS, "month:2024-03", or "custom" (then `from` and
 * `to` are days as a date input gives them, "2024-03-13", either may be empty).
 */
export interface ScopeChoice {
  period: string;
  from: string;
  to: string;
  site: string;
}

export const NO_CHOICE: ScopeChoice = { period: '', from: '', to: '', site: '' };

const MONTH_KEY = /^month:(\d{4})-(\d{2})$/;
const DAY_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayOf(text: string): Date | null {
  const match = DAY_INPUT.exec(text);
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

function longDay(date: Date): string {
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}

function monthLabel(year: number, month: number): string {
  return new Date(year, month, 1).toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
}

/** The scope a choice means at `now`. */
export function scopeOfChoice(choice: ScopeChoice, now = new Date()): Scope {
  const site = choice.site || null;
  if ((PERIODS as readonly string[]).includes(choice.period)) {
    const period = choice.period as Period;
    return { range: periodRange(period, now), rangeLabel: period, site };
  }
  const month = MONTH_KEY.exec(choice.period);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2]) - 1];
    return { range: { from: new Date(y, m, 1).getTime(), to: new Date(y, m + 1, 1).getTime() }, rangeLabel: `in ${monthLabel(y, m)}`, site };
  }
  if (choice.period === 'custom') {
    let [from, to] = [dayOf(choice.from), dayOf(choice.to)];
    if (from && to && from > to) [from, to] = [to, from];
    if (!from && !to) return { range: null, rangeLabel: '', site };
    const end = to ? new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1).getTime() : Infinity;
    const label = from && to ? `from ${longDay(from)} to ${longDay(to)}` : from ? `since ${longDay(from)}` : `until ${longDay(to as Date)}`;
    return { range: { from: from ? from.getTime() : -Infinity, to: end }, rangeLabel: label, site };
  }
  return { range: null, rangeLabel: '', site };
}

/** The months the library's documents were saved in, newest first, for choosing one. */
export function monthsOf(docs: readonly StoredDocument[]): { value: string; label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const doc of docs) {
    const date = new Date(documentDate(doc));
    const key = `month:${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([value, count]) => {
      const [, y, m] = MONTH_KEY.exec(value) as RegExpExecArray;
      return { value, label: monthLabel(Number(y), Number(m) - 1), count };
    });
}

/** Milliseconds until the next local midnight, when "today" and "this week" move on. */
export function untilMidnight(now = new Date()): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime() - now.getTime();
}

const CHOICE_KEY = 'memory-cache:scope';

/** The choice kept for this tab (sessionStorage), or none. */
export function loadChoice(storage: Pick<Storage, 'getItem'> | undefined): ScopeChoice {
  try {
    const kept: unknown = JSON.parse(storage?.getItem(CHOICE_KEY) ?? 'null');
    if (typeof kept !== 'object' || kept === null) return { ...NO_CHOICE };
    const field = (name: keyof ScopeChoice) => {
      const value = (kept as Record<string, unknown>)[name];
      return typeof value === 'string' ? value : '';
    };
    return { period: field('period'), from: field('from'), to: field('to'), site: field('site') };
  } catch {
    return { ...NO_CHOICE };
  }
}

export function saveChoice(storage: Pick<Storage, 'setItem'> | undefined, choice: ScopeChoice): void {
  try {
    storage?.setItem(CHOICE_KEY, JSON.stringify(choice));
  } catch {
    // Storage can be full or switched off: the filter then lasts until the page is closed.
  }
}

export function documentDate(doc: StoredDocument): number {
  return doc.savedAt ?? doc.addedAt;
}

export function documentSite(doc: StoredDocument): string {
  return doc.sourceUrl ? siteOf(doc.sourceUrl) : '';
}

export function inScope(doc: StoredDocument, scope: Scope): boolean {
  if (scope.range) {
    const when = documentDate(doc);
    if (when < scope.range.from || when >= scope.range.to) return false;
  }
  return scope.site === null || documentSite(doc) === scope.site;
}

export function countInScope(docs: readonly StoredDocument[], scope: Scope): number {
  if (isWholeLibrary(scope)) return docs.length;
  let count = 0;
  for (const doc of docs) if (inScope(doc, scope)) count++;
  return count;
}

export function isWholeLibrary(scope: Scope): boolean {
  return scope.range === null && scope.site === null;
}

/** The sites of the library, most documents first. */
export function sitesOf(docs: StoredDocument[]): { site: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const doc of docs) {
    const site = documentSite(doc);
    if (site) counts.set(site, (counts.get(site) ?? 0) + 1);
  }
  return [...counts].map(([site, count]) => ({ site, count })).sort((a, b) => b.count - a.count || a.site.localeCompare(b.site));
}

/** "saved last week from example.org", or '' for the whole library. */
export function describeScope(scope: Scope): string {
  if (isWholeLibrary(scope)) return '';
  return ['saved', scope.rangeLabel, scope.site ? `from ${scope.site}` : ''].filter(Boolean).join(' ');
}

export interface QuestionScope {
  scope: Scope;
  /** What to search for: the question without a period phrase it named. */
  query: string;
  /** The period the question named (or the question it follows up on), as written; null when none was taken. */
  phrase: string | null;
}

/**
 * Where a chat question searches: the period chosen in the page, else one the question names
 * beside a verb of saving ("what did I save about tides last week?"), else the one the
 * previous question named, so that a follow-up stays in the same period.
 * `usePhrase: false` is the person's choice to search without the question's period.
 */
export function questionScope(question: string, previousQuestion: string, chosen: Scope, options: { now?: Date; usePhrase?: boolean } = {}): QuestionScope {
  if (chosen.range || options.usePhrase === false) return { scope: chosen, query: question, phrase: null };
  const now = options.now ?? new Date();
  const own = questionPeriod(question, now);
  const period = own ?? (previousQuestion ? questionPeriod(previousQuestion, now) : null);
  if (!period) return { scope: chosen, query: question, phrase: null };
  return { scope: { ...chosen, range: period.range, rangeLabel: period.phrase }, query: own ? own.rest : question, phrase: period.phrase };
}

/**
 * The days of a relative period, for a note that is kept: "yesterday" read a week later
 * must still say which day it was. Empty when the label names its dates already.
 */
export function periodDays(scope: Scope, locale?: string): string {
  const range = scope.range;
  if (!range || !Number.isFinite(range.from) || !Number.isFinite(range.to) || /\d/.test(scope.rangeLabel)) return '';
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric' });
  const last = new Date(range.to - 1);
  return new Date(range.from).toDateString() === last.toDateString() ? format.format(range.from) : format.formatRange(range.from, last);
}

/** The note kept under an answer limited to a scope, saying so, with the days, and saying when the scope held no documents. */
export function scopeNotice(scope: Scope, docs: readonly StoredDocument[]): string | undefined {
  if (isWholeLibrary(scope)) return undefined;
  const days = periodDays(scope);
  const described = days ? describeScope({ ...scope, rangeLabel: `${scope.rangeLabel} (${days})` }) : describeScope(scope);
  if (countInScope(docs, scope) === 0) return `No document in your library was ${described}, so this answer does not draw on your documents.`;
  return `Only documents ${described} were searched.`;
}
