import type { StoredDocument } from '../storage/schema';
import { parseDatePhrase, type DateRange } from '../time/date-phrases';
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
