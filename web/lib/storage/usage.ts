import { formatBytes } from '../format';

/** How much the browser lets the library keep, and whether it may evict it. */

export interface StorageUsage {
  usedBytes: number;
  quotaBytes: number;
}

export async function storageUsage(): Promise<StorageUsage | null> {
  if (!navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  return { usedBytes: usage, quotaBytes: quota };
}

/**
 * Over quota, IndexedDB says QuotaExceededError. On a disk that is actually full, Chromium
 * may instead fail writing the value's blob with an UnknownError about an IOError.
 */
function storageFailure(error: unknown): 'quota' | 'disk' | null {
  if (!(error instanceof DOMException)) return null;
  if (error.name === 'QuotaExceededError') return 'quota';
  if (error.name === 'UnknownError' || /IOError|disk|write blobs/i.test(error.message)) return 'disk';
  return null;
}

/** What a person can do about a write that failed for want of space, or null for another failure; `retry` says what to do once there is room. */
export async function describeStorageFailure(error: unknown, retry = 'add it again'): Promise<string | null> {
  const failure = storageFailure(error);
  if (!failure) return null;
  const usage = await storageUsage().catch(() => null);
  const used = usage ? ` (this site uses ${formatBytes(usage.usedBytes)} of the ${formatBytes(usage.quotaBytes)} the browser allows)` : '';
  const what = failure === 'quota' ? 'the browser has no storage space left' : 'the browser could not save it: its disk is full or failing';
  return `${what}${used}; free some space or delete documents, then ${retry}`;
}

/**
 * Asks the browser not to evict the library when disk runs low. Browsers may say no (Chromium
 * decides by site engagement); the answer is shown so the person knows where they stand.
 */
export async function requestPersistentStorage(): Promise<boolean | null> {
  if (!navigator.storage?.persist) return null;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}
