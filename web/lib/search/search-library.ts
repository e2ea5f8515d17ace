import type { LibraryDB, StoredDocument } from '../storage/schema';
import type { SearchableIndex } from './index';
import { snippet, type TextPiece } from './snippet';
import { hitsWithChunks } from './hit-chunks';
import { pageAtOffset } from '../text/chunk';

export interface SearchResultItem {
  chunkId: string;
  doc: StoredDocument;
  page: number;
  score: number;
  pieces: TextPiece[];
  /** Stemmed terms that matched, to highlight them in the viewer. */
  terms: string[];
}

/**
 * Searches the index and dresses the best hits for display. Overlapping chunks of one page
 * would show the same passage twice, so each page appears once, with its best chunk.
 */
export async function searchLibrary(
  db: LibraryDB,
  index: SearchableIndex,
  docs: Map<string, StoredDocument>,
  query: string,
  limit = 20,
  /** Only chunks of these documents (by chunk key prefix); all when absent. */
  prefixes?: ReadonlySet<string> | null,
): Promise<SearchResultItem[]> {
  if (query.trim().length === 0) return [];
  // A few more hits than results: two chunks of one page show as one result.
  const hits = await index.search(query, limit + 10, prefixes);
  const seenPages = new Set<string>();
  const results: SearchResultItem[] = [];
  for await (const { hit, chunk, doc } of hitsWithChunks(db, hits, docs, limit)) {
    const { pieces, focus } = snippet(chunk.text, hit.terms);
    // A chunk that spans pages cites the page where its matches are.
    const page = pageAtOffset(chunk, focus);
    const pageKey = `${doc.id}:${page}`;
    if (seenPages.has(pageKey)) continue;
    seenPages.add(pageKey);
    results.push({ chunkId: chunk.id, doc, page, score: hit.score, pieces, terms: hit.terms });
    if (results.length >= limit) break;
  }
  return results;
}
