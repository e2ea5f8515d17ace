import type { StoredDocument } from './storage/schema';
import { documentDate, documentSite } from './search/scope';

/** How the library list can be ordered and narrowed, for people with thousands of documents. */

export type SortKey = 'added' | 'saved' | 'title' | 'size' | 'site';

export const SORT_KEYS: [SortKey, string][] = [
  ['added', 'recently added'],
  ['saved', 'date saved'],
  ['title', 'title'],
  ['size', 'size'],
  ['site', 'site'],
];

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** How each order reads, its usual way first: dates newest first, sizes largest first, names A to Z. */
export function sortDirections(key: SortKey): [usual: string, reversed: string] {
  switch (key) {
    case 'added':
    case 'saved':
      return ['newest first', 'oldest first'];
    case 'size':
      return ['largest first', 'smallest first'];
    case 'title':
    case 'site':
      return ['A to Z', 'Z to A'];
  }
}

/** The documents in the order `key` gives, or its reverse (documents without a site stay last). */
export function sortDocuments(docs: StoredDocument[], key: SortKey, reversed = false): StoredDocument[] {
  const sorted = ordered(docs, key);
  if (!reversed) return sorted;
  if (key !== 'site') return sorted.reverse();
  const withSite = sorted.filter((doc) => documentSite(doc) !== '');
  return [...ordered(withSite, key).reverse(), ...sorted.slice(withSite.length)];
}

function ordered(docs: StoredDocument[], key: SortKey): StoredDocument[] {
  const sorted = [...docs];
  switch (key) {
    case 'added':
      return sorted.sort((a, b) => b.addedAt - a.addedAt);
    case 'saved':
      return sorted.sort((a, b) => documentDate(b) - documentDate(a));
    case 'title':
      return sorted.sort((a, b) => collator.compare(a.title, b.title));
    case 'size':
      return sorted.sort((a, b) => b.size - a.size);
    case 'site':
      // Documents without a site go last, and each site's newest first.
      return sorted.sort((a, b) => {
        const [sa, sb] = [documentSite(a), documentSite(b)];
        if (sa !== sb) return !sa ? 1 : !sb ? -1 : collator.compare(sa, sb);
        return documentDate(b) - documentDate(a);
      });
  }
}

/** Documents whose title, file name or site holds every word typed, in any order. */
export function filterDocuments(docs: StoredDocument[], text: string): StoredDocument[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return docs;
  return docs.filter((doc) => {
    const haystack = `${doc.title} ${doc.fileName} ${documentSite(doc)}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
