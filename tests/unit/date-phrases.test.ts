import { describe, expect, it } from 'vitest';
import { parseDatePhrase, questionPeriod } from '../../web/lib/time/date-phrases';

// Wednesday 13 March 2024, mid-afternoon, local time.
const now = new Date(2024, 2, 13, 15, 30);
const day = (y: number, m1: number, d: number) => new Date(y, m1 - 1, d).getTime();
const range = (from: number, to: number) => ({ from, to });

function rangeOf(text: string, options = {}) {
  return parseDatePhrase(text, now, options)?.range ?? null;
}

describe('parseDatePhrase', () => {
  it.each([
    ['what did I save today', range(day(2024, 3, 13), day(2024, 3, 14))],
    ["yesterday's articles", range(day(2024, 3, 12), day(2024, 3, 13))],
    ['this week', range(day(2024, 3, 11), day(2024, 3, 18))],
    ['last week', range(day(2024, 3, 4), day(2024, 3, 11))],
    ['previous week', range(day(2024, 3, 4), day(2024, 3, 11))],
    ['this month', range(day(2024, 3, 1), day(2024, 4, 1))],
    ['last month', range(day(2024, 2, 1), day(2024, 3, 1))],
    ['this year', range(day(2024, 1, 1), day(2025, 1, 1))],
    ['last year', range(day(2023, 1, 1), day(2024, 1, 1))],
  ])('reads the calendar phrase %j', (text, expected) => {
    expect(rangeOf(text)).toEqual(expected);
  });

  it('starts weeks on the day it is told', () => {
    expect(rangeOf('this week', { weekStartsOn: 0 })).toEqual(range(day(2024, 3, 10), day(2024, 3, 17)));
    expect(rangeOf('last week', { weekStartsOn: 0 })).toEqual(range(day(2024, 3, 3), day(2024, 3, 10)));
  });

  it.each([
    ['in March', range(day(2024, 3, 1), day(2024, 4, 1))],
    ['in april', range(day(2023, 4, 1), day(2023, 5, 1))],
    ['during December', range(day(2023, 12, 1), day(2024, 1, 1))],
    ['in march 2024', range(day(2024, 3, 1), day(2024, 4, 1))],
    ['notes from March 2023', range(day(2023, 3, 1), day(2023, 4, 1))],
    ['in Sept. 2022', range(day(2022, 9, 1), day(2022, 10, 1))],
    ['in 2023', range(day(2023, 1, 1), day(2024, 1, 1))],
  ])('reads the month or year %j, a month without a year being the latest one begun', (text, expected) => {
    expect(rangeOf(text)).toEqual(expected);
  });

  it.each([
    ['last 7 days', range(day(2024, 3, 6), day(2024, 3, 14))],
    ['the past 3 weeks', range(day(2024, 2, 21), day(2024, 3, 14))],
    ['in the last 2 months', range(day(2024, 1, 13), day(2024, 3, 14))],
    ['over the past week', range(day(2024, 3, 6), day(2024, 3, 14))],
    ['in the last week', range(day(2024, 3, 6), day(2024, 3, 14))],
    ['past two years', range(day(2022, 3, 13), day(2024, 3, 14))],
  ])('reads the rolling period %j up to the end of today', (text, expected) => {
    expect(rangeOf(text)).toEqual(expected);
  });

  it.each([
    ['since Monday', range(day(2024, 3, 11), day(2024, 3, 14))],
    ['since Wednesday', range(day(2024, 3, 6), day(2024, 3, 14))],
    ['since March 3', range(day(2024, 3, 3), day(2024, 3, 14))],
    ['since the 1st of February', range(day(2024, 2, 1), day(2024, 3, 14))],
    ['since March', range(day(2024, 3, 1), day(2024, 3, 14))],
    ['since yesterday', range(day(2024, 3, 12), day(2024, 3, 14))],
    ['since last week', range(day(2024, 3, 4), day(2024, 3, 14))],
    ['since 2023', range(day(2023, 1, 1), day(2024, 3, 14))],
  ])('reads %j as running to the end of today', (text, expected) => {
    expect(rangeOf(text)).toEqual(expected);
  });

  it.each([
    ['on 3 March', range(day(2024, 3, 3), day(2024, 3, 4))],
    ['on March 3rd', range(day(2024, 3, 3), day(2024, 3, 4))],
    ['on the 3rd of March', range(day(2024, 3, 3), day(2024, 3, 4))],
    ['on 20 March', range(day(2023, 3, 20), day(2023, 3, 21))],
    ['on March 3, 2022', range(day(2022, 3, 3), day(2022, 3, 4))],
    ['on February 29', range(day(2024, 2, 29), day(2024, 3, 1))],
    ['July 4th', range(day(2023, 7, 4), day(2023, 7, 5))],
    ['on Monday', range(day(2024, 3, 11), day(2024, 3, 12))],
    ['last Friday', range(day(2024, 3, 8), day(2024, 3, 9))],
    ['on Wednesday', range(day(2024, 3, 6), day(2024, 3, 7))],
  ])('reads the day %j, the latest one not in the future', (text, expected) => {
    expect(rangeOf(text)).toEqual(expected);
  });

  it('finds a 29 February in the last leap year', () => {
    expect(parseDatePhrase('on 29 February', new Date(2025, 5, 1))?.range).toEqual(range(day(2024, 2, 29), day(2024, 3, 1)));
  });

  it('returns the phrase and the question without it', () => {
    expect(parseDatePhrase('what did I save about tides last week?', now)).toEqual({
      range: range(day(2024, 3, 4), day(2024, 3, 11)),
      phrase: 'last week',
      rest: 'what did I save about tides?',
    });
    expect(parseDatePhrase('Last week, what did I read about bread?', now)?.rest).toBe('what did I read about bread?');
    expect(parseDatePhrase('articles on sourdough saved in March', now)).toMatchObject({ phrase: 'in March', rest: 'articles on sourdough saved' });
    expect(parseDatePhrase('What did I save In The Last 2 Months about kelp', now)).toMatchObject({
      phrase: 'In The Last 2 Months',
      rest: 'What did I save about kelp',
    });
  });

  it('takes "may" and "march" for months only with a preposition, a year or an ordinal', () => {
    expect(parseDatePhrase('what may I have saved about kelp?', now)).toBeNull();
    expect(parseDatePhrase('I may 5 times have read this', now)).toBeNull();
    expect(parseDatePhrase('the march on Washington', now)).toBeNull();
    expect(parseDatePhrase('a protest march 3 blocks long', now)).toBeNull();
    expect(rangeOf('what did I save in May')).toEqual(range(day(2023, 5, 1), day(2023, 6, 1)));
    expect(rangeOf('May 2023 notes')).toEqual(range(day(2023, 5, 1), day(2023, 6, 1)));
    expect(rangeOf('on may 5')).toEqual(range(day(2023, 5, 5), day(2023, 5, 6)));
    expect(rangeOf('May 5th')).toEqual(range(day(2023, 5, 5), day(2023, 5, 6)));
  });

  it.each([
    'what did I save about bread?',
    'recipes from 2023', // "from" a year is too loose: the year of a recipe, or of saving?
    'the 1999 report',
    'in 1850',
    'on 31 April',
    'yesterday or last week',
    'in March or in April',
    'Monday meeting notes',
  ])('finds no single unambiguous phrase in %j', (text) => {
    expect(parseDatePhrase(text, now)).toBeNull();
  });
});

describe('questionPeriod', () => {
  it.each([
    ['What did I save about otters last week?', 'last week', 'What did I save about otters?'],
    ['pages I read in March', 'in March', 'pages I read'],
    ['articles I clipped yesterday about tides', 'yesterday', 'articles I clipped about tides'],
    ['my bookmarks about kelp from last week', 'from last week', 'my bookmarks about kelp'],
    ['what did I download in 2023', 'in 2023', 'what did I download'],
  ])('takes the period of a question about saving: %j', (text, phrase, rest) => {
    expect(questionPeriod(text, now)).toMatchObject({ phrase, rest });
  });

  it.each([
    'What was the inflation rate in 2020?',
    'What did the report say about sales last year?',
    'What happened in March 1917?',
    'What did Lincoln say on November 19, 1863?',
    'What is on the menu today?',
    'How much money was saved in 2020?',
    'How many tourists visited Paris last year?',
  ])('leaves a date about the content in the question: %j', (text) => {
    expect(questionPeriod(text, now)).toBeNull();
  });

  it('reads no month or year before 1990 as a period of saving, even beside a saving verb', () => {
    expect(questionPeriod('what did I save about the revolution of March 1917', now)).toBeNull();
    expect(questionPeriod('what did I save in March 2023', now)?.range).toEqual(range(day(2023, 3, 1), day(2023, 4, 1)));
  });
});
