import type { LibraryDB, StoredConversation } from './schema';

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

export async function deleteConversation(db: LibraryDB, id: string): Promise<void> {
  await db.delete('conversations', id);
}

export async function getSetting<T>(db: LibraryDB, key: string): Promise<T | undefined> {
  return (await db.get('settings', key))?.value as T | undefined;
}

export async function putSetting(db: LibraryDB, key: string, value: unknown): Promise<void> {
  await db.put('settings', { key, value });
}
