import type { StoredDocument } from './storage/schema';
import { backupFileName } from './backup/report';
import { plural } from './format';

/**
 * Choosing many documents in the library list, and what is done with them. A selection only
 * ever holds documents that are shown: one hidden by the filter or deleted elsewhere must not
 * be deleted or exported by a click on what is on screen.
 */

/** The selected documents among those shown, in the order shown. */
export function selectedAmong(shown: readonly StoredDocument[], selected: ReadonlySet<string>): StoredDocument[] {
  return shown.filter((doc) => selected.has(doc.id));
}

/** The selection without what is no longer shown; the same set when nothing went. */
export function pruneSelection(selected: Set<string>, shown: readonly StoredDocument[]): Set<string> {
  const ids = new Set(shown.map((doc) => doc.id));
  for (const id of selected) if (!ids.has(id)) return new Set([...selected].filter((each) => ids.has(each)));
  return selected;
}

/**
 * A click on one checkbox: with Shift held after an earlier click, every document shown from
 * that one to this one takes this one's new state, as in a file manager.
 */
export function toggleSelection(selected: ReadonlySet<string>, shown: readonly StoredDocument[], id: string, on: boolean, anchorId: string | null, range: boolean): Set<string> {
  const next = new Set(selected);
  const to = shown.findIndex((doc) => doc.id === id);
  const from = range && anchorId !== null ? shown.findIndex((doc) => doc.id === anchorId) : -1;
  const ids = from >= 0 && to >= 0 ? shown.slice(Math.min(from, to), Math.max(from, to) + 1).map((doc) => doc.id) : [id];
  for (const each of ids) {
    if (on) next.add(each);
    else next.delete(each);
  }
  return next;
}

/** "River otters", "River otters and Notes on beavers", "River otters, Notes on beavers and 3 more". */
export function nameDocuments(docs: readonly StoredDocument[], shownNames = 2): string {
  const titles = docs.map((doc) => doc.title);
  if (titles.length <= shownNames + 1) return titles.length <= 1 ? (titles[0] ?? '') : `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
  return `${titles.slice(0, shownNames).join(', ')} and ${titles.length - shownNames} more`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Deletes the documents one by one, going on past a failure; returns what to tell the person. */
export async function deleteDocuments(docs: readonly StoredDocument[], remove: (doc: StoredDocument) => Promise<void>, progress: (message: string) => void): Promise<{ message: string; failed: boolean }> {
  const failures: string[] = [];
  let done = 0;
  for (const [i, doc] of docs.entries()) {
    progress(`Deleting ${i + 1} of ${docs.length}…`);
    try {
      await remove(doc);
      done++;
    } catch (error) {
      failures.push(`${doc.title} (${reason(error)})`);
    }
  }
  if (failures.length === 0) return { message: `Deleted ${plural(done, 'document')}.`, failed: false };
  return { message: `Deleted ${plural(done, 'document')}; could not delete ${failures.join(', ')}.`, failed: true };
}

/** The file name of a backup of some documents: memory-cache-3-documents-2024-03-13.zip. */
export function selectionBackupName(count: number, now = new Date()): string {
  return backupFileName(now).replace('backup', `${count}-${count === 1 ? 'document' : 'documents'}`);
}

/** Makes a backup of the documents and hands it to `save`; returns what to tell the person. */
export async function exportDocuments(
  docs: readonly StoredDocument[],
  makeBackup: (ids: Set<string>) => Promise<Blob | null>,
  save: (blob: Blob, fileName: string) => void,
): Promise<{ message: string; failed: boolean }> {
  try {
    const blob = await makeBackup(new Set(docs.map((doc) => doc.id)));
    if (!blob) return { message: 'The library is not open yet; try again in a moment.', failed: true };
    const fileName = selectionBackupName(docs.length);
    save(blob, fileName);
    return { message: `Exported ${plural(docs.length, 'document')} as ${fileName}. Bring it back with Import backup.`, failed: false };
  } catch (error) {
    return { message: `The documents could not be exported: ${reason(error)}.`, failed: true };
  }
}
