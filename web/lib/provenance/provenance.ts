/**
 * Where a saved document came from and when it was saved. Each field remembers which part
 * of the file it was read from, because the sources differ in how far they can be trusted: a
 * browser's own record of a save beats a page's claim about itself, and the file's date is
 * only a guess.
 */

export type ProvenanceSource =
  | 'pdf-metadata'
  | 'print-header'
  | 'canonical-link'
  | 'og-url'
  | 'twitter-url'
  | 'html-meta'
  | 'saved-from-comment'
  | 'singlefile-comment'
  | 'mhtml-headers'
  | 'front-matter'
  | 'savepage-meta'
  | 'file-name'
  | 'file-date';

export interface Provenance {
  /** The page's address, as the file records it. */
  sourceUrl?: string;
  /** When the page was saved (ms since the epoch). */
  savedAt?: number;
  /** When the page says it was published: never taken for the date it was saved. */
  publishedAt?: number;
  evidence: { sourceUrl?: ProvenanceSource; savedAt?: ProvenanceSource; publishedAt?: ProvenanceSource };
}

type ProvenanceField = 'sourceUrl' | 'savedAt' | 'publishedAt';
const FIELDS: ProvenanceField[] = ['sourceUrl', 'savedAt', 'publishedAt'];

export function emptyProvenance(): Provenance {
  return { evidence: {} };
}

/** Field by field, the first source that has a value wins: pass the most trusted first. */
export function mergeProvenance(...sources: Provenance[]): Provenance {
  const merged: Provenance = emptyProvenance();
  for (const field of FIELDS) {
    const source = sources.find((p) => p[field] !== undefined);
    if (!source) continue;
    if (field === 'sourceUrl') merged.sourceUrl = source.sourceUrl;
    else merged[field] = source[field];
    merged.evidence[field] = source.evidence[field];
  }
  return merged;
}

/**
 * The moment in a file name that Memory Cache's Firefox extension gave what it saved:
 * "PAGE2023-11-02T14.05.33.123Z019.pdf" (a page printed to PDF), "NOTE….txt" (a note); the
 * extension wrote the UTC time of saving with ":" made ".", and a stray "019" after it.
 */
export function dateFromFileName(fileName: string): number | undefined {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const match = /^(?:PAGE|NOTE)(\d{4})-(\d{2})-(\d{2})T(\d{2})\.(\d{2})\.(\d{2})(?:\.(\d{1,3}))?Z/.exec(name);
  if (!match) return undefined;
  const [y, mo, d, h, mi, s, ms = '0'] = match.slice(1).map((part) => part ?? '0');
  const time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
  // Date.UTC rolls 31 February over into March: such a name is not the extension's.
  return new Date(time).getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60 ? time : undefined;
}

/**
 * Falls back, when nothing in the file says when it was saved, to the time in its name when
 * Memory Cache's extension named it, else to the file's own date: for a downloaded or saved
 * page that is the moment it landed on disk, which is close enough.
 */
export function withFileDate(provenance: Provenance, lastModified: number | undefined, fileName = ''): Provenance {
  if (provenance.savedAt !== undefined) return provenance;
  const named = dateFromFileName(fileName);
  if (named !== undefined) return { ...provenance, savedAt: named, evidence: { ...provenance.evidence, savedAt: 'file-name' } };
  if (lastModified === undefined || !(lastModified > 0)) return provenance;
  return { ...provenance, savedAt: lastModified, evidence: { ...provenance.evidence, savedAt: 'file-date' } };
}
