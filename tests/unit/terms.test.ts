import { describe, expect, it } from 'vitest';
import { processTerm, searchTerms, tokenize, unsearchableQuery } from '../../web/lib/search/terms';
import { LibraryIndex } from '../../web/lib/search/index';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findHits, highlight, snippet, termLead } from '../../web/lib/search/snippet';

describe('search terms', () => {
  it('drops stop words from questions', () => {
    expect(searchTerms('How do I fix a flat tire on my bike?')).toEqual(['fix', 'flat', 'tire', 'bike']);
  });

  it('reduces word forms to one stem', () => {
    expect(processTerm('Fermenting')).toBe(processTerm('fermented'));
    expect(processTerm('schedules')).toBe(processTerm('scheduling'));
    expect(processTerm("library's")).toBe(processTerm('library'));
  });

  it('splits text in scripts without spaces into character pairs', () => {
    expect(tokenize('東京都の地図')).toEqual(['東京', '京都', '都の', 'の地', '地図']);
    expect(tokenize('Tokyo 東京 map')).toEqual(['Tokyo', '東京', 'map']);
  });

  it('keeps numbers and words of other scripts', () => {
    expect(searchTerms('tram 28 Лиссабон')).toEqual(['tram', '28', 'лиссабон']);
  });
});

describe('snippets and highlights', () => {
  it('marks every form of a matched word', () => {
    const pieces = highlight('Fermentation ferments the dough while it is fermenting.', [processTerm('fermenting') as string]);
    expect(pieces.filter((p) => p.hit).map((p) => p.text)).toEqual(['Fermentation', 'ferments', 'fermenting']);
    expect(pieces.find((p) => p.text === 'dough')).toBeUndefined();
    expect(pieces.map((p) => p.text).join('')).toBe('Fermentation ferments the dough while it is fermenting.');
  });

  it('marks a compound and a word with accents as the text writes them', () => {
    const marked = (text: string, query: string) => highlight(text, searchTerms(query)).filter((p) => p.hit).map((p) => p.text);
    expect(marked('Restart the Wi-Fi router.', 'wifi')).toEqual(['Wi-Fi']);
    expect(marked('Income from self-employment is taxed.', 'employment')).toEqual(['self-employment']);
    expect(marked('Send your résumé today.', 'resume')).toEqual(['résumé']);
    expect(marked('Call get_all() once.', 'get_all')).toEqual(['get_all']);
    expect(marked('Call asn1_der_decoding() once.', 'der decoding')).toEqual(['asn1_der_decoding']);
  });

  it('centres the snippet on the most telling cluster of hits and reports where it is', () => {
    const text = `${'Filler words about nothing at all. '.repeat(30)}The oxygen tank exploded, and the oxygen supply fell. ${'More filler text here. '.repeat(30)}`;
    const { pieces, focus } = snippet(text, ['oxygen', 'tank'], 200);
    const shown = pieces.map((p) => p.text).join('');
    expect(shown).toContain('The oxygen tank exploded');
    expect(shown.length).toBeLessThan(220);
    // The focus is the rarest matched word of the cluster: "tank" occurs once, "oxygen" twice.
    expect(text.slice(focus)).toMatch(/^tank exploded/);
  });
});

describe('the shortcut highlighting takes', () => {
  it('never skips a word whose term matches: every word of the evaluation texts starts with its term\'s lead', () => {
    const folder = fileURLToPath(new URL('../fixtures/search-eval/', import.meta.url));
    const text = readdirSync(folder)
      .filter((f) => f.startsWith('docs-'))
      .map((f) => readFileSync(join(folder, f), 'utf8'))
      .join(' ');
    const words = new Set(text.match(/[A-Za-z0-9]+/g));
    // Words whose stems change most (Porter's short-stem rules) and capitals.
    for (const extra of ['ies', 'ties', 'eing', 'dying', 'Skies', 'agreed', 'oed', 'ate', 'Ying', 'yes', 'ably', 'A1', '2024']) words.add(extra);
    expect(words.size).toBeGreaterThan(3000);
    for (const word of words) {
      const term = processTerm(word);
      if (term === null) continue;
      expect(word.toLowerCase().startsWith(termLead(term)), `${word} → ${term}`).toBe(true);
      expect(findHits(`— ${word} —`, [term]).map((h) => h.term)).toEqual([term]);
    }
  });
});


describe('words as people type them', () => {
  const indexOf = (texts: string[]) => {
    const index = LibraryIndex.empty();
    index.add(texts.map((text, i) => ({ id: `${String(i).padStart(16, '0')}:0`, title: 'notes', text })));
    return index;
  };
  const found = (index: LibraryIndex, query: string) => index.search(query, 10).map((hit) => Number(hit.chunkId.split(':')[0]));

  it('completes a word being typed whose stem is shorter than what was typed', () => {
    const index = indexOf(['Notes on the fermentation of cabbage.', 'A guide to cabbage soup.', 'Good management of a small university.']);
    for (const typed of ['ferme', 'fermentat', 'fermentatio', 'cabbage fermentat']) expect(found(index, typed)[0], typed).toBe(0);
    for (const typed of ['managem', 'universit']) expect(found(index, typed), typed).toEqual([2]);
    // Only the last word is being typed: a finished word is not completed.
    expect(found(index, 'fermentat soup')).toEqual([1]);
  });

  it('folds accents: "resume" finds "résumé", "naive" finds "naïve", and back', () => {
    expect(processTerm('Résumé')).toBe(processTerm('resume'));
    expect(processTerm('naïve')).toBe(processTerm('naive'));
    expect(processTerm('Straße')).toBe(processTerm('strasse'));
    const index = indexOf(['Send your résumé to the café.', 'A naive approach to caching.']);
    expect(found(index, 'resume')).toEqual([0]);
    expect(found(index, 'cafe')).toEqual([0]);
    expect(found(index, 'naïve')).toEqual([1]);
    // The vowel signs of other scripts are letters, not accents.
    expect(processTerm('हिन्दी')).toBe('हिन्दी');
  });

  it('finds a hyphenated compound by the word written whole, and the other way round', () => {
    expect(tokenize('Wi-Fi and e-mail')).toEqual(['WiFi', 'Wi', 'Fi', 'and', 'email', 'e', 'mail']);
    const index = indexOf(['Connect to the Wi-Fi network.', 'Check your email every day.', 'A self-employment tax guide.']);
    expect(found(index, 'wifi')).toEqual([0]);
    expect(found(index, 'e-mail')[0]).toBe(1);
    expect(found(index, 'selfemployment')).toEqual([2]);
    expect(found(index, 'employment')).toEqual([2]);
  });

  it("finds an identifier's own page before its longer namesakes', and by its words", () => {
    // As in a reference manual: the namesake's page comes first and says more of the words.
    const index = indexOf([
      'int asn1_der_decoding2 (asn1 node element): fill the structure with the DER decoding of the data. DER decoding of asn1 values. Flags for the decoding.',
      'int asn1_der_decoding (asn1 node element): fill the structure with the DER encoding.',
      'Reading values with asn1_read_value.',
    ]);
    expect(found(index, 'asn1_der_decoding')[0]).toBe(1);
    expect(found(index, 'asn1_der_decoding2')[0]).toBe(0);
    expect(found(index, 'der decoding')[0]).toBe(0);
    expect(found(index, 'read value')[0]).toBe(2);
    expect(tokenize('Call asn1_der_decoding() or __init__.')).toEqual(['Call', 'asn1_der_decoding', 'asn1', 'der', 'decoding', 'or', 'init']);
    // Underscores of a form's fill-in line only separate words; a compound in an identifier is one.
    expect(tokenize('Wi-Fi____ Signature____Date home_Wi-Fi')).toEqual(['WiFi', 'Wi', 'Fi', 'Signature', 'Date', 'home_Wi-Fi', 'home', 'WiFi', 'Wi', 'Fi']);
    // An identifier of stop words alone is found by itself, and its page told by where it stands.
    const stopWords = indexOf(['Returns every row.', 'Lists of things. '.repeat(20) + 'Call get_all for every row.']);
    expect(found(stopWords, 'get_all')).toEqual([1]);
    expect(snippet('Lists of things. '.repeat(20) + 'Call get_all for every row.', searchTerms('get_all')).pieces.filter((p) => p.hit).map((p) => p.text)).toEqual(['get_all']);
  });

  it('corrects two swapped letters, and a typo in a short word the library does not have', () => {
    const index = indexOf(['The oven temperature should be steady.', 'Bread needs yeast and flour.', 'Pay the bill in cash.']);
    expect(found(index, 'tempreature')).toEqual([0]);
    expect(found(index, 'oven tempertaure')[0]).toBe(0);
    expect(found(index, 'yaest')).toEqual([1]);
    expect(found(index, 'flout')).toEqual([1]);
    // A word the library has is taken as meant: "cash" does not also find "cast" or "case".
    expect(found(index, 'bill cash')).toEqual([2]);
    // Four letters have too many neighbours: "fund" is not taken for "found" (nor "flow" for "flour").
    const found2 = indexOf(['The wallet was found under the seat.']);
    expect(found(found2, 'fund')).toEqual([]);
  });
});

describe('queries that can find nothing', () => {
  it('tells a query of only stop words, or of no words, from one that simply found nothing', () => {
    expect(unsearchableQuery('how do I do it?')).toBe('only-stop-words');
    expect(unsearchableQuery('???')).toBe('no-words');
    expect(unsearchableQuery('how do I fix it')).toBeNull();
    expect(unsearchableQuery('  ')).toBeNull();
  });
});
