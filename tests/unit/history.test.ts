import { describe, expect, it } from 'vitest';
import { historyOf } from '../../web/lib/chat/history';
import type { StoredMessage } from '../../web/lib/storage/schema';

let n = 0;
const question = (content: string): StoredMessage => ({ id: `q${++n}`, role: 'user', content, createdAt: n });
const answer = (content: string, status: StoredMessage['status']): StoredMessage => ({ id: `a${++n}`, role: 'assistant', content, createdAt: n, status });

describe('the conversation the model is given', () => {
  it('keeps finished answers only, without their citations', () => {
    const turns = historyOf([
      question('What is sourdough?'),
      answer('A bread leavened by wild yeast [1]. It keeps well [2, 3].', 'done'),
      question('How long does it rise?'),
      answer('It rises for', 'stopped'),
      question('And the crust?'),
      answer('The crust', 'cut-off'),
      question('Why?'),
      answer('', 'error'),
      question('How warm should the kitchen be?'),
      answer('About 24 degrees [4].', 'done'),
    ]);
    expect(turns).toEqual([
      { role: 'user', content: 'What is sourdough?' },
      { role: 'assistant', content: 'A bread leavened by wild yeast. It keeps well.' },
      { role: 'user', content: 'How warm should the kitchen be?' },
      { role: 'assistant', content: 'About 24 degrees.' },
    ]);
  });
});
