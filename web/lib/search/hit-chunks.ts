import type { LibraryDB, StoredChunk } from '../storage/schema';
import { getChunks } from '../storage/library';
import type { IndexHit } from './index';

export interface HitWithChunk {
  hit: IndexHit;
  chunk: StoredChunk;
}

/**
 * The hits, best first, with their chunks (hits whose chunk is gone are passed over). Chunks
 * are read a batch at a time as the caller goes on: a caller that has what it needs after
 * the first batch reads no more.
 */
export async function* hitsWithChunks(db: LibraryDB, hits: IndexHit[], batchSize: number): AsyncGenerator<HitWithChunk> {
  const size = Math.max(1, batchSize);
  for (let from = 0; from < hits.length; from += size) {
    const batch = hits.slice(from, from + size);
    const chunks = await getChunks(db, batch.map((h) => h.chunkId));
    for (let i = 0; i < batch.length; i++) {
      const chunk = chunks[i];
      if (chunk) yield { hit: batch[i], chunk };
    }
  }
}
