import type { LibraryDB, StoredConversation } from './schema';
import { queue } from './library';

/** Conversations and settings, beside the documents in the same database. */

export async function listConversations(db: LibraryDB): Promise<StoredConversation[]> {
  const all = await db.getAllFromIndex('conversations', 'byUpdated');
  return all.reverse();
}

export function getConversation(db: LibraryDB, id: string): Promise<StoredConversation | undefined> {
  return db.get('conversations', id);
}

export async function putConversation(db: LibraryDB, conversation: StoredConversation): Promise<void> {
  await db.put('conversations', conversation);
}

/**
 * Writes a tab's messages into the stored conversation, in one transaction: each message
 * replaces the stored one with its id or joins the end, and the rest of the record (a title
 * renamed in another tab, turns another tab added) stays. Two tabs saving the same
 * conversation each keep what the other wrote. A conversation deleted meanwhile stays deleted
 * unless `create` says this is its first save. Says whether it wrote.
 */
export async function saveConversationMessages(db: LibraryDB, conversation: StoredConversation, create: boolean): Promise<boolean> {
  const tx = db.transaction('conversations', 'readwrite');
  const stored = await tx.store.get(conversation.id);
  if (!stored && !create) {
    await tx.done;
    return false;
  }
  queue(tx.store.put(stored ? mergeMessages(stored, conversation) : conversation));
  await tx.done;
  return true;
}

export function mergeMessages(stored: StoredConversation, local: StoredConversation): StoredConversation {
  const localById = new Map(local.messages.map((m) => [m.id, m]));
  const messages = stored.messages.map((m) => localById.get(m.id) ?? m);
  const storedIds = new Set(stored.messages.map((m) => m.id));
  for (const message of local.messages) if (!storedIds.has(message.id)) messages.push(message);
  return { ...stored, messages, updatedAt: Math.max(stored.updatedAt, local.updatedAt) };
}

/** Changes the title alone, so a rename never writes back an older copy of the messages. */
export async function renameConversation(db: LibraryDB, id: string, title: string): Promise<boolean> {
  const tx = db.transaction('conversations', 'readwrite');
  const stored = await tx.store.get(id);
  if (stored) queue(tx.store.put({ ...stored, title }));
  await tx.done;
  return stored !== undefined;
}

export async function deleteConversation(db: LibraryDB, id: string): Promise<void> {
  const tx = db.transaction('conversations', 'readwrite');
  queue(tx.store.delete(id));
  await tx.done;
}

export async function getSetting<T>(db: LibraryDB, key: string): Promise<T | undefined> {
  return (await db.get('settings', key))?.value as T | undefined;
}

/** Several settings in one transaction: all are written, or none. */
export async function putSettings(db: LibraryDB, settings: Record<string, unknown>): Promise<void> {
  const tx = db.transaction('settings', 'readwrite');
  for (const [key, value] of Object.entries(settings)) queue(tx.store.put({ key, value }));
  await tx.done;
}
