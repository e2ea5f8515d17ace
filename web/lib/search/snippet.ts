import { processTerm, tokenize } from './terms';

/**
 * Snippets and highlights as data (text pieces flagged as hits), never as HTML: the page
 * renders them with <mark>, so text from a document can never become markup.
 */

export interface TextPiece {
  text: string;
  hit: boolean;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;

interface WordSpan {
  start: number;
  end: number;
}

/** Spans of the words in `text` whose search term is one of `terms`. */
export function findHits(text: string, terms: Iterable<string>): WordSpan[] {
  const wanted = new Set(terms);
  if (wanted.size === 0) return [];
  const hits: WordSpan[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const start = match.index ?? 0;
    // A word in a script without spaces is indexed as character pairs: look for each pair.
    const forms = tokenize(word).map(processTerm);
    if (forms.some((form) => form !== null && wanted.has(form))) hits.push({ start, end: start + word.length });
  }
  return hits;
}

/** Splits `text` into pieces with the hits marked. */
export function highlight(text: string, terms: Iterable<string>): TextPiece[] {
  return piecesFor(text, findHits(text, terms), 0, text.length);
}

export interface Snippet {
  pieces: TextPiece[];
  /** Offset in the text of the densest cluster of hits (0 when nothing matched). */
  focus: number;
}

/** A window of about `length` characters around the densest cluster of hits, with hits marked. */
export function snippet(text: string, terms: Iterable<string>, length = 240): Snippet {
  const hits = findHits(text, terms);
  let bestStart = 0;
  let bestCount = 0;
  for (let i = 0; i < hits.length; i++) {
    let count = 0;
    while (i + count < hits.length && hits[i + count].end - hits[i].start <= length * 0.7) count++;
    if (count > bestCount) {
      bestCount = count;
      bestStart = hits[i].start;
    }
  }
  if (text.length <= length) return { pieces: piecesFor(text, hits, 0, text.length), focus: bestStart };
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
  return { pieces, focus: bestStart };
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
