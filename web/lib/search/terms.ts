import { stemmer } from 'stemmer';

/**
 * How text becomes search terms, shared by indexing, querying and highlighting so that all
 * three agree on what a "word" is: lower case, stop words dropped, English word forms
 * reduced to one stem ("fermenting" and "fermented" both become "ferment").
 */

// Words that carry no meaning in a question ("how do I ...", "what is the ...").
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just let me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours yourself yourselves s t d ll m re ve tell explain describe find show please get got
also there's what's it's i'm`.split(/\s+/),
);

// Scripts written without spaces: indexed as overlapping character pairs so that any
// word inside a run of text can be found.
const CJK_CHARS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const HAS_CJK = new RegExp(`[${CJK_CHARS}]`, 'u');
const CJK_RUN = new RegExp(`[${CJK_CHARS}]+`, 'gu');
const WORD_SEPARATOR = /[\n\r\p{Z}\p{P}\p{S}]+/u;

/** Splits text into raw words (before stemming). */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const token of text.split(WORD_SEPARATOR)) {
    if (token.length === 0) continue;
    if (!HAS_CJK.test(token)) {
      words.push(token);
      continue;
    }
    let rest = token.replace(CJK_RUN, (run) => {
      for (const pair of cjkPairs(run)) words.push(pair);
      return ' ';
    });
    rest = rest.trim();
    if (rest.length > 0) words.push(...rest.split(' ').filter((w) => w.length > 0));
  }
  return words;
}

function cjkPairs(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const pairs: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) pairs.push(chars[i] + chars[i + 1]);
  return pairs;
}

// Stemming is the costliest step of highlighting snippets; words repeat a great deal.
const STEMS = new Map<string, string | null>();
const STEM_CACHE_SIZE = 50_000;

/** The search term for one word, or null when the word is not worth indexing. */
export function processTerm(word: string): string | null {
  const cached = STEMS.get(word);
  if (cached !== undefined) return cached;
  const term = computeTerm(word);
  if (STEMS.size >= STEM_CACHE_SIZE) STEMS.clear();
  STEMS.set(word, term);
  return term;
}

function computeTerm(word: string): string | null {
  const lower = word.toLowerCase();
  if (STOP_WORDS.has(lower)) return null;
  // Possessives and elided forms ("library's") are the word itself.
  const bare = lower.replace(/['’]s?$/u, '');
  if (bare.length === 0) return null;
  return /^[a-z]+$/.test(bare) ? stemmer(bare) : bare;
}

/** The search terms of a query, in order, repeats included (a repeated word weighs more). */
export function searchTerms(query: string): string[] {
  return tokenize(query)
    .map(processTerm)
    .filter((t): t is string => t !== null);
}
