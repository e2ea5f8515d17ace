import { processTerm, tokenize } from './terms';

/**
 * Snippets and highlights as data (text pieces flagged as hits), never as HTML: the page
 * renders them with <mark>, so text from a document can never become markup.
 */

export interface TextPiece {
  text: string;
  hit: boolean;
}

// A hyphenated compound or an identifier is one word here, as it is for the index ("Wi-Fi"
// is found by "wifi", "get_all" by itself).
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’]*(?:[-\u2010\u2011_][\p{L}\p{N}]+)*/gu;
/** A word whose search term needs no folding, splitting or pairing: only its stem. */
export const PLAIN_WORD = /^[A-Za-z0-9]+$/;

interface WordSpan {
  start: number;
  end: number;
  /** The search term the word matched. */
  term: string;
}

/**
 * The part of a plain word that its search term always starts with: stemming and dropping a
 * possessive change only a word's end, and never its first two letters (Porter's rules that
 * could reach them need a longer stem). Highlighting checks it before stemming a word, which
 * skips most words of a chunk cheaply.
 */
export function termLead(term: string): string {
  return term.slice(0, 2);
}

/** Spans of the words in `text` whose search term is one of `terms`. */
export function findHits(text: string, terms: Iterable<string>): WordSpan[] {
  const wanted = new Set(terms);
  if (wanted.size === 0) return [];
  const leads = new Set([...wanted].map(termLead));
  const hits: WordSpan[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const start = match.index ?? 0;
    let term: string | null | undefined;
    if (PLAIN_WORD.test(word)) {
      const lower = word.slice(0, 2).toLowerCase();
      if (!leads.has(lower) && !leads.has(lower[0])) continue;
      term = processTerm(word);
    } else {
      // A word in a script without spaces is indexed as character pairs, a compound as its
      // parts and their join, a word with accents folded: look for each form.
      term = tokenize(word)
        .map(processTerm)
        .find((form) => form !== null && wanted.has(form));
    }
    if (term && wanted.has(term)) hits.push({ start, end: start + word.length, term });
  }
  return hits;
}

/** Splits `text` into pieces with the hits marked. */
export function highlight(text: string, terms: Iterable<string>): TextPiece[] {
  return piecesFor(text, findHits(text, terms), 0, text.length);
}

export interface Snippet {
  pieces: TextPiece[];
  /** Offset in the text of the most telling hit (0 when nothing matched): where the answer likely is. */
  focus: number;
}

/**
 * Where in the text the matches say the most: the window whose distinct terms weigh most,
 * each term weighing less the more often it occurs in the text. A word repeated all over a
 * chunk (often the document's own subject) says little about where the answer is; the rare
 * word that matched does. Returns where the window starts and where its weight is centred.
 */
function bestCluster(hits: WordSpan[], window: number): { start: number; focus: number } {
  const occurrences = new Map<string, number>();
  for (const hit of hits) occurrences.set(hit.term, (occurrences.get(hit.term) ?? 0) + 1);
  const weightOf = (hit: WordSpan) => 1 / (occurrences.get(hit.term) ?? 1);
  let best = { start: 0, focus: 0 };
  let bestWeight = 0;
  for (let i = 0; i < hits.length; i++) {
    let end = i;
    while (end + 1 < hits.length && hits[end + 1].end - hits[i].start <= window) end++;
    const inWindow = hits.slice(i, end + 1);
    const distinct = new Map(inWindow.map((hit) => [hit.term, hit]));
    let weight = 0;
    for (const hit of distinct.values()) weight += weightOf(hit);
    if (weight > bestWeight) {
      bestWeight = weight;
      best = { start: hits[i].start, focus: weightedMedian(inWindow, weightOf).start };
    }
  }
  return best;
}

/** The hit at the weighted middle of a cluster: where its telling words are, not its first word. */
function weightedMedian(hits: WordSpan[], weightOf: (hit: WordSpan) => number): WordSpan {
  const total = hits.reduce((sum, hit) => sum + weightOf(hit), 0);
  let running = 0;
  for (const hit of hits) {
    running += weightOf(hit);
    if (running >= total / 2) return hit;
  }
  return hits[hits.length - 1];
}

const SNIPPET_LENGTH = 240;
const CLUSTER_SHARE = 0.7;

/** Where in the text the matches point, without building a snippet (for page numbers alone). */
export function focusOf(text: string, terms: Iterable<string>): number {
  return bestCluster(findHits(text, terms), SNIPPET_LENGTH * CLUSTER_SHARE).focus;
}

/** A window of about `length` characters around the most telling cluster of hits, with hits marked. */
export function snippet(text: string, terms: Iterable<string>, length = SNIPPET_LENGTH): Snippet {
  const hits = findHits(text, terms);
  const { start: bestStart, focus } = bestCluster(hits, length * CLUSTER_SHARE);
  if (text.length <= length) return { pieces: piecesFor(text, hits, 0, text.length), focus };
  let start = Math.max(0, bestStart - Math.floor(length * 0.25));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space === -1 || space > bestStart ? start : space + 1;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + length / 2) end = space;
  }
  const pieces = piecesFor(text, hits, start, end);
  if (start > 0) pieces.unshift({ text: '… ', hit: false });
  if (end < text.length) pieces.push({ text: ' …', hit: false });
  return { pieces, focus };
}

function piecesFor(text: string, hits: WordSpan[], start: number, end: number): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = start;
  for (const hit of hits) {
    if (hit.end <= start || hit.start >= end) continue;
    const from = Math.max(hit.start, start);
    const to = Math.min(hit.end, end);
    if (from > at) pieces.push({ text: text.slice(at, from), hit: false });
    pieces.push({ text: text.slice(from, to), hit: true });
    at = to;
  }
  if (at < end) pieces.push({ text: text.slice(at, end), hit: false });
  return pieces;
}
