import { describe, expect, it } from 'vitest';
import { forgetArrivingAnswer, keepArrivingAnswer, keptArrivingAnswers, restoreArrivingAnswer } from '../../web/lib/storage/arriving-answers';
import type { StoredConversation, StoredMessage } from '../../web/lib/storage/schema';

/** localStorage as the browser gives it, in memory. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

const question: StoredMessage = { id: 'q', role: 'user', content: 'Where do hermit crabs live?', createdAt: 1 };
const partial: StoredMessage = { id: 'a', role: 'assistant', content: 'In tide', createdAt: 2, status: 'streaming' };
const conversation = (answer: StoredMessage): StoredConversation => ({ id: 'c', title: 'Crabs', createdAt: 1, updatedAt: 2, messages: [question, answer] });

describe('answers kept as their page went away', () => {
  it('are kept and read back by conversation, and forgotten', () => {
    const storage = new MemoryStorage();
    storage.setItem('unrelated', 'not JSON');
    keepArrivingAnswer(storage, 'c', { ...partial, content: 'In tide pools, among the rocks' });
    expect(keptArrivingAnswers(storage).get('c')?.content).toBe('In tide pools, among the rocks');
    forgetArrivingAnswer(storage, 'c');
    expect(keptArrivingAnswers(storage).size).toBe(0);
    expect(storage.getItem('unrelated')).toBe('not JSON');
  });

  it('replace the same answer stored with less of its text, and nothing else', () => {
    const kept: StoredMessage = { ...partial, content: 'In tide pools, among the rocks', sources: [] };
    const stored = conversation(partial);
    expect(restoreArrivingAnswer(stored, kept)).toBe(true);
    expect(stored.messages).toEqual([question, { ...kept, status: 'streaming' }]);
    // Ended, or asked again, since: left as it is.
    const done = conversation({ ...partial, content: 'Done.', status: 'done' });
    expect(restoreArrivingAnswer(done, kept)).toBe(false);
    expect(done.messages[1].content).toBe('Done.');
    const longer = conversation({ ...partial, content: 'In tide pools, among the rocks, and under weed' });
    expect(restoreArrivingAnswer(longer, kept)).toBe(false);
    expect(restoreArrivingAnswer(conversation({ ...partial, id: 'other' }), kept)).toBe(false);
  });
});
