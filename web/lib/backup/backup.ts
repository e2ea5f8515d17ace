import { strFromU8, strToU8, unzip, zip, type AsyncZippable, type Unzipped } from 'fflate';
import type { LibraryDB, SettingRecord, StoredChunk, StoredConversation, StoredDocument } from '../storage/schema';
import { beginDocument, completeDocument, getDocument, getDocumentChunks, getFile, listReadyDocuments, putChunks, rollBackDocument } from '../storage/library';
import { getConversation, listConversations, putConversation } from '../storage/conversations';
import { newId } from '../ids';
import { plural } from '../format';
import { describeStorageFailure } from '../storage/usage';
import { ingestLockName, withLockIfFree } from '../locks';

/**
 * One-file backup of everything: each document's original bytes, its chunks and metadata,
 * the conversations and the settings, in a zip a person can also open by hand. Importing
 * never overwrites: documents already in the library (same bytes, same id) are skipped,
 * and a conversation that differs from one with the same id comes in as a copy.
 */

export const BACKUP_FORMAT = 'memory-cache-backup';
export const BACKUP_VERSION = 1;
const MANIFEST = 'backup.json';
const CHUNK_BATCH = 200;
/** Never exported: an API key stays in the browser that was given it. */
const PRIVATE_SETTINGS = new Set(['apiKey']);

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

export interface ImportReport {
  documentsAdded: number;
  documentsAlreadyHere: number;
  conversationsAdded: number;
  conversationsCopied: number;
  settingsApplied: boolean;
  /** The documents added, with the library version each made, to index them. */
  added: { id: string; libraryVersion: number }[];
  /** Documents that could not be restored, and why; the others are restored all the same. */
  failed: { fileName: string; reason: string }[];
  conversationsFailed: number;
  settingsFailed: boolean;
}

function zipAsync(files: AsyncZippable): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => zip(files, (error, data) => (error ? reject(error) : resolve(data as Uint8Array<ArrayBuffer>))));
}

function unzipAsync(data: Uint8Array): Promise<Unzipped> {
  return new Promise((resolve, reject) => unzip(data, (error, files) => (error ? reject(error) : resolve(files))));
}

/** The whole library, or only the documents named (then without conversations and settings). */
export async function exportLibrary(db: LibraryDB, onlyIds?: Set<string>): Promise<Blob> {
  const files: AsyncZippable = {};
  const documents: BackupDocument[] = [];
  for (const doc of await listReadyDocuments(db)) {
    if (onlyIds && !onlyIds.has(doc.id)) continue;
    const stored = await getFile(db, doc.id);
    if (!stored) continue;
    const entry: BackupDocument = { ...doc, file: `documents/${doc.id}.pdf`, chunks: `chunks/${doc.id}.json` };
    if (stored.password) entry.password = stored.password;
    documents.push(entry);
    // PDFs are compressed already: stored as they are, which is also much faster.
    files[entry.file] = [new Uint8Array(stored.bytes), { level: 0 }];
    files[entry.chunks] = strToU8(JSON.stringify(await getDocumentChunks(db, doc.id)));
  }
  const settings = onlyIds ? [] : (await db.getAll('settings')).filter((s) => !PRIVATE_SETTINGS.has(s.key));
  const conversations = onlyIds ? [] : await listConversations(db);
  const manifest: Manifest = { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: Date.now(), documents, conversations, settings };
  files[MANIFEST] = strToU8(JSON.stringify(manifest, null, 1));
  return new Blob([await zipAsync(files)], { type: 'application/zip' });
}

export class BackupError extends Error {}

function readManifest(files: Unzipped): Manifest {
  const raw = files[MANIFEST];
  if (!raw) throw new BackupError('this file is not a Memory Cache backup (it has no backup.json)');
  const manifest = JSON.parse(strFromU8(raw)) as Partial<Manifest>;
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.documents)) throw new BackupError('this file is not a Memory Cache backup');
  if ((manifest.version ?? 0) > BACKUP_VERSION) throw new BackupError('this backup was made by a newer Memory Cache; update this one first');
  return { conversations: [], settings: [], ...manifest } as Manifest;
}

export async function importLibrary(db: LibraryDB, backup: Blob): Promise<ImportReport> {
  let files: Unzipped;
  try {
    files = await unzipAsync(new Uint8Array(await backup.arrayBuffer()));
  } catch {
    throw new BackupError('this file is not a Memory Cache backup (it is not a zip file)');
  }
  const manifest = readManifest(files);
  const report: ImportReport = { documentsAdded: 0, documentsAlreadyHere: 0, conversationsAdded: 0, conversationsCopied: 0, settingsApplied: false, added: [], failed: [], conversationsFailed: 0, settingsFailed: false };

  for (const entry of manifest.documents) {
    // Under the lock an import of the same file holds: neither may undo the other's writes.
    const outcome = await withLockIfFree(ingestLockName(entry.id), () => restoreDocument(db, files, entry));
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
    if ((await db.count('settings')) === 0 && manifest.settings.length > 0) {
      for (const setting of manifest.settings) if (!PRIVATE_SETTINGS.has(setting.key)) await db.put('settings', setting);
      report.settingsApplied = true;
    }
  } catch {
    report.settingsFailed = true;
  }
  return report;
}

/** One document of a backup, written whole or not at all. */
async function restoreDocument(db: LibraryDB, files: Unzipped, entry: BackupDocument): Promise<'already here' | { libraryVersion: number } | { failed: string }> {
  const { file, chunks: chunksPath, password, ...doc } = entry;
  let before: StoredDocument | undefined;
  let writing = false;
  try {
    before = await getDocument(db, doc.id);
    if (before?.state === 'ready') return 'already here';
    const bytes = files[file];
    const chunksJson = files[chunksPath];
    if (!bytes || !chunksJson) return { failed: 'it is missing from the backup' };
    writing = true;
    // Copied out of the zip's buffer: IndexedDB would otherwise keep the whole archive alive.
    await beginDocument(db, doc, bytes.slice().buffer, password);
    const chunks = JSON.parse(strFromU8(chunksJson)) as StoredChunk[];
    for (let i = 0; i < chunks.length; i += CHUNK_BATCH) await putChunks(db, chunks.slice(i, i + CHUNK_BATCH));
    return { libraryVersion: await completeDocument(db, { ...doc, state: 'ready' }) };
  } catch (error) {
    // Only what this restore began is undone: a document it could not even look up is left as it was.
    if (writing) await rollBackDocument(db, doc.id, before);
    const storage = await describeStorageFailure(error, 'restore the backup again');
    return { failed: storage ?? 'its part of the backup is damaged; make the backup again from a library that has it' };
  }
}

/** What a restore did, in a sentence or two: what came in, what was already here, and what could not be restored and why. */
export function describeImport(report: ImportReport): string {
  const parts = [`Restored ${plural(report.documentsAdded, 'document')}`];
  if (report.documentsAlreadyHere) parts.push(`${plural(report.documentsAlreadyHere, 'document')} already here`);
  parts.push(plural(report.conversationsAdded + report.conversationsCopied, 'conversation'));
  if (report.conversationsCopied) parts.push(`${report.conversationsCopied} kept as copies beside yours`);
  let text = `${parts.join(', ')}.${report.settingsApplied ? ' Settings restored.' : ''}`;
  for (const { fileName, reason } of report.failed.slice(0, 3)) text += ` Could not restore ${fileName}: ${reason}.`;
  if (report.failed.length > 3) text += ` ${plural(report.failed.length - 3, 'other document')} could not be restored either.`;
  if (report.conversationsFailed > 0) text += ` ${plural(report.conversationsFailed, 'conversation')} could not be restored.`;
  if (report.settingsFailed) text += ' The settings could not be restored.';
  if (report.failed.length > 0 || report.conversationsFailed > 0 || report.settingsFailed) text += ' The rest of your library is as it was.';
  return text;
}

export function backupFileName(now = new Date()): string {
  return `memory-cache-backup-${now.toISOString().slice(0, 10)}.zip`;
}
