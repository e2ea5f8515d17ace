import type { LibraryDB, StoredDocument, StoredIndex } from '../storage/schema';
import { forEachChunkBatch, getLibraryVersion, listReadyDocuments, loadSearchIndex, saveSearchIndex } from '../storage/library';
import { yieldToMessages } from '../scheduling';
import { LibraryIndex, SEARCH_VERSION, type IndexableChunk } from './index';

/**
 * The search index lives in memory and is persisted to IndexedDB with the library version
 * it reflects. At start the saved copy is used when its version matches the library's;
 * otherwise (never saved, saved before the last change, or by an older release) the index is
 * rebuilt from the stored chunks, which are the source of truth.
 */

const INDEX_NAME = 'chunks';
const REBUILD_BATCH = 500;

export interface OpenedIndex {
  index: LibraryIndex;
  libraryVersion: number;
  rebuilt: boolean;
}

/** `inOneGo`: load without yielding, for a worker (see LibraryIndex.fromJSON). */
export async function openPersistedIndex(db: LibraryDB, inOneGo = false): Promise<OpenedIndex> {
  const libraryVersion = await getLibraryVersion(db);
  const stored = await loadSearchIndex(db, INDEX_NAME);
  if (stored && stored.libraryVersion === libraryVersion && stored.searchVersion === SEARCH_VERSION) {
    try {
      return { index: await LibraryIndex.fromJSON(stored.json, inOneGo), libraryVersion, rebuilt: false };
    } catch {
      // A damaged copy is no loss: the chunks rebuild it below.
    }
  }
  const index = await rebuildIndex(db);
  // The write is begun before this returns, so it comes before any later one, but not
  // awaited: the rebuilt index answers at once, and a copy that fails to save is only rebuilt
  // again next time. Chromium queues a write behind any write another tab has open, whatever
  // its stores, and the library would wait on that to become searchable.
  void saveSearchIndex(db, await indexRecord(index, libraryVersion)).catch(() => undefined);
  return { index, libraryVersion, rebuilt: true };
}

export async function rebuildIndex(db: LibraryDB): Promise<LibraryIndex> {
  const docs = new Map((await listReadyDocuments(db)).map((d) => [d.id, d]));
  const index = LibraryIndex.empty();
  await forEachChunkBatch(db, REBUILD_BATCH, async (chunks) => {
    index.add(indexableChunks(chunks, docs));
    await yieldToMessages();
  });
  return index;
}

/** Only chunks of ready documents are searchable. */
export function indexableChunks(chunks: { id: string; docId: string; text: string }[], docs: Map<string, Pick<StoredDocument, 'title'>>): IndexableChunk[] {
  const result: IndexableChunk[] = [];
  for (const chunk of chunks) {
    const doc = docs.get(chunk.docId);
    if (doc) result.push({ id: chunk.id, title: doc.title, text: chunk.text });
  }
  return result;
}

/** `pause`: see LibraryIndex.toJSON. */
export async function persistIndex(db: LibraryDB, index: LibraryIndex, libraryVersion: number, pause?: () => Promise<void>): Promise<void> {
  await saveSearchIndex(db, await indexRecord(index, libraryVersion, pause));
}

async function indexRecord(index: LibraryIndex, libraryVersion: number, pause?: () => Promise<void>): Promise<StoredIndex> {
  return { name: INDEX_NAME, libraryVersion, searchVersion: SEARCH_VERSION, json: await index.toJSON(pause) };
}
