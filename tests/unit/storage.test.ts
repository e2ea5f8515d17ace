import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLibraryDB, SCHEMA_VERSION, type StoredChunk, type StoredDocument } from '../../web/lib/storage/schema';
import {
  beginDocument,
  chunkId,
  completeDocument,
  deleteDocument,
  discardUnfinishedDocument,
  getDocumentChunks,
  getFile,
  getLibraryVersion,
  listReadyDocuments,
  listUnfinishedDocuments,
  putChunks,
} from '../../web/lib/storage/library';
import { openPersistedIndex, persistIndex } from '../../web/lib/search/persisted-index';

let dbCount = 0;
const freshDb = () => openLibraryDB(`test-${++dbCount}-${Date.now()}`);

function makeDoc(id: string, title = `Doc ${id.slice(0, 4)}`): StoredDocument {
  return { id, title, fileName: `${title}.pdf`, size: 10, mimeType: 'application/pdf', pageCount: 1, chunkCount: 0, textChars: 0, addedAt: Date.now(), state: 'ingesting' };
}

function makeChunks(docId: string, texts: string[]): StoredChunk[] {
  return texts.map((text, seq) => ({ id: chunkId(docId, seq), docId, seq, text, page: 1, pageStart: 1, pageEnd: 1, pageBreaks: [] }));
}

const idA = 'a'.repeat(64);
const idB = 'b'.repeat(64);

async function addReady(db: Awaited<ReturnType<typeof freshDb>>, id: string, texts: string[], title?: string) {
  const doc = makeDoc(id, title);
  await beginDocument(db, doc, new Uint8Array([1, 2, 3]).buffer);
  await putChunks(db, makeChunks(id, texts));
  return completeDocument(db, { ...doc, chunkCount: texts.length });
}

describe('library storage', () => {
  it('creates the current schema', async () => {
    const db = await freshDb();
    expect(db.version).toBe(SCHEMA_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['chunks', 'conversations', 'documents', 'files', 'meta', 'searchIndex', 'settings']);
  });

  it('upgrades a library made by the first release in place, keeping its documents', async () => {
    const name = `v1-${Date.now()}`;
    // The first release's schema, written with the raw API as that release left it.
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => {
        const db = open.result;
        db.createObjectStore('documents', { keyPath: 'id' }).createIndex('byState', 'state');
        db.createObjectStore('files', { keyPath: 'id' });
        db.createObjectStore('chunks', { keyPath: 'id' });
        db.createObjectStore('searchIndex', { keyPath: 'name' });
        db.createObjectStore('meta', { keyPath: 'key' });
        open.transaction?.objectStore('documents').put({ ...makeDoc(idA, 'Old doc'), state: 'ready' });
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
    const db = await openLibraryDB(name);
    expect(db.version).toBe(SCHEMA_VERSION);
    expect((await listReadyDocuments(db)).map((d) => d.title)).toEqual(['Old doc']);
    await db.put('conversations', { id: 'c1', title: 'Hello', createdAt: 1, updatedAt: 1, messages: [] });
    expect(await db.count('conversations')).toBe(1);
  });

  it('shows a document only once it is complete', async () => {
    const db = await freshDb();
    const doc = makeDoc(idA);
    await beginDocument(db, doc, new Uint8Array([9, 8, 7]).buffer);
    await putChunks(db, makeChunks(idA, ['one', 'two']));
    expect(await listReadyDocuments(db)).toEqual([]);
    expect((await listUnfinishedDocuments(db)).map((d) => d.id)).toEqual([idA]);
    const version = await completeDocument(db, { ...doc, chunkCount: 2 });
    expect(version).toBe(1);
    expect((await listReadyDocuments(db)).map((d) => d.state)).toEqual(['ready']);
    expect(new Uint8Array((await getFile(db, idA))?.bytes as ArrayBuffer)).toEqual(new Uint8Array([9, 8, 7]));
  });

  it('discards a half-written document entirely, without touching others', async () => {
    const db = await freshDb();
    await addReady(db, idB, ['kept']);
    await beginDocument(db, makeDoc(idA), new ArrayBuffer(4));
    await putChunks(db, makeChunks(idA, ['partial']));
    await discardUnfinishedDocument(db, idA);
    expect(await db.get('documents', idA)).toBeUndefined();
    expect(await getFile(db, idA)).toBeUndefined();
    expect(await getDocumentChunks(db, idA)).toEqual([]);
    expect((await getDocumentChunks(db, idB)).map((c) => c.text)).toEqual(['kept']);
    expect(await getLibraryVersion(db)).toBe(1);
  });

  it('deletes a document with its bytes and chunks and bumps the version', async () => {
    const db = await freshDb();
    await addReady(db, idA, ['a1', 'a2']);
    await addReady(db, idB, ['b1']);
    expect(await deleteDocument(db, idA)).toBe(3);
    expect((await listReadyDocuments(db)).map((d) => d.id)).toEqual([idB]);
    expect(await getDocumentChunks(db, idA)).toEqual([]);
    expect(await db.count('chunks')).toBe(1);
  });

  it('writes chunks in order and reads them back by document', async () => {
    const db = await freshDb();
    const texts = Array.from({ length: 450 }, (_, i) => `chunk ${i}`);
    await addReady(db, idA, texts);
    const back = await getDocumentChunks(db, idA);
    expect(back.map((c) => c.text)).toEqual(texts);
  });
});

describe('persisted search index', () => {
  it('is rebuilt from the chunks when missing, then reused while current', async () => {
    const db = await freshDb();
    await addReady(db, idA, ['The oxygen tank exploded on the way to the Moon.'], 'Apollo 13');
    const first = await openPersistedIndex(db);
    expect(first.rebuilt).toBe(true);
    expect(first.index.search('oxygen tank').map((h) => h.chunkId)).toEqual([chunkId(idA, 0)]);
    const second = await openPersistedIndex(db);
    expect(second.rebuilt).toBe(false);
    expect(second.index.search('oxygen').map((h) => h.chunkId)).toEqual([chunkId(idA, 0)]);
  });

  it('is rebuilt when the library changed after it was saved', async () => {
    const db = await freshDb();
    await addReady(db, idA, ['Sourdough starter needs feeding.'], 'Bread');
    const { index, libraryVersion } = await openPersistedIndex(db);
    await persistIndex(db, index, libraryVersion);
    await addReady(db, idB, ['Pour-over coffee needs a gooseneck kettle.'], 'Coffee');
    const reopened = await openPersistedIndex(db);
    expect(reopened.rebuilt).toBe(true);
    expect(reopened.index.search('kettle').map((h) => h.chunkId)).toEqual([chunkId(idB, 0)]);
  });

  it('never indexes chunks of unfinished documents', async () => {
    const db = await freshDb();
    await beginDocument(db, makeDoc(idA), new ArrayBuffer(1));
    await putChunks(db, makeChunks(idA, ['half written secret']));
    const { index } = await openPersistedIndex(db);
    expect(index.search('secret')).toEqual([]);
  });

  it('survives a damaged saved copy by rebuilding', async () => {
    const db = await freshDb();
    await addReady(db, idA, ['Kessler syndrome describes cascading collisions.'], 'Space debris');
    await openPersistedIndex(db);
    const saved = await db.get('searchIndex', 'chunks');
    await db.put('searchIndex', { ...saved!, json: '{"broken":' });
    const reopened = await openPersistedIndex(db);
    expect(reopened.rebuilt).toBe(true);
    expect(reopened.index.search('collisions')).toHaveLength(1);
  });
});
