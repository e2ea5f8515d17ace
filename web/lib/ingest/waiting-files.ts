import type { LibraryDB } from '../storage/schema';
import { isHeld, tabLockName } from '../locks';
import { putSettings } from '../storage/conversations';

/**
 * The files a tab has yet to add, written down as its queue changes. The files themselves
 * cannot be kept (a page gets no lasting access to a person's files), so when a tab closes in
 * the middle of a batch, the next start names what never made it, for the person to add
 * again. What was being written is kept whole and resumed (see markInterrupted).
 */

export interface WaitingFile {
  fileName: string;
  size: number;
}

const PREFIX = 'waitingFiles:';

/** Whether a settings key is one of these lists (they stay in this browser: see backup). */
export function isWaitingFilesKey(key: string): boolean {
  return key.startsWith(PREFIX);
}

export async function noteWaitingFiles(db: LibraryDB, tabId: string, files: WaitingFile[]): Promise<void> {
  if (files.length === 0) await db.delete('settings', PREFIX + tabId);
  else await putSettings(db, { [PREFIX + tabId]: files });
}

/**
 * The waiting files of tabs that are no longer open, forgotten as they are taken, and the
 * other tabs that still seem open (a reloaded page's old document may hold its lock a moment
 * longer). Where there are no Web Locks to tell an open tab from a closed one, every other
 * tab's list counts as left.
 */
export async function takeLeftWaitingFiles(db: LibraryDB, ownTabId: string): Promise<{ files: WaitingFile[]; openTabs: string[] }> {
  const keys = (await db.getAllKeys('settings', IDBKeyRange.bound(PREFIX, `${PREFIX}\uffff`))).map(String);
  const closedTabs: string[] = [];
  const openTabs: string[] = [];
  for (const key of keys) {
    const tabId = key.slice(PREFIX.length);
    if (tabId === ownTabId) continue;
    if (await isHeld(tabLockName(tabId))) openTabs.push(tabId);
    else closedTabs.push(key);
  }
  // Most starts find nothing left: no write then (Chromium holds a write back while another
  // tab's write is open, even on other stores, and this one would hold up the start).
  if (closedTabs.length === 0) return { files: [], openTabs };
  // Read and forgotten in one transaction: two tabs starting at once do not both take a list.
  const tx = db.transaction('settings', 'readwrite');
  const left: WaitingFile[] = [];
  for (const key of closedTabs) {
    const record = await tx.store.get(key);
    if (!record) continue;
    await tx.store.delete(key);
    if (Array.isArray(record.value)) left.push(...(record.value as WaitingFile[]));
  }
  await tx.done;
  return { files: left, openTabs };
}
