import { describe, expect, it } from 'vitest';
import { loadChoice, monthsOf, NO_CHOICE, periodDays, questionScope, saveChoice, scopeNotice, scopeOfChoice, untilMidnight, WHOLE_LIBRARY, type Scope } from '../../web/lib/search/scope';
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

const day = (y: number, m1: number, d: number) => new Date(y, m1 - 1, d).getTime();

describe('scopeNotice', () => {
  const scope: Scope = { range: lastWeek, rangeLabel: 'last week', site: 'example.org' };
  it('says what was searched, and when nothing was', () => {
    expect(scopeNotice(WHOLE_LIBRARY, [])).toBeUndefined();
    const days = periodDays(scope, undefined);
    expect(periodDays(scope, 'en-GB')).toMatch(/^4\s?–\s?10 March 2024$/);
    expect(periodDays({ range: { from: day(2024, 3, 12), to: day(2024, 3, 13) }, rangeLabel: 'yesterday', site: null }, 'en-GB')).toBe('12 March 2024');
    expect(periodDays({ range: lastWeek, rangeLabel: 'in March 2024', site: null })).toBe('');
    expect(scopeNotice(scope, [doc('a', lastWeek.from, 'https://example.org/a')])).toBe(`Only documents saved last week (${days}) from example.org were searched.`);
    expect(scopeNotice(scope, [doc('b', lastWeek.to, 'https://example.org/b')])).toBe(
      `No document in your library was saved last week (${days}) from example.org, so this answer does not draw on your documents.`,
    );
  });
});

describe('the filter chosen in the page', () => {
  it('works a relative period out at the time it is used', () => {
    const choice = { ...NO_CHOICE, period: 'today' };
    expect(scopeOfChoice(choice, now).range).toEqual({ from: day(2024, 3, 13), to: day(2024, 3, 14) });
    expect(scopeOfChoice(choice, new Date(2024, 2, 14, 0, 5)).range).toEqual({ from: day(2024, 3, 14), to: day(2024, 3, 15) });
    expect(untilMidnight(new Date(2024, 2, 13, 23, 0))).toBe(60 * 60 * 1000);
  });

  it('reads a month, and a custom range whose either end may be open', () => {
    expect(scopeOfChoice({ ...NO_CHOICE, period: 'month:2023-12', site: 'example.org' }, now)).toMatchObject({
      range: { from: day(2023, 12, 1), to: day(2024, 1, 1) },
      rangeLabel: expect.stringMatching(/^in .*2023$/),
      site: 'example.org',
    });
    expect(scopeOfChoice({ ...NO_CHOICE, period: 'custom', from: '2024-03-09', to: '2024-03-02' }, now).range).toEqual({ from: day(2024, 3, 2), to: day(2024, 3, 10) });
    expect(scopeOfChoice({ ...NO_CHOICE, period: 'custom', to: '2024-03-02' }, now).range).toEqual({ from: -Infinity, to: day(2024, 3, 3) });
    expect(scopeOfChoice({ ...NO_CHOICE, period: 'custom' }, now)).toEqual(WHOLE_LIBRARY);
  });

  it('offers the months documents were saved in, newest first', () => {
    const months = monthsOf([doc('a', day(2024, 3, 2)), doc('b', day(2023, 11, 30)), doc('c', day(2024, 3, 31))]);
    expect(months.map((m) => [m.value, m.count])).toEqual([['month:2024-03', 2], ['month:2023-11', 1]]);
  });

  it('keeps the choice in the tab, and survives a broken or missing store', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    saveChoice(storage, { period: 'custom', from: '2024-03-01', to: '', site: 'example.org' });
    expect(loadChoice(storage)).toEqual({ period: 'custom', from: '2024-03-01', to: '', site: 'example.org' });
    store.set('memory-cache:scope', '{not json');
    expect(loadChoice(storage)).toEqual(NO_CHOICE);
    expect(loadChoice(undefined)).toEqual(NO_CHOICE);
  });
});
