import type { LibraryDB, StoredDocument } from '../storage/schema';
import type { SearchableIndex } from './index';
import { snippet, type TextPiece } from './snippet';
import { rankedHitsWithChunks, textWeigher, type TextWeigher } from './hit-chunks';
import { pageAtOffset } from '../text/chunk';
import type { LibrarySearcher } from './searcher';
import { withListedDocuments } from './listed-documents';

/** A page that matched, as found beside the index: everything but its document's record. */
export interface PageHit {
  chunkId: string;
  docId: string;
  page: number;
  score: number;
  pieces: TextPiece[];
  /** Stemmed terms that matched, to highlight them in the viewer. */
  terms: string[];
}

export interface SearchResultItem extends PageHit {
  doc: StoredDocument;
}

/**
 * The best pages for a query, with snippets; run where the index is (its worker), so the
 * page gets finished results in one message. Overlapping chunks of one page would show the
 * same passage twice, so each page appears once, with its best chunk.
 */
export async function findPages(
  db: LibraryDB,
  index: SearchableIndex,
  query: string,
  limit: number,
  /** Only chunks of these documents (by chunk key prefix); all when absent. */
  prefixes?: ReadonlySet<string> | null,
  weigher: TextWeigher = textWeigher,
): Promise<PageHit[]> {
  if (limit <= 0 || query.trim().length === 0) return [];
  // A few more hits than results: two chunks of one page show as one result.
  const hits = await index.search(query, limit + 10, prefixes);
  const seenPages = new Set<string>();
  /** Documents with a result whose text holds none of the query's words: it matched by its title. */
  const foundByTitle = new Set<string>();
  const results: PageHit[] = [];
  for (const { hit, chunk } of await rankedHitsWithChunks(db, hits, query, weigher)) {
    const { pieces, focus } = snippet(chunk.text, hit.terms);
    // Every chunk of a document matches a word of its title: one of them stands for the
    // document, not a page of results each, in no telling order.
    if (!pieces.some((piece) => piece.hit)) {
      if (foundByTitle.has(chunk.docId)) continue;
      foundByTitle.add(chunk.docId);
    }
    // A chunk that spans pages cites the page where its matches are.
    const page = pageAtOffset(chunk, focus);
    const pageKey = `${chunk.docId}:${page}`;
    if (seenPages.has(pageKey)) continue;
    seenPages.add(pageKey);
    results.push({ chunkId: chunk.id, docId: chunk.docId, page, score: hit.score, pieces, terms: hit.terms });
    if (results.length >= limit) break;
  }
  return results;
}

/** The search box's results: the pages found, with their documents (of those still in the library). */
export async function searchLibrary(
  searcher: LibrarySearcher,
  docs: Map<string, StoredDocument>,
  query: string,
  limit = 20,
  prefixes?: ReadonlySet<string> | null,
): Promise<SearchResultItem[]> {
  if (query.trim().length === 0) return [];
  return withListedDocuments(await searcher.searchPages(query, limit, prefixes), docs, (hit, doc) => ({ ...hit, doc }));
}
