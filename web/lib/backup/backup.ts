import { BlobReader, TextReader, TextWriter, Uint8ArrayReader, Uint8ArrayWriter, ZipReader, ZipWriter, configure, type FileEntry } from '@zip.js/zip.js/lib/zip-core-custom.js';
import type { LibraryDB, SettingRecord, StoredChunk, StoredConversation, StoredDocument } from '../storage/schema';
import { beginDocument, chunkId, completeDocument, getDocument, getDocumentChunks, getFile, listReadyDocuments, putChunks, rollBackDocument } from '../storage/library';
import { getConversation, listConversations, putConversation } from '../storage/conversations';
import { newId } from '../ids';
import type { ImportReport } from './report';
import { describeStorageFailure } from '../storage/usage';
import { ingestLockName, withLockIfFree } from '../locks';
import { sha256Hex } from '../ingest/hash';
import type { DocumentKind } from '../ingest/document-kind';
import { isWaitingFilesKey } from '../ingest/waiting-files';
import { linkableUrl } from '../provenance/site';

/**
 * One-file backup of everything: each document's original bytes, its chunks and metadata,
 * the conversations and the settings, in a zip a person can also open by hand. Importing
 * never overwrites: documents already in the library (same bytes, same id) are skipped,
 * and a conversation that differs from one with the same id comes in as a copy.
 *
 * A library can be gigabytes, so neither direction holds it whole: the backup is written a
 * document at a time into Blob parts (which the browser may keep on disk), and read back a
 * document at a time from the zip's directory (zip.js reads only the entries asked for).
 * Archives over 4 GB use Zip64.
 */

export const BACKUP_FORMAT = 'memory-cache-backup';
export const BACKUP_VERSION = 1;
const MANIFEST = 'backup.json';
const CHUNK_BATCH = 200;
/**
 * Settings that belong to this browser, never exported or restored: an API key stays in the
 * browser that was given it, and a tab's list of files still to add means nothing elsewhere.
 */
function isLocalSetting(key: string): boolean {
  return key === 'apiKey' || isWaitingFilesKey(key);
}
/** Written bytes are gathered into a Blob of about this size, so they need not stay in memory. */
const BLOB_PART_BYTES = 16 << 20;
const EXTENSIONS: Record<DocumentKind, string> = { pdf: 'pdf', html: 'html', mhtml: 'mhtml', markdown: 'md', text: 'txt' };

// The page's own thread does the (little) compressing: zip.js's workers would need a
// script URL of their own, and CompressionStream is native in every browser this runs in.
configure({ useWebWorkers: false });

interface BackupDocument extends StoredDocument {
  /** Where the original bytes are inside the zip. */
  file: string;
  /** Where its chunks are inside the zip. */
  chunks: string;
  password?: string;
}

interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  exportedAt: number;
  documents: BackupDocument[];
  conversations: StoredConversation[];
  settings: SettingRecord[];
}

/** A stream that keeps what is written to it as Blob parts. */
function blobSink(type: string): { writable: WritableStream<Uint8Array>; blob: () => Blob } {
  const parts: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pending.length > 0) parts.push(new Blob(pending));
    pending = [];
    pendingBytes = 0;
  };
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      // Copied: the writer may use its buffer again once this returns.
      pending.push(chunk.slice());
      pendingBytes += chunk.byteLength;
      if (pendingBytes >= BLOB_PART_BYTES) flush();
    },
  });
  return {
    writable,
    blob: () => {
      flush();
      return new Blob(parts, { type });
    },
  };
}

/** The whole library, or only the documents named (then without conversations and settings). */
export async function exportLibrary(db: LibraryDB, onlyIds?: Set<string>): Promise<Blob> {
  const sink = blobSink('application/zip');
  const zip = new ZipWriter(sink.writable);
  const documents: BackupDocument[] = [];
  for (const doc of await listReadyDocuments(db)) {
    if (onlyIds && !onlyIds.has(doc.id)) continue;
    const stored = await getFile(db, doc.id);
    if (!stored) continue;
    const entry: BackupDocument = { ...doc, file: `documents/${doc.id}.${EXTENSIONS[doc.kind ?? 'pdf']}`, chunks: `chunks/${doc.id}.json` };
    if (stored.password) entry.password = stored.password;
    documents.push(entry);
    // PDFs are compressed already: stored as they are, which is also much faster. Saved pages
    // and text shrink a lot.
    await zip.add(entry.file, new Uint8ArrayReader(new Uint8Array(stored.bytes)), { level: (doc.kind ?? 'pdf') === 'pdf' ? 0 : 6 });
    await zip.add(entry.chunks, new TextReader(JSON.stringify(await getDocumentChunks(db, doc.id))));
  }
  const settings = onlyIds ? [] : (await db.getAll('settings')).filter((s) => !isLocalSetting(s.key));
  const conversations = onlyIds ? [] : await listConversations(db);
  const manifest: Manifest = { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: Date.now(), documents, conversations, settings };
  await zip.add(MANIFEST, new TextReader(JSON.stringify(manifest, null, 1)));
  await zip.close();
  return sink.blob();
}

export class BackupError extends Error {}

type Entries = Map<string, FileEntry>;

async function readManifest(entries: Entries): Promise<Manifest> {
  const entry = entries.get(MANIFEST);
  if (!entry) throw new BackupError('this file is not a Memory Cache backup (it has no backup.json)');
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(await entry.getData(new TextWriter())) as Partial<Manifest>;
  } catch {
    throw new BackupError('this backup is damaged (its backup.json cannot be read)');
  }
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.documents)) throw new BackupError('this file is not a Memory Cache backup');
  if ((manifest.version ?? 0) > BACKUP_VERSION) throw new BackupError('this backup was made by a newer Memory Cache; update this one first');
  return { conversations: [], settings: [], ...manifest } as Manifest;
}

export async function importLibrary(db: LibraryDB, backup: Blob): Promise<ImportReport> {
  const zip = new ZipReader(new BlobReader(backup));
  try {
    let entries: Entries;
    try {
      entries = new Map((await zip.getEntries()).flatMap((e) => (e.directory ? [] : [[e.filename, e] as const])));
    } catch {
      throw new BackupError('this file is not a Memory Cache backup (it is not a zip file)');
    }
    return await restore(db, await readManifest(entries), entries);
  } finally {
    await zip.close();
  }
}

async function restore(db: LibraryDB, manifest: Manifest, entries: Entries): Promise<ImportReport> {
  const report: ImportReport = { documentsAdded: 0, documentsAlreadyHere: 0, conversationsAdded: 0, conversationsCopied: 0, settingsApplied: false, added: [], failed: [], conversationsFailed: 0, settingsFailed: false };

  for (const entry of manifest.documents) {
    // Under the lock an import of the same file holds: neither may undo the other's writes.
    const outcome = await withLockIfFree(ingestLockName(entry.id), () => restoreDocument(db, entries, entry));
    if (outcome === null) report.failed.push({ fileName: entry.fileName, reason: 'it is being added right now; restore the backup again once it is done' });
    else if (outcome === 'already here') report.documentsAlreadyHere++;
    else if ('failed' in outcome) report.failed.push({ fileName: entry.fileName, reason: outcome.failed });
    else {
      report.documentsAdded++;
      report.added.push({ id: entry.id, libraryVersion: outcome.libraryVersion });
    }
  }

  // What fails here leaves the documents restored above as they are, and says so.
  for (const conversation of manifest.conversations) {
    if (!isConversation(conversation)) {
      report.conversationsFailed++;
      continue;
    }
    try {
      const existing = await getConversation(db, conversation.id);
      if (!existing) {
        await putConversation(db, conversation);
        report.conversationsAdded++;
      } else if (JSON.stringify(existing) !== JSON.stringify(conversation)) {
        await putConversation(db, { ...conversation, id: newId(), title: `${conversation.title} (imported)` });
        report.conversationsCopied++;
      }
    } catch {
      report.conversationsFailed++;
    }
  }

  // Settings come in only where this library has none: a person's own choices win.
  try {
    const ownSettings = (await db.getAllKeys('settings')).filter((key) => !isLocalSetting(String(key)));
    if (ownSettings.length === 0 && manifest.settings.length > 0) {
      for (const setting of manifest.settings) if (!isLocalSetting(setting.key)) await db.put('settings', setting);
      report.settingsApplied = true;
    }
  } catch {
    report.settingsFailed = true;
  }
  return report;
}

/** A conversation as the app writes one: anything else would break the conversation list. */
function isConversation(value: unknown): value is StoredConversation {
  const c = value as Partial<StoredConversation> | null;
  return (
    typeof c === 'object' && c !== null && typeof c.id === 'string' && typeof c.title === 'string' && typeof c.createdAt === 'number' && typeof c.updatedAt === 'number' &&
    Array.isArray(c.messages) && c.messages.every((m) => typeof m === 'object' && m !== null && typeof m.id === 'string' && (m.role === 'user' || m.role === 'assistant') && typeof m.content === 'string')
  );
}

const DAMAGED = 'its part of the backup is damaged; make the backup again from a library that has it';

/**
 * The chunks of a document as the backup holds them, if they are its own: every one names
 * the document, has the id its place gives it, and there are as many as the record says.
 * Anything else would write into another document's chunks.
 */
function chunksOf(json: string, doc: StoredDocument): StoredChunk[] | null {
  const chunks = JSON.parse(json) as StoredChunk[];
  if (!Array.isArray(chunks) || chunks.length !== doc.chunkCount) return null;
  const own = chunks.every((c, seq) => c !== null && typeof c === 'object' && c.docId === doc.id && c.seq === seq && c.id === chunkId(doc.id, seq) && typeof c.text === 'string');
  return own ? chunks : null;
}

/** Only web addresses become links: a backup is a file anyone could have written. */
function withSafeSource(doc: StoredDocument): StoredDocument {
  if (doc.sourceUrl === undefined || linkableUrl(doc.sourceUrl) !== undefined) return doc;
  const { sourceUrl: _dropped, ...rest } = doc;
  return rest;
}

/** One document of a backup, checked, then written whole or not at all. */
async function restoreDocument(db: LibraryDB, entries: Entries, entry: BackupDocument): Promise<'already here' | { libraryVersion: number } | { failed: string }> {
  const { file, chunks: chunksPath, password, ...listed } = entry;
  const doc = withSafeSource(listed);
  let before: StoredDocument | undefined;
  let writing = false;
  try {
    before = await getDocument(db, doc.id);
    if (before?.state === 'ready') return 'already here';
    const bytesEntry = entries.get(file);
    const chunksEntry = entries.get(chunksPath);
    if (!bytesEntry || !chunksEntry) return { failed: 'it is missing from the backup' };
    const bytes = (await bytesEntry.getData(new Uint8ArrayWriter())).slice().buffer;
    // A document is its bytes: ones that do not hash to its id are not that document.
    if ((await sha256Hex(bytes)) !== doc.id) return { failed: DAMAGED };
    const chunks = chunksOf(await chunksEntry.getData(new TextWriter()), doc);
    if (!chunks) return { failed: DAMAGED };
    writing = true;
    await beginDocument(db, doc, bytes, password);
    for (let i = 0; i < chunks.length; i += CHUNK_BATCH) await putChunks(db, chunks.slice(i, i + CHUNK_BATCH));
    return { libraryVersion: await completeDocument(db, { ...doc, state: 'ready' }) };
  } catch (error) {
    // Only what this restore began is undone: a document it could not even look up is left as it was.
    if (writing) await rollBackDocument(db, doc.id, before);
    const storage = await describeStorageFailure(error, 'restore the backup again');
    return { failed: storage ?? DAMAGED };
  }
}
