import type { LibraryDB, StoredChunk } from '../storage/schema';
import { getChunks } from '../storage/library';
import type { IndexHit } from './index';
import { listingWeight } from '../text/listings';
import { phraseWeight, queryPairs } from './phrases';

/** What a hit's score is multiplied by, for what only its text shows; `phrases` off is for the ranking evaluation. */
export function textWeigher(query: string, { phrases = true } = {}): (text: string) => number {
  const pairs = queryPairs(phrases ? query : '');
  return (text) => listingWeight(text) * phraseWeight(pairs, text);
}

export type TextWeigher = typeof textWeigher;

export interface HitWithChunk {
  hit: IndexHit;
  chunk: StoredChunk;
}

/**
 * The hits with their chunks, best first once what only the text shows is weighed in: a
 * table of contents or an index goes below the pages it lists (listingWeight), a passage
 * that holds the query's words side by side above one where they are scattered
 * (phraseWeight). Only the hits given are weighed (the search box asks for a few more than
 * it shows, the chat for six times the passages it wants): a hit the index ranked below them
 * cannot come back. Hits whose chunk is gone are passed over. The chunks are read in one
 * transaction: their order is only known once all are read.
 */
export async function rankedHitsWithChunks(db: LibraryDB, hits: IndexHit[], query: string, weigher: TextWeigher = textWeigher): Promise<HitWithChunk[]> {
  const weigh = weigher(query);
  const chunks = await getChunks(db, hits.map((h) => h.chunkId));
  const ranked: HitWithChunk[] = [];
  hits.forEach((hit, i) => {
    const chunk = chunks[i];
    if (chunk) ranked.push({ hit: { ...hit, score: hit.score * weigh(chunk.text) }, chunk });
  });
  // Stable: hits the text does not tell apart keep the index's order.
  return ranked.sort((a, b) => b.hit.score - a.hit.score);
}
