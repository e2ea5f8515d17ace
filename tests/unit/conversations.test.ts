import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLibraryDB, type StoredConversation, type StoredMessage } from '../../web/lib/storage/schema';
import { deleteConversation, getConversation, renameConversation, saveConversationMessages } from '../../web/lib/storage/conversations';

let dbCount = 0;
const message = (id: string, content: string): StoredMessage => ({ id, role: id.startsWith('q') ? 'user' : 'assistant', content, createdAt: 1, status: id.startsWith('a') ? 'done' : undefined });
const conversation = (messages: StoredMessage[], title = 'Tides'): StoredConversation => ({ id: 'c1', title, createdAt: 1, updatedAt: 1, messages });

describe('saving a conversation that two tabs hold', () => {
  it('keeps the turns and the title each tab wrote', async () => {
    const db = await openLibraryDB(`conversations-${++dbCount}`);
    await saveConversationMessages(db, conversation([message('q1', 'Why tides?'), message('a1', '')]), true);
    // Another tab renames it, and later adds a turn of its own.
    await renameConversation(db, 'c1', 'Tides and the moon');
    const otherTab = conversation([message('q1', 'Why tides?'), message('a1', ''), message('q2', 'Spring tides?'), message('a2', 'Twice a month.')]);
    await saveConversationMessages(db, otherTab, false);
    // This tab's answer, finished, still holds the old title and not the other tab's turn.
    await saveConversationMessages(db, { ...conversation([message('q1', 'Why tides?'), message('a1', 'The moon pulls the sea.')]), updatedAt: 5 }, false);
    const stored = await getConversation(db, 'c1');
    expect(stored?.title).toBe('Tides and the moon');
    expect(stored?.updatedAt).toBe(5);
    expect(stored?.messages.map((m) => [m.id, m.content])).toEqual([
      ['q1', 'Why tides?'],
      ['a1', 'The moon pulls the sea.'],
      ['q2', 'Spring tides?'],
      ['a2', 'Twice a month.'],
    ]);
  });

  it('does not bring back a conversation another tab deleted', async () => {
    const db = await openLibraryDB(`conversations-${++dbCount}`);
    await saveConversationMessages(db, conversation([message('q1', 'Why tides?')]), true);
    await deleteConversation(db, 'c1');
    expect(await saveConversationMessages(db, conversation([message('q1', 'Why tides?'), message('a1', 'Because')]), false)).toBe(false);
    expect(await getConversation(db, 'c1')).toBeUndefined();
    expect(await renameConversation(db, 'c1', 'New name')).toBe(false);
    expect(await getConversation(db, 'c1')).toBeUndefined();
  });
});
