/**
 * Page-aware chunking. A chunk is roughly a paragraph or a few: big enough to carry an
 * answer with its context, small enough that several fit a small model's context window.
 * Chunks end on paragraph or sentence boundaries and repeat the previous chunk's last
 * sentence, so a fact split across a boundary is still found whole in one of them.
 */

import { listingShare } from './listings';

export interface ChunkDraft {
  /** 0-based position of the chunk in its document. */
  seq: number;
  text: string;
  /** 1-based page that holds most of the chunk's text: the page it cites when nothing more precise is known. */
  page: number;
  /** 1-based page the chunk starts on, overlap included. */
  pageStart: number;
  /** 1-based page the chunk ends on (equal to pageStart for most chunks). */
  pageEnd: number;
  /** Where later pages begin inside `text`: [character offset, page] pairs, in order. */
  pageBreaks: [number, number][];
}

/** The page that the character at `offset` of a chunk's text is on. */
export function pageAtOffset(chunk: Pick<ChunkDraft, 'pageStart' | 'pageBreaks'>, offset: number): number {
  let page = chunk.pageStart;
  for (const [at, next] of chunk.pageBreaks) if (offset >= at) page = next;
  return page;
}

/** A page whose entries take more than this part of it is a contents or index page. */
const LISTING_PAGE_SHARE = 0.5;

export interface ChunkOptions {
  /** A chunk is closed once it reaches this many characters. */
  targetChars: number;
  /** No chunk grows beyond this; longer sentences are cut at word boundaries. */
  maxChars: number;
  /** The last sentence of a chunk is repeated at the start of the next one when it is at most this long. */
  overlapChars: number;
  /**
   * At a page break a chunk of at least this many characters is closed, so that nearly every
   * chunk lies on one page and cites it exactly; a shorter tail joins the next page's text.
   */
  pageBreakChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { targetChars: 900, maxChars: 1400, overlapChars: 250, pageBreakChars: 350 };

interface Piece {
  text: string;
  page: number;
  /** True when the piece ends a paragraph: the preferred place to close a chunk. */
  endsParagraph: boolean;
}

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

function splitSentences(paragraph: string): string[] {
  return Array.from(sentenceSegmenter.segment(paragraph), (s) => s.segment.trim()).filter((s) => s.length > 0);
}

/** Cuts a piece that is longer than maxChars at word boundaries (or anywhere, for text without spaces). */
function splitOversized(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    let cut = rest.lastIndexOf(' ', maxChars);
    if (cut < maxChars / 2) cut = maxChars;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/**
 * Streams pages in, chunks out, so a document of thousands of pages never has to be held
 * whole: `addPage` returns the chunks it completed, `finish` returns the last one.
 */
export class Chunker {
  private readonly options: ChunkOptions;
  private pieces: Piece[] = [];
  private length = 0;
  private seq = 0;
  /** How many leading pieces were carried over from the previous chunk as overlap (0 or 1). */
  private carried = 0;

  constructor(options: Partial<ChunkOptions> = {}) {
    this.options = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  }

  /** Adds one page of normalised text (paragraphs separated by blank lines). */
  addPage(pageNumber: number, text: string): ChunkDraft[] {
    const done: ChunkDraft[] = [];
    for (const paragraph of text.split(/\n\n+/)) {
      const sentences = splitSentences(paragraph).flatMap((s) => splitOversized(s, this.options.maxChars));
      sentences.forEach((sentence, i) => {
        if (this.hasOwnText && this.length + sentence.length + 1 > this.options.maxChars) {
          done.push(this.close());
        }
        this.pieces.push({ text: sentence, page: pageNumber, endsParagraph: i === sentences.length - 1 });
        this.length += sentence.length + 1;
        if (this.length >= this.options.targetChars && i === sentences.length - 1) {
          done.push(this.close());
        }
      });
    }
    if (!this.hasOwnText) return done;
    if (listingShare(text) > LISTING_PAGE_SHARE) {
      // A contents or index page ends its chunk however short it is, and lends none of its
      // entries to the next: the page it lists is found as itself, not with the list.
      done.push(this.close());
      this.dropCarried();
    } else if (this.length >= this.options.pageBreakChars) {
      done.push(this.close());
    }
    return done;
  }

  /**
   * Adds one section of a web page, Markdown or text file (its heading leading its text). A
   * chunk never runs across a heading nor repeats the previous section's last sentence: it
   * would be cited as one section while holding another's text.
   */
  addSection(sectionNumber: number, text: string): ChunkDraft[] {
    const done = this.hasOwnText ? [this.close()] : [];
    this.dropCarried();
    done.push(...this.addPage(sectionNumber, text));
    if (this.hasOwnText) done.push(this.close());
    this.dropCarried();
    return done;
  }

  private dropCarried(): void {
    this.pieces = [];
    this.length = 0;
    this.carried = 0;
  }

  /** Closes the last chunk, if any text of its own is left. */
  finish(): ChunkDraft[] {
    const last = this.hasOwnText ? [this.close()] : [];
    this.pieces = [];
    this.length = 0;
    this.carried = 0;
    return last;
  }

  private get hasOwnText(): boolean {
    return this.pieces.length > this.carried;
  }

  private close(): ChunkDraft {
    const pieces = this.pieces;
    const { text, pageBreaks, page } = joinPieces(pieces);
    const chunk: ChunkDraft = {
      seq: this.seq++,
      text,
      page,
      pageStart: pieces[0].page,
      pageEnd: pieces[pieces.length - 1].page,
      pageBreaks,
    };
    const last = pieces[pieces.length - 1];
    const overlap = pieces.length > 1 && last.text.length <= this.options.overlapChars;
    this.pieces = overlap ? [last] : [];
    this.length = overlap ? last.text.length + 1 : 0;
    this.carried = this.pieces.length;
    return chunk;
  }
}

function joinPieces(pieces: Piece[]): { text: string; pageBreaks: [number, number][]; page: number } {
  let text = '';
  const pageBreaks: [number, number][] = [];
  const charsOnPage = new Map<number, number>();
  pieces.forEach((piece, i) => {
    if (i > 0) {
      text += pieces[i - 1].endsParagraph ? '\n\n' : ' ';
      if (piece.page !== pieces[i - 1].page) pageBreaks.push([text.length, piece.page]);
    }
    text += piece.text;
    charsOnPage.set(piece.page, (charsOnPage.get(piece.page) ?? 0) + piece.text.length);
  });
  let page = pieces[0].page;
  for (const [candidate, chars] of charsOnPage) if (chars > (charsOnPage.get(page) ?? 0)) page = candidate;
  return { text, pageBreaks, page };
}

/** Chunks a whole document at once (pages are 1-based in the result). */
export function chunkPages(pages: string[], options: Partial<ChunkOptions> = {}): ChunkDraft[] {
  const chunker = new Chunker(options);
  const chunks = pages.flatMap((text, i) => chunker.addPage(i + 1, text));
  return chunks.concat(chunker.finish());
}
