import type { LibraryDB, StoredChunk } from '../storage/schema';
import { getChunks } from '../storage/library';
import type { IndexHit } from './index';
import { listingWeight } from '../text/listings';
import { phraseWeight } from './phrases';
import { searchTerms } from './terms';

/** What a hit's score is multiplied by, for what only its text shows. */
export type TextWeight = (text: string, queryTerms: string[]) => number;

export const textWeight: TextWeight = (text, queryTerms) => listingWeight(text) * phraseWeight(queryTerms, text);

export interface HitWithChunk {
  hit: IndexHit;
  chunk: StoredChunk;
}

/**
 * The hits with their chunks, best first once what only the text shows is weighed in: a
 * table of contents or an index goes below the pages it lists (listingWeight), a passage
 * that holds the query's words side by side above one where they are scattered
 * (phraseWeight). Hits whose
 * chunk is gone are passed over. The chunks are read in one transaction: a few dozen, and
 * their order is only known once all are read.
 */
export async function rankedHitsWithChunks(db: LibraryDB, hits: IndexHit[], query: string, weigh: TextWeight = textWeight): Promise<HitWithChunk[]> {
  const queryTerms = searchTerms(query);
  const chunks = await getChunks(db, hits.map((h) => h.chunkId));
  const ranked: HitWithChunk[] = [];
  hits.forEach((hit, i) => {
    const chunk = chunks[i];
    if (chunk) ranked.push({ hit: { ...hit, score: hit.score * weigh(chunk.text, queryTerms) }, chunk });
  });
  // Stable: hits the text does not tell apart keep the index's order.
  return ranked.sort((a, b) => b.hit.score - a.hit.score);
}
