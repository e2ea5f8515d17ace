import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BlobReader, BlobWriter, TextReader, TextWriter, Uint8ArrayReader, Uint8ArrayWriter, ZipReader, ZipWriter } from '@zip.js/zip.js/lib/zip-core-custom.js';
import { sha256Hex } from '../../web/lib/ingest/hash';
import { openLibraryDB, type LibraryDB, type StoredDocument } from '../../web/lib/storage/schema';
import { beginDocument, chunkId, completeDocument, getDocumentChunks, getFile, listReadyDocuments, putChunks } from '../../web/lib/storage/library';
import { listConversations, putConversation, putSettings, getSetting } from '../../web/lib/storage/conversations';
import { exportLibrary, importLibrary } from '../../web/lib/backup/backup';
import { describeImport } from '../../web/lib/backup/report';
import { rebuildIndex } from '../../web/lib/search/persisted-index';

let count = 0;
const freshDb = () => openLibraryDB(`backup-${++count}-${Date.now()}`);

const BYTES_A = [37, 80, 68, 70, 1, 2, 3];
const BYTES_B = [37, 80, 68, 70, 9];
const BYTES_C = [1, 2, 3];
/** A document's id is the SHA-256 of its bytes, and a restore checks it. */
const idOf = (bytes: number[]) => sha256Hex(new Uint8Array(bytes).buffer);

async function addDoc(db: LibraryDB, id: string, title: string, texts: string[], bytes: number[], password?: string, extra: Partial<StoredDocument> = {}) {
  const doc: StoredDocument = { id, title, fileName: `${title}.pdf`, size: bytes.length, mimeType: 'application/pdf', pageCount: texts.length, chunkCount: texts.length, textChars: 10, addedAt: 1000, state: 'ingesting', ...extra };
  await beginDocument(db, doc, new Uint8Array(bytes).buffer, password);
  await putChunks(db, texts.map((text, seq) => ({ id: chunkId(id, seq), docId: id, seq, text, page: seq + 1, pageStart: seq + 1, pageEnd: seq + 1, pageBreaks: [] })));
  await completeDocument(db, doc);
}

const idA = await idOf(BYTES_A);
const idB = await idOf(BYTES_B);
const idC = await idOf(BYTES_C);
const conversation = { id: 'c1', title: 'About tides', createdAt: 1, updatedAt: 2, messages: [{ id: 'm1', role: 'user' as const, content: 'When is low tide?', createdAt: 1 }] };

async function sourceLibrary(): Promise<LibraryDB> {
  const db = await freshDb();
  await addDoc(db, idA, 'Tide Pools', ['Starfish eat mussels.', 'Visit at a spring tide.'], BYTES_A);
  await addDoc(db, idB, 'Sealed', ['The brass key is under the lantern.'], BYTES_B, 'lantern');
  await putConversation(db, conversation);
  await putSettings(db, { chat: { temperature: 0.7 }, apiKey: 'secret-key' });
  return db;
}

/** The backup's entries, by name, as bytes. */
async function entriesOf(backup: Blob): Promise<Map<string, Uint8Array>> {
  const reader = new ZipReader(new BlobReader(backup));
  const entries = new Map<string, Uint8Array>();
  for (const entry of await reader.getEntries()) if (!entry.directory) entries.set(entry.filename, await entry.getData(new Uint8ArrayWriter()));
  await reader.close();
  return entries;
}

/** A zip of these entries, as a person (or a damaged disk) might leave one. */
async function zipOf(entries: Map<string, Uint8Array | string>): Promise<Blob> {
  const blob = new BlobWriter();
  const writer = new ZipWriter(blob);
  for (const [name, data] of entries) await writer.add(name, typeof data === 'string' ? new TextReader(data) : new Uint8ArrayReader(data));
  await writer.close();
  return blob.getData();
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
    await addDoc(target, idA, 'Tide Pools', ['Starfish eat mussels.', 'Visit at a spring tide.'], BYTES_A);
    await putConversation(target, { ...conversation, title: 'My own tides chat' });
    await putSettings(target, { chat: { temperature: 0.1 } });

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

  it('restores what it can from a damaged backup, says what it could not, and writes nothing of a damaged document', async () => {
    const files = await entriesOf(await exportLibrary(await sourceLibrary()));
    // One document's chunks claim to be another document's: written, they would land among its chunks.
    const chunk = (seq: number) => ({ id: chunkId(idC, seq), docId: idC, seq, text: `line ${seq}`, page: 1, pageStart: 1, pageEnd: 1, pageBreaks: [] });
    files.set(`chunks/${idB}.json`, new TextEncoder().encode(JSON.stringify([chunk(0)])));
    const target = await freshDb();
    await addDoc(target, idC, 'Mine', ['My own notes.'], BYTES_C);
    const report = await importLibrary(target, await zipOf(files));

    expect(report.documentsAdded).toBe(1);
    expect(report.failed.map((f) => f.fileName)).toEqual(['Sealed.pdf']);
    expect((await listReadyDocuments(target)).map((d) => d.title).sort()).toEqual(['Mine', 'Tide Pools']);
    expect(await getFile(target, idB)).toBeUndefined();
    expect(await target.count('documents')).toBe(2);
    expect(await getDocumentChunks(target, idC)).toEqual([expect.objectContaining({ text: 'My own notes.' })]);
    expect(await target.count('chunks')).toBe(3);
    // The rest of the backup still comes in.
    expect((await listConversations(target)).map((c) => c.id)).toEqual(['c1']);
    expect(describeImport(report)).toBe(
      'Restored 1 document, 1 conversation. Settings restored. Could not restore Sealed.pdf: its part of the backup is damaged; make the backup again from a library that has it. The rest of your library is as it was.',
    );

    // Bytes that are not the document's, a file missing from the backup, and chunks that are not JSON, are named too.
    files.set(`documents/${idA}.pdf`, new Uint8Array([37, 80, 68, 70, 0]));
    files.set(`chunks/${idB}.json`, new TextEncoder().encode('{ not json'));
    const other = await freshDb();
    expect((await importLibrary(other, await zipOf(files))).failed.sort((a, b) => a.fileName.localeCompare(b.fileName))).toEqual([
      { fileName: 'Sealed.pdf', reason: 'its part of the backup is damaged; make the backup again from a library that has it' },
      { fileName: 'Tide Pools.pdf', reason: 'its part of the backup is damaged; make the backup again from a library that has it' },
    ]);
    files.delete(`documents/${idA}.pdf`);
    expect((await importLibrary(other, await zipOf(files))).failed).toContainEqual({ fileName: 'Tide Pools.pdf', reason: 'it is missing from the backup' });
    expect(await other.count('documents')).toBe(0);
    expect(await other.count('chunks')).toBe(0);
  });

  it('names each original by its kind, and restores no link that is not a web address', async () => {
    const source = await freshDb();
    const page = [60, 104, 49, 62];
    await addDoc(source, await idOf(page), 'Saved page', ['A saved page.'], page, undefined, { kind: 'html', fileName: 'page.html', sourceUrl: 'javascript:alert(1)' });
    const backup = await exportLibrary(source);
    expect([...(await entriesOf(backup)).keys()]).toContain(`documents/${await idOf(page)}.html`);
    const target = await freshDb();
    await importLibrary(target, backup);
    const [restored] = await listReadyDocuments(target);
    expect(restored.title).toBe('Saved page');
    expect(restored.sourceUrl).toBeUndefined();
  });

  it("keeps a browser's own notes out of a backup, and restores only conversations shaped as the app writes them", async () => {
    const source = await sourceLibrary();
    await putSettings(source, { 'waitingFiles:tab-1': [{ fileName: 'elsewhere.pdf', size: 10 }] });
    const files = await entriesOf(await exportLibrary(source));
    const manifest = JSON.parse(new TextDecoder().decode(files.get('backup.json'))) as { settings: { key: string }[]; conversations: unknown[] };
    expect(manifest.settings.map((s) => s.key)).toEqual(['chat']);
    manifest.conversations.push({ id: 'broken', title: 'No messages' });
    files.set('backup.json', new TextEncoder().encode(JSON.stringify(manifest)));
    // A library whose only setting is a tab's list of waiting files has no settings of its own yet.
    const target = await freshDb();
    await putSettings(target, { 'waitingFiles:tab-2': [{ fileName: 'mine.pdf', size: 3 }] });
    const report = await importLibrary(target, await zipOf(files));
    expect(report).toMatchObject({ settingsApplied: true, conversationsAdded: 1, conversationsFailed: 1 });
    expect(await getSetting(target, 'chat')).toEqual({ temperature: 0.7 });
    expect(await getSetting(target, 'waitingFiles:tab-1')).toBeUndefined();
    expect((await listConversations(target)).map((c) => c.id)).toEqual(['c1']);
  });

  it('refuses files that are not backups, changing nothing', async () => {
    const target = await freshDb();
    await expect(importLibrary(target, new Blob(['just text']))).rejects.toThrow('not a zip file');
    await expect(importLibrary(target, await zipOf(new Map([['notes.txt', 'hello']])))).rejects.toThrow('no backup.json');
    expect(await listReadyDocuments(target)).toEqual([]);
  });
});
