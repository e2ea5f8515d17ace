import { whenAborted } from './abort';

/**
 * Web Locks keep two tabs from treating each other's work in progress as abandoned, or from
 * doing the same work at once: a tab holds `ingest:<id>` while it writes a document, and
 * `conversation:<id>` while an answer streams into a conversation. Start-up clean-up only
 * touches what no other tab holds. Pages on a plain-http address other than localhost have
 * no Web Locks: there the locks hold within the tab only.
 */

export function ingestLockName(docId: string): string {
  return `memory-cache:ingest:${docId}`;
}

export function conversationLockName(conversationId: string): string {
  return `memory-cache:conversation:${conversationId}`;
}

/** Held for as long as a tab is open, so others can tell its records from a closed tab's. */
export function tabLockName(tabId: string): string {
  return `memory-cache:tab:${tabId}`;
}

function locks(): LockManager | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
}

/** Where there are no Web Locks: the locks this tab holds, each with the work that holds it. */
const heldHere = new Map<string, Promise<unknown>>();

function holdHere<T>(name: string, work: () => Promise<T>): Promise<T> {
  const running = work().finally(() => heldHere.delete(name));
  heldHere.set(name, running);
  return running;
}

/** Runs `work` while holding the lock. Resolves to null, without running it, when another holds it. */
export async function withLockIfFree<T>(name: string, work: () => Promise<T>): Promise<T | null> {
  const manager = locks();
  if (manager) return manager.request(name, { ifAvailable: true }, async (lock) => (lock ? work() : null));
  return heldHere.has(name) ? null : holdHere(name, work);
}

/**
 * Runs `work` while holding the lock, once whoever holds it now lets go; `onWait` is told when
 * it has to wait. Rejects with an AbortError if `signal` aborts the wait.
 */
export async function withLock<T>(name: string, work: () => Promise<T>, signal?: AbortSignal, onWait?: () => void): Promise<T> {
  const manager = locks();
  if (manager) {
    const now = await manager.request(name, { ifAvailable: true }, async (lock) => (lock ? { result: await work() } : null));
    if (now) return now.result;
    onWait?.();
    return manager.request(name, { signal }, () => work());
  }
  if (heldHere.has(name)) onWait?.();
  while (heldHere.has(name)) {
    signal?.throwIfAborted();
    await Promise.race([heldHere.get(name)?.catch(() => undefined), whenAborted(signal)]);
  }
  signal?.throwIfAborted();
  return holdHere(name, work);
}

/** Holds the lock until the page goes away. */
export function holdWhileOpen(name: string): void {
  void locks()?.request(name, () => new Promise<never>(() => undefined));
}

/** Whether any tab holds the lock; null where there are no Web Locks to ask. */
export async function isHeld(name: string): Promise<boolean | null> {
  const manager = locks();
  if (!manager) return null;
  const { held = [] } = await manager.query();
  return held.some((lock) => lock.name === name);
}

/**
 * Resolves once whoever holds the lock lets go (at once if nobody does); null where there are
 * no Web Locks, and so no way to know about other tabs.
 */
export function whenFree(name: string): Promise<void> | null {
  const manager = locks();
  return manager ? manager.request(name, () => undefined).then(() => undefined) : null;
}
