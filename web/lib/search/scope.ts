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

/** The note under an answer limited to a scope, saying so, and saying when the scope held no documents. */
export function scopeNotice(scope: Scope, docs: readonly StoredDocument[]): string | undefined {
  if (isWholeLibrary(scope)) return undefined;
  const described = describeScope(scope);
  if (countInScope(docs, scope) === 0) return `No document in your library was ${described}, so this answer does not draw on your documents.`;
  return `Only documents ${described} were searched.`;
}
