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
// Hyphens and underscores are left in tokens at first, so that a compound or an identifier
// is seen whole (below).
const WORD_SEPARATOR = /(?:(?![-\u2010\u2011_])[\n\r\p{Z}\p{P}\p{S}])+/u;
const HYPHENS = /[-\u2010\u2011]+/u;
const LETTERS = /^\p{L}+$/u;

/**
 * Splits text into raw words (before stemming). A hyphenated compound gives its parts and,
 * before them, the parts joined, so that "Wi-Fi" is found by "wifi" and "e-mail" by "email"
 * (and the other way round); the joined form comes first so that the query's last word stays
 * the word being typed. An identifier such as "read_value" gives its words and, before them,
 * itself, so that its own page outranks pages of its longer namesakes ("read_value2").
 */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const piece of wordPieces(text)) pushPieceWords(words, piece);
  return words;
}

/** The words of one piece of text (see wordPieces), as tokenize gives them. */
export function pieceWords(piece: string): string[] {
  const words: string[] = [];
  pushPieceWords(words, piece);
  return words;
}

function pushPieceWords(words: string[], piece: string): void {
  if (piece.length === 0) return;
  const identifier = identifierOf(piece);
  if (identifier !== null) {
    if (identifier.whole !== null) words.push(identifier.whole);
    for (const word of identifier.pieces) pushPieceWords(words, word);
    return;
  }
  const compound = compoundOf(piece);
  if (compound === null) {
    pushWord(words, piece);
    return;
  }
  if (compound.joined !== null) words.push(compound.joined);
  for (const part of compound.parts) pushWord(words, part);
}

/** The text between separators: a word, a hyphenated compound, an identifier, or a run of words without spaces. */
export function wordPieces(text: string): string[] {
  return text.split(WORD_SEPARATOR);
}

/**
 * The words of a piece with underscores, each a piece of its own (it may be a compound), and
 * the piece whole when it is an identifier ("asn1_read_value": itself, then "asn1", "read"
 * and "value"); null for a piece without underscores. Underscores that pad a word
 * ("__init__") or run between words (a form's "Name____Date") only separate.
 */
export function identifierOf(piece: string): { whole: string | null; pieces: string[] } | null {
  if (!piece.includes('_')) return null;
  const trimmed = piece.replace(/^_+|_+$/g, '');
  const pieces = trimmed.split(/_+/).filter((word) => word.length > 0);
  const whole = pieces.length > 1 && !trimmed.includes('__') && !HAS_CJK.test(trimmed) ? trimmed : null;
  return { whole, pieces };
}

/**
 * A hyphenated compound's parts, and the parts joined when all are letters ("Wi-Fi": "WiFi",
 * then "Wi" and "Fi"); null for a piece without hyphens.
 */
export function compoundOf(piece: string): { joined: string | null; parts: string[] } | null {
  if (!HYPHENS.test(piece)) return null;
  const parts = piece.split(HYPHENS).filter((part) => part.length > 0);
  const joined = parts.length > 1 && parts.every((part) => LETTERS.test(part)) && !HAS_CJK.test(piece) ? parts.join('') : null;
  return { joined, parts };
}

function pushWord(words: string[], token: string): void {
  if (!HAS_CJK.test(token)) {
    words.push(token);
    return;
  }
  let rest = token.replace(CJK_RUN, (run) => {
    for (const pair of cjkPairs(run)) words.push(pair);
    return ' ';
  });
  rest = rest.trim();
  if (rest.length > 0) words.push(...rest.split(' ').filter((w) => w.length > 0));
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

// Letters that Unicode does not decompose into a base letter and an accent.
const UNDECOMPOSED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const LATIN_ACCENTS = /[\u0300-\u036f]/g;
const HAS_FOLDABLE = /[^\u0000-\u007f]/;

/**
 * A word in lower case with the accents of Latin letters taken off, so that "resume" finds
 * "résumé" and "naive" finds "naïve". Only the combining marks of Latin letters go: the
 * vowel signs of other scripts are letters of their own.
 */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  if (!HAS_FOLDABLE.test(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(LATIN_ACCENTS, '')
    .normalize('NFC')
    .replace(/[ßæœøłđðþı]/g, (c) => UNDECOMPOSED[c]);
}

function computeTerm(word: string): string | null {
  const lower = foldWord(word);
  if (STOP_WORDS.has(lower)) return null;
  // Possessives and elided forms ("library's") are the word itself.
  const bare = lower.replace(/['’]s?$/u, '');
  if (bare.length === 0) return null;
  return /^[a-z]+$/.test(bare) ? stemmer(bare) : bare;
}

/** The search terms of a query, in order, repeats included (a repeated word weighs more). */
export function searchTerms(query: string): string[] {
  return queryWords(query).map((w) => w.term);
}

export interface QueryWord {
  /** The search term (the stem). */
  term: string;
  /** The word as typed, folded (lower case, no accents): what a partial word is completed from. */
  typed: string;
}

/** A query's words with their terms, stop words left out. */
export function queryWords(query: string): QueryWord[] {
  const words: QueryWord[] = [];
  for (const word of tokenize(query)) {
    const term = processTerm(word);
    if (term !== null) words.push({ term, typed: foldWord(word).replace(/['’]s?$/u, '') });
  }
  return words;
}

/**
 * The terms the word would have with two neighbouring letters swapped ("tempreature" →
 * "temperature"): a slip that edit distance counts as two edits, too many to allow in general.
 */
export function transposedTerms(typed: string): string[] {
  if (typed.length < 4 || !/^[a-z]+$/.test(typed)) return [];
  const terms = new Set<string>();
  for (let i = 0; i < typed.length - 1; i++) {
    if (typed[i] === typed[i + 1]) continue;
    const swapped = typed.slice(0, i) + typed[i + 1] + typed[i] + typed.slice(i + 2);
    const term = processTerm(swapped);
    if (term !== null) terms.add(term);
  }
  return [...terms];
}

/**
 * Why a query that is not blank can find nothing whatever the library holds: it has only
 * words that search leaves out ("how do I") or no words at all ("???"). Null otherwise.
 */
export function unsearchableQuery(query: string): 'only-stop-words' | 'no-words' | null {
  if (query.trim().length === 0) return null;
  const words = tokenize(query);
  if (words.length === 0) return 'no-words';
  return words.every((word) => processTerm(word) === null) ? 'only-stop-words' : null;
}
