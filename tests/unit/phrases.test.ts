import { describe, expect, it } from 'vitest';
import { PHRASE_BONUS, phraseWeight, queryPairs } from '../../web/lib/search/phrases';

const weight = (query: string, text: string) => phraseWeight(queryPairs(query), text);

describe('phrase weight', () => {
  it('weighs up a passage holding the query words side by side, in any word form and across stop words', () => {
    expect(weight('hot water', 'Pour hot water over the grounds.')).toBe(1 + PHRASE_BONUS);
    expect(weight('feeding the sourdough starter', 'Feed your sourdough starters daily.')).toBe(1 + PHRASE_BONUS);
  });

  it('gives a part of the bonus for a part of the pairs, and none for the words scattered or reversed', () => {
    expect(weight('degree heating weeks', 'Heating weeks are counted, not degrees.')).toBe(1 + PHRASE_BONUS / 2);
    expect(weight('hot water', 'The water was not hot.')).toBe(1);
    expect(weight('hot water', 'Hot days call for cold water.')).toBe(1);
    // Across the end of a sentence or a paragraph, neighbours are no phrase.
    expect(weight('hot water', 'It was hot. Water came later.')).toBe(1);
    expect(weight('hot water', 'Keep it hot\n\nWater the plants.')).toBe(1);
    expect(weight('hot water', 'Keep it hot, water the plants.')).toBe(1 + PHRASE_BONUS);
  });

  it('has nothing to weigh for a query of one word', () => {
    expect(weight('water', 'hot water')).toBe(1);
    expect(weight('the water', 'hot water')).toBe(1);
  });

  it('takes a compound for itself joined and for its parts, and gives nothing for the words inside it', () => {
    for (const [query, text] of [
      ['wifi router', 'Restart the Wi-Fi router.'],
      ['wi-fi router', 'Restart the WiFi router.'],
      ['wi-fi router', 'Restart the Wi-Fi router.'],
      ['home wi-fi', 'Your home Wi-Fi is slow.'],
      ['fi router', 'Restart the Wi-Fi router.'],
    ]) {
      expect(weight(query, text), `${query} in "${text}"`).toBe(1 + PHRASE_BONUS);
    }
    // The compound alone, far from the router, holds none of the query's pairs.
    expect(weight('wi-fi router', 'The Wi-Fi works; the router is elsewhere.')).toBe(1);
    expect(weight('e-mail', 'Send an e-mail.')).toBe(1);
  });

  it("takes an identifier's words for neighbours, and the identifier whole for a neighbour of the words around it", () => {
    for (const [query, text] of [
      ['der decoding', 'Call asn1_der_decoding() on the buffer.'],
      ['asn1_der_decoding buffer', 'Pass asn1_der_decoding the buffer.'],
      ['call get_all', 'Then call get_all twice.'],
    ]) {
      expect(weight(query, text), `${query} in "${text}"`).toBe(1 + PHRASE_BONUS);
    }
    expect(weight('der decoding', 'DER is used. Decoding is slow.')).toBe(1);
  });

  it('weighs neighbouring character pairs of text written without spaces', () => {
    expect(weight('東京大学', '東京大学の図書館')).toBe(1 + PHRASE_BONUS);
    expect(weight('東京大学', '大学は東京にある')).toBe(1);
  });
});
