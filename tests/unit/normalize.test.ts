import { describe, expect, it } from 'vitest';
import { normalizeLine, normalizeText } from '../../web/lib/text/normalize';

describe('normalizeText', () => {
  it('joins words hyphenated at a line end', () => {
    expect(normalizeText('the exam-\nple shows')).toBe('the example shows');
  });

  it('keeps the hyphen of a real compound broken at a line end', () => {
    expect(normalizeText('a self-\nemployment tax and a well-\nknown fact')).toBe('a self-employment tax and a well-known fact');
    // Written with its hyphen elsewhere in the text: a compound, kept.
    expect(normalizeText('The check-in desk. Ask at check-\nin time.')).toBe('The check-in desk. Ask at check-in time.');
    expect(normalizeText('a soft self\u00ad\nemployed hyphen')).toBe('a soft selfemployed hyphen');
  });

  it('keeps hyphens that start a capital or a number on the next line', () => {
    expect(normalizeText('COVID-\n19 and Anglo-\nSaxon')).toBe('COVID- 19 and Anglo- Saxon');
  });

  it('applies NFKC: ligatures and full-width forms become plain letters', () => {
    expect(normalizeText('ﬁnd the ﬂoor ＡＢＣ')).toBe('find the floor ABC');
  });

  it('collapses runs of whitespace and keeps paragraph breaks', () => {
    expect(normalizeText('one   two\nthree\n\n\n  four\tfive ')).toBe('one two three\n\nfour five');
  });

  it('drops invisible and replacement characters from broken font maps', () => {
    expect(normalizeLine('soft\u00adhyphen zero\u200bwidth \ufffdbad\u0007')).toBe('softhyphen zerowidth bad');
  });

  it('drops the private-use code points that fonts without a Unicode map produce', () => {
    expect(normalizeLine('real \ue001\ue002\uf8ff words \udb80\udc00here')).toBe('real words here');
  });

  it('keeps CJK, Hebrew and Arabic text', () => {
    expect(normalizeLine('東京 שלום مرحبا')).toBe('東京 שלום مرحبا');
  });
});
