import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { openLibraryDB, type LibraryDB, type StoredDocument } from '../../web/lib/storage/schema';
import { beginDocument, chunkId, completeDocument, getDocumentChunks, getFile, listReadyDocuments, putChunks } from '../../web/lib/storage/library';
import { listConversations, putConversation, putSetting, getSetting } from '../../web/lib/storage/conversations';
import { describeImport, exportLibrary, importLibrary } from '../../web/lib/backup/backup';
import { rebuildIndex } from '../../web/lib/search/persisted-index';

let count = 0;
const freshDb = () => openLibraryDB(`backup-${++count}-${Date.now()}`);

async function addDoc(db: LibraryDB, id: string, title: string, texts: string[], bytes: number[], password?: string) {
  const doc: StoredDocument = { id, title, fileName: `${title}.pdf`, size: bytes.length, mimeType: 'application/pdf', pageCount: texts.length, chunkCount: texts.length, textChars: 10, addedAt: 1000, state: 'ingesting' };
  await beginDocument(db, doc, new Uint8Array(bytes).buffer, password);
  await putChunks(db, texts.map((text, seq) => ({ id: chunkId(id, seq), docId: id, seq, text, page: seq + 1, pageStart: seq + 1, pageEnd: seq + 1, pageBreaks: [] })));
  await completeDocument(db, doc);
}

const idA = 'a'.repeat(64);
const idB = 'b'.repeat(64);
const conversation = { id: 'c1', title: 'About tides', createdAt: 1, updatedAt: 2, messages: [{ id: 'm1', role: 'user' as const, content: 'When is low tide?', createdAt: 1 }] };

async function sourceLibrary(): Promise<LibraryDB> {
  const db = await freshDb();
  await addDoc(db, idA, 'Tide Pools', ['Starfish eat mussels.', 'Visit at a spring tide.'], [37, 80, 68, 70, 1, 2, 3]);
  await addDoc(db, idB, 'Sealed', ['The brass key is under the lantern.'], [37, 80, 68, 70, 9], 'lantern');
  await putConversation(db, conversation);
  await putSetting(db, 'chat', { temperature: 0.7 });
  await putSetting(db, 'apiKey', 'secret-key');
  return db;
}

async function searchIds(db: LibraryDB, query: string): Promise<string[]> {
  return (await rebuildIndex(db)).search(query).map((h) => h.chunkId);
}

describe('backup and restore', () => {
  it('round-trips into an empty library: the same bytes, chunks, search results, conversations and settings', async () => {
    const source = await sourceLibrary();
    const backup = await exportLibrary(source);
    const target = await freshDb();
    const report = await importLibrary(target, backup);
    expect(report).toMatchObject({ documentsAdded: 2, documentsAlreadyHere: 0, conversationsAdded: 1, settingsApplied: true });

    for (const id of [idA, idB]) {
      expect(new Uint8Array((await getFile(target, id))!.bytes)).toEqual(new Uint8Array((await getFile(source, id))!.bytes));
      expect(await getDocumentChunks(target, id)).toEqual(await getDocumentChunks(source, id));
    }
    expect((await getFile(target, idB))?.password).toBe('lantern');
    expect((await listReadyDocuments(target)).map((d) => d.title).sort()).toEqual(['Sealed', 'Tide Pools']);
    for (const query of ['mussels', 'spring tide', 'brass key']) expect(await searchIds(target, query)).toEqual(await searchIds(source, query));
    expect(await listConversations(target)).toEqual([conversation]);
    expect(await getSetting(target, 'chat')).toEqual({ temperature: 0.7 });
    // The API key never leaves the browser it was given in.
    expect(await getSetting(target, 'apiKey')).toBeUndefined();
  });

  it('imports into a non-empty library without duplicates and without overwriting anything', async () => {
    const backup = await exportLibrary(await sourceLibrary());
    const target = await freshDb();
    await addDoc(target, idA, 'Tide Pools', ['Starfish eat mussels.', 'Visit at a spring tide.'], [37, 80, 68, 70, 1, 2, 3]);
    await putConversation(target, { ...conversation, title: 'My own tides chat' });
    await putSetting(target, 'chat', { temperature: 0.1 });

    const report = await importLibrary(target, backup);
    expect(report).toMatchObject({ documentsAdded: 1, documentsAlreadyHere: 1, conversationsAdded: 0, conversationsCopied: 1, settingsApplied: false });
    expect(await listReadyDocuments(target)).toHaveLength(2);
    const titles = (await listConversations(target)).map((c) => c.title).sort();
    expect(titles).toEqual(['About tides (imported)', 'My own tides chat']);
    expect(await getSetting(target, 'chat')).toEqual({ temperature: 0.1 });

    // A second import of the same backup adds nothing.
    const again = await importLibrary(target, backup);
    expect(again).toMatchObject({ documentsAdded: 0, documentsAlreadyHere: 2, conversationsAdded: 0 });
  });

  it('restores what it can from a damaged backup, says what it could not, and leaves nothing half-written', async () => {
    const files = unzipSync(new Uint8Array(await (await exportLibrary(await sourceLibrary())).arrayBuffer()));
    // One document's chunks fail to be written in their second batch (a record without a key),
    // after its record, its bytes and a first batch of chunks are in; the other's are fine.
    const chunk = (seq: number) => ({ id: chunkId(idB, seq), docId: idB, seq, text: `line ${seq}`, page: 1, pageStart: 1, pageEnd: 1, pageBreaks: [] });
    files[`chunks/${idB}.json`] = strToU8(JSON.stringify([...Array.from({ length: 200 }, (_, i) => chunk(i)), { ...chunk(200), id: undefined }]));
    const target = await freshDb();
    await addDoc(target, 'c'.repeat(64), 'Mine', ['My own notes.'], [1, 2, 3]);
    const report = await importLibrary(target, new Blob([zipSync(files)]));

    expect(report.documentsAdded).toBe(1);
    expect(report.failed.map((f) => f.fileName)).toEqual(['Sealed.pdf']);
    expect((await listReadyDocuments(target)).map((d) => d.title).sort()).toEqual(['Mine', 'Tide Pools']);
    expect(await getFile(target, idB)).toBeUndefined();
    expect(await target.count('documents')).toBe(2);
    expect(await getDocumentChunks(target, idB)).toEqual([]);
    expect(await target.count('chunks')).toBe(3);
    // The rest of the backup still comes in.
    expect((await listConversations(target)).map((c) => c.id)).toEqual(['c1']);
    expect(describeImport(report)).toBe(
      'Restored 1 document, 1 conversation. Settings restored. Could not restore Sealed.pdf: its part of the backup is damaged; make the backup again from a library that has it. The rest of your library is as it was.',
    );

    // A file missing from the backup, and chunks that are not JSON, are named too.
    delete files[`documents/${idA}.pdf`];
    files[`chunks/${idB}.json`] = strToU8('{ not json');
    const other = await freshDb();
    const second = await importLibrary(other, new Blob([zipSync(files)]));
    expect(second.failed).toEqual([
      { fileName: 'Tide Pools.pdf', reason: 'it is missing from the backup' },
      expect.objectContaining({ fileName: 'Sealed.pdf' }),
    ]);
    expect(await other.count('documents')).toBe(0);
  });

  it('refuses files that are not backups, changing nothing', async () => {
    const target = await freshDb();
    await expect(importLibrary(target, new Blob(['just text']))).rejects.toThrow('not a zip file');
    await expect(importLibrary(target, new Blob([zipSync({ 'notes.txt': strToU8('hello') })]))).rejects.toThrow('no backup.json');
    expect(await listReadyDocuments(target)).toEqual([]);
  });
});
