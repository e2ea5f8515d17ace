import { describe, expect, it } from 'vitest';
import { PHRASE_BONUS, phraseWeight } from '../../web/lib/search/phrases';
import { searchTerms } from '../../web/lib/search/terms';

const weight = (query: string, text: string) => phraseWeight(searchTerms(query), text);

describe('phrase weight', () => {
  it('weighs up a passage holding the query words side by side, in any word form and across stop words', () => {
    expect(weight('hot water', 'Pour hot water over the grounds.')).toBe(1 + PHRASE_BONUS);
    expect(weight('feeding the sourdough starter', 'Feed your sourdough starters daily.')).toBe(1 + PHRASE_BONUS);
  });

  it('gives a part of the bonus for a part of the pairs, and none for the words scattered or reversed', () => {
    expect(weight('degree heating weeks', 'Heating weeks are counted, not degrees.')).toBe(1 + PHRASE_BONUS / 2);
    expect(weight('hot water', 'The water was not hot.')).toBe(1);
    expect(weight('hot water', 'Hot days call for cold water.')).toBe(1);
  });

  it('has nothing to weigh for a query of one word', () => {
    expect(weight('water', 'hot water')).toBe(1);
    expect(weight('the water', 'hot water')).toBe(1);
  });
});
