import type { LibraryDB, StoredChunk, StoredDocument, StoredFile, StoredIndex } from './schema';

/**
 * Every read and write of the library goes through here, so the rules that keep it whole
 * live in one place: a document is written as 'ingesting', its chunks in batches, and it
 * turns 'ready' in the same transaction that bumps the library version.
 */

const LIBRARY_VERSION = 'libraryVersion';

/**
 * Queues a request whose own failure does not matter: when a request fails, its transaction
 * aborts and `tx.done` rejects with the cause that does (QuotaExceededError, say), while the
 * request only reports a generic AbortError. Handling the request here keeps that noise out.
 */
export function queue(request: Promise<unknown>): void {
  request.catch(() => undefined);
}

export function chunkKeyPrefix(docId: string): string {
  return docId.slice(0, 16);
}

export function chunkId(docId: string, seq: number): string {
  return `${chunkKeyPrefix(docId)}:${seq}`;
}

/** The chunk key prefix of the document a chunk id belongs to. */
export function prefixOfChunk(id: string): string {
  return id.slice(0, id.indexOf(':'));
}

function chunkRange(docId: string): IDBKeyRange {
  const prefix = chunkKeyPrefix(docId);
  return IDBKeyRange.bound(`${prefix}:`, `${prefix}:\uffff`);
}

export async function getLibraryVersion(db: LibraryDB): Promise<number> {
  return (await db.get('meta', LIBRARY_VERSION))?.value ?? 0;
}

export async function listReadyDocuments(db: LibraryDB): Promise<StoredDocument[]> {
  const docs = await db.getAllFromIndex('documents', 'byState', 'ready');
  return docs.sort((a, b) => b.addedAt - a.addedAt);
}

export async function listUnfinishedDocuments(db: LibraryDB): Promise<StoredDocument[]> {
  return db.getAllFromIndex('documents', 'byState', 'ingesting');
}

export async function listInterruptedDocuments(db: LibraryDB): Promise<StoredDocument[]> {
  return db.getAllFromIndex('documents', 'byState', 'interrupted');
}

/**
 * Turns a document a closed tab left half-written into an interrupted one: its chunks go
 * (they were never searchable), its record and bytes stay so the import can be resumed.
 */
export async function markInterrupted(db: LibraryDB, id: string): Promise<void> {
  const tx = db.transaction(['documents', 'chunks'], 'readwrite');
  // Read again inside the transaction: another tab may have finished it since it was listed.
  const doc = await tx.objectStore('documents').get(id);
  if (doc && doc.state !== 'ready') {
    queue(tx.objectStore('chunks').delete(chunkRange(id)));
    queue(tx.objectStore('documents').put({ ...doc, state: 'interrupted', chunkCount: 0 }));
  }
  await tx.done;
}

export function getDocument(db: LibraryDB, id: string): Promise<StoredDocument | undefined> {
  return db.get('documents', id);
}

/** Starts a document: its record (state 'ingesting') and its original bytes, in one transaction. */
export async function beginDocument(db: LibraryDB, doc: StoredDocument, bytes: ArrayBuffer, password?: string): Promise<void> {
  const tx = db.transaction(['documents', 'files'], 'readwrite');
  const file = password ? { id: doc.id, bytes, password } : { id: doc.id, bytes };
  queue(tx.objectStore('documents').put({ ...doc, state: 'ingesting' }));
  queue(tx.objectStore('files').put(file));
  await tx.done;
}

/** Records how far an import got, so an interrupted one can say so. */
export async function noteProgress(db: LibraryDB, doc: StoredDocument): Promise<void> {
  await db.put('documents', { ...doc, state: 'ingesting' });
}

/** Writes a batch of chunks in one transaction: hundreds at a time, never one per transaction. */
export async function putChunks(db: LibraryDB, chunks: StoredChunk[]): Promise<void> {
  if (chunks.length === 0) return;
  const tx = db.transaction('chunks', 'readwrite');
  for (const chunk of chunks) queue(tx.store.put(chunk));
  await tx.done;
}

/** Marks a document ready and bumps the library version, atomically. Returns the new version. */
export async function completeDocument(db: LibraryDB, doc: StoredDocument): Promise<number> {
  const tx = db.transaction(['documents', 'meta'], 'readwrite');
  const version = ((await tx.objectStore('meta').get(LIBRARY_VERSION))?.value ?? 0) + 1;
  queue(tx.objectStore('documents').put({ ...doc, state: 'ready' }));
  queue(tx.objectStore('meta').put({ key: LIBRARY_VERSION, value: version }));
  await tx.done;
  return version;
}

/** Removes a document, its bytes and its chunks in one transaction. Returns the new library version. */
export async function deleteDocument(db: LibraryDB, id: string): Promise<number> {
  const tx = db.transaction(['documents', 'files', 'chunks', 'meta'], 'readwrite');
  const version = ((await tx.objectStore('meta').get(LIBRARY_VERSION))?.value ?? 0) + 1;
  queue(tx.objectStore('documents').delete(id));
  queue(tx.objectStore('files').delete(id));
  queue(tx.objectStore('chunks').delete(chunkRange(id)));
  queue(tx.objectStore('meta').put({ key: LIBRARY_VERSION, value: version }));
  await tx.done;
  return version;
}

/**
 * Removes a document that never became ready. The library version stays: such a document
 * was never in the library, nor in any index. A document that has become ready in the
 * meantime (another tab finished it) is left alone: the check and the removal are one
 * transaction.
 */
export async function discardUnfinishedDocument(db: LibraryDB, id: string): Promise<void> {
  const tx = db.transaction(['documents', 'files', 'chunks'], 'readwrite');
  const doc = await tx.objectStore('documents').get(id);
  if (doc?.state !== 'ready') {
    queue(tx.objectStore('documents').delete(id));
    queue(tx.objectStore('files').delete(id));
    queue(tx.objectStore('chunks').delete(chunkRange(id)));
  }
  await tx.done;
}

/**
 * Undoes a document whose writing failed, so none of it stays half-written: one that was an
 * interrupted import before keeps its record and bytes for another try; any other goes.
 * Never throws: it runs where an error is already being reported.
 */
export async function rollBackDocument(db: LibraryDB, id: string, before: StoredDocument | undefined): Promise<void> {
  if (before?.state === 'interrupted') await markInterrupted(db, id).catch(() => undefined);
  else await discardUnfinishedDocument(db, id).catch(() => undefined);
}

export function getFile(db: LibraryDB, id: string): Promise<StoredFile | undefined> {
  return db.get('files', id);
}

export async function getChunks(db: LibraryDB, ids: string[]): Promise<(StoredChunk | undefined)[]> {
  const tx = db.transaction('chunks');
  const chunks = await Promise.all(ids.map((id) => tx.store.get(id)));
  await tx.done;
  return chunks;
}

export async function getDocumentChunks(db: LibraryDB, docId: string): Promise<StoredChunk[]> {
  const chunks = await db.getAll('chunks', chunkRange(docId));
  return chunks.sort((a, b) => a.seq - b.seq);
}

/** Visits every chunk of the library in key order, a batch at a time, to rebuild the index without holding them all. */
export async function forEachChunkBatch(db: LibraryDB, batchSize: number, visit: (chunks: StoredChunk[]) => void | Promise<void>): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const range: IDBKeyRange | undefined = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
    const batch: StoredChunk[] = await db.getAll('chunks', range, batchSize);
    if (batch.length === 0) return;
    await visit(batch);
    after = batch[batch.length - 1].id;
  }
}

export function loadSearchIndex(db: LibraryDB, name: string): Promise<StoredIndex | undefined> {
  return db.get('searchIndex', name);
}

export async function saveSearchIndex(db: LibraryDB, index: StoredIndex): Promise<void> {
  await db.put('searchIndex', index);
}
