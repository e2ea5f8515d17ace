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
 * Falls back to the file's own date when nothing in the file says when it was saved: for a
 * downloaded or saved page that is the moment it landed on disk, which is close enough.
 */
export function withFileDate(provenance: Provenance, lastModified: number | undefined): Provenance {
  if (provenance.savedAt !== undefined || lastModified === undefined || !(lastModified > 0)) return provenance;
  return { ...provenance, savedAt: lastModified, evidence: { ...provenance.evidence, savedAt: 'file-date' } };
}
