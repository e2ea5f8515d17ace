/**
 * Web Locks keep two tabs from treating each other's work in progress as abandoned: a tab
 * holds `ingest:<id>` while it writes a document, and start-up clean-up only removes a
 * half-written document whose lock nobody holds.
 */

export function ingestLockName(docId: string): string {
  return `memory-cache:ingest:${docId}`;
}

function locks(): LockManager | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
}

/** Runs `work` while holding the lock. Resolves to null, without running it, when another tab holds it. */
export async function withLockIfFree<T>(name: string, work: () => Promise<T>): Promise<T | null> {
  const manager = locks();
  if (!manager) return work();
  return manager.request(name, { ifAvailable: true }, async (lock) => (lock ? work() : null));
}
