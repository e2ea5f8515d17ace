import { describe, expect, it } from 'vitest';
import { questionScope, scopeNotice, WHOLE_LIBRARY, type Scope } from '../../web/lib/search/scope';
import type { StoredDocument } from '../../web/lib/storage/schema';

// Wednesday 13 March 2024.
const now = new Date(2024, 2, 13, 15, 30);
const lastWeek = { from: new Date(2024, 2, 4).getTime(), to: new Date(2024, 2, 11).getTime() };

function doc(id: string, savedAt: number, sourceUrl?: string): StoredDocument {
  return { id, title: id, fileName: `${id}.html`, size: 1, mimeType: 'text/html', pageCount: 1, chunkCount: 1, textChars: 1, addedAt: savedAt, state: 'ready', savedAt, sourceUrl };
}

describe('questionScope', () => {
  it('searches the period a question about saving names, without its words', () => {
    expect(questionScope('what did I save about otters last week?', '', WHOLE_LIBRARY, { now })).toEqual({
      scope: { range: lastWeek, rangeLabel: 'last week', site: null },
      query: 'what did I save about otters?',
      phrase: 'last week',
    });
  });

  it('keeps a date about the content in the search, and searches the whole library', () => {
    expect(questionScope('What was the inflation rate in 2020?', '', WHOLE_LIBRARY, { now })).toEqual({ scope: WHOLE_LIBRARY, query: 'What was the inflation rate in 2020?', phrase: null });
  });

  it('keeps the period of the question a follow-up follows', () => {
    const result = questionScope('and what about seals?', 'what did I save about otters last week?', WHOLE_LIBRARY, { now });
    expect(result).toMatchObject({ scope: { range: lastWeek }, query: 'and what about seals?', phrase: 'last week' });
  });

  it('leaves the period out when the person removed it, and gives way to the period chosen in the page', () => {
    expect(questionScope('what did I save last week?', '', WHOLE_LIBRARY, { now, usePhrase: false }).scope).toEqual(WHOLE_LIBRARY);
    const chosen: Scope = { range: { from: 0, to: 1 }, rangeLabel: 'today', site: 'example.org' };
    expect(questionScope('what did I save last week?', '', chosen, { now })).toEqual({ scope: chosen, query: 'what did I save last week?', phrase: null });
  });
});

describe('scopeNotice', () => {
  const scope: Scope = { range: lastWeek, rangeLabel: 'last week', site: 'example.org' };
  it('says what was searched, and when nothing was', () => {
    expect(scopeNotice(WHOLE_LIBRARY, [])).toBeUndefined();
    expect(scopeNotice(scope, [doc('a', lastWeek.from, 'https://example.org/a')])).toBe('Only documents saved last week from example.org were searched.');
    expect(scopeNotice(scope, [doc('b', lastWeek.to, 'https://example.org/b')])).toBe(
      'No document in your library was saved last week from example.org, so this answer does not draw on your documents.',
    );
  });
});
