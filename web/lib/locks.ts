/**
 * Web Locks keep two tabs from treating each other's work in progress as abandoned, or from
 * doing the same work at once: a tab holds `ingest:<id>` while it writes a document, and
 * `conversation:<id>` while an answer streams into a conversation. Start-up clean-up only
 * touches what no other tab holds. Pages on a plain-http address other than localhost have
 * no Web Locks: there the work runs unguarded.
 */

export function ingestLockName(docId: string): string {
  return `memory-cache:ingest:${docId}`;
}

export function conversationLockName(conversationId: string): string {
  return `memory-cache:conversation:${conversationId}`;
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
