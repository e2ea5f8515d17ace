import type { StoredConversation, StoredMessage } from './schema';

/**
 * Answers still arriving when their page went away (closed, reloaded). IndexedDB cannot take
 * them then: a conversation is written by reading what is stored first, and a closing page
 * runs no more code once the read returns. localStorage takes them at once, so what had
 * arrived is kept there until the next start puts it into its conversation.
 */

const PREFIX = 'memory-cache:arriving:';

/** This origin's localStorage, or null where the browser withholds it. */
export function arrivingStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function keepArrivingAnswer(storage: Storage | null, conversationId: string, answer: StoredMessage): void {
  try {
    storage?.setItem(PREFIX + conversationId, JSON.stringify(answer));
  } catch {
    // Full or withheld: the last partial save stands.
  }
}

/** The answers kept, by conversation id. */
export function keptArrivingAnswers(storage: Storage | null): Map<string, StoredMessage> {
  const kept = new Map<string, StoredMessage>();
  if (!storage) return kept;
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    try {
      const answer = JSON.parse(storage.getItem(key) ?? '') as StoredMessage;
      if (typeof answer.id === 'string' && typeof answer.content === 'string') kept.set(key.slice(PREFIX.length), answer);
    } catch {
      // Not ours to read: left alone.
    }
  }
  return kept;
}

export function forgetArrivingAnswer(storage: Storage | null, conversationId: string): void {
  storage?.removeItem(PREFIX + conversationId);
}

/**
 * Puts a kept answer into the stored copy of its conversation, in place of the same answer
 * still marked as arriving there with less of its text (the last partial save). Says
 * whether it did; an answer that ended, or was asked again, since is left as it is.
 */
export function restoreArrivingAnswer(conversation: StoredConversation, kept: StoredMessage): boolean {
  const index = conversation.messages.findIndex((m) => m.id === kept.id);
  const stored = conversation.messages[index];
  if (!stored || stored.status !== 'streaming' || kept.content.length <= stored.content.length) return false;
  conversation.messages[index] = { ...kept, status: 'streaming' };
  return true;
}
