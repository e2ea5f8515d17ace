/**
 * English-like text at any scale, the same in Node (for the PDFs) and in the browser (for
 * libraries filled straight into IndexedDB). Search cost depends on the statistics of the
 * text more than on its meaning: how many distinct terms there are, and how long the
 * posting lists of common and rare terms get. So words are drawn from a Zipf distribution
 * over a vocabulary whose head is real English (the words of the project's search fixtures,
 * most frequent first, stop words included) and whose long tail is made-up words, which
 * grows the number of distinct terms with the library the way real collections do.
 * Pure TypeScript without Node or DOM imports: both sides import it.
 */

/** mulberry32: small, fast, and the same sequence on every engine for a given seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** The distinct lower-case words of some texts, most frequent first. */
export function vocabularyOf(texts: string[]): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([word]) => word);
}

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'br', 'cl', 'dr', 'gr', 'pl', 'st', 'tr', 'sh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou'];
const CODAS = ['', '', 'n', 'r', 's', 'l', 'm', 't', 'nd', 'st'];

/** The made-up word of rank `n` in the long tail: 2 to 4 syllables, letters a to z only. */
function madeUpWord(n: number): string {
  // Scrambled (an odd multiplier is a bijection on 32 bits) so that neighbouring ranks do not
  // share their endings.
  const mixed = Math.imul(n + 1, 0x9e3779b1) >>> 0;
  const syllables = 2 + (mixed % 3);
  let rest = Math.floor(mixed / 3);
  let word = '';
  for (let i = 0; i < syllables; i++) {
    word += ONSETS[rest % ONSETS.length];
    rest = Math.floor(rest / ONSETS.length);
    word += VOWELS[rest % VOWELS.length];
    rest = Math.floor(rest / VOWELS.length);
    word += CODAS[rest % CODAS.length];
    rest = Math.floor(rest / CODAS.length);
  }
  return word;
}

export interface TextOptions {
  seed: number;
  /** Distinct words in the vocabulary (the real words first, then made-up ones). */
  vocabularySize?: number;
  /** Characters of text on a page (paragraphs included): about 2,400 fills a printed page of 11 pt text. */
  pageChars?: number;
}

export class TextGenerator {
  readonly rng: Rng;
  private readonly words: string[];
  private readonly cumulative: Float64Array;
  private readonly pageChars: number;

  constructor(seedWords: string[], options: TextOptions) {
    this.rng = new Rng(options.seed);
    this.pageChars = options.pageChars ?? 2400;
    const size = Math.max(seedWords.length, options.vocabularySize ?? 60_000);
    this.words = seedWords.slice(0, size);
    for (let n = 0; this.words.length < size; n++) this.words.push(madeUpWord(n));
    // Zipf–Mandelbrot weights, 1 / (rank + 2.7): the usual fit for English word frequencies.
    this.cumulative = new Float64Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank++) {
      total += 1 / (rank + 2.7);
      this.cumulative[rank] = total;
    }
  }

  /** The word of the given frequency rank (0: the most common). */
  wordAt(rank: number): string {
    return this.words[Math.min(rank, this.words.length - 1)];
  }

  word(): string {
    const target = this.rng.next() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lo];
  }

  sentence(): string {
    const length = 6 + this.rng.int(19);
    const parts: string[] = [];
    for (let i = 0; i < length; i++) {
      // Numbers (years, measures, counts) are a good part of real documents' terms.
      let word = this.rng.next() < 0.03 ? String(this.rng.int(10_000)) : this.word();
      if (i > 2 && i < length - 2 && this.rng.next() < 0.06) word += ',';
      parts.push(word);
    }
    const text = parts.join(' ');
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  }

  paragraph(chars: number): string {
    let text = this.sentence();
    while (text.length < chars) text += ` ${this.sentence()}`;
    return text;
  }

  /** One page: 3 to 5 paragraphs of about `pageChars` characters in all. */
  page(): string[] {
    const count = 3 + this.rng.int(3);
    return Array.from({ length: count }, () => this.paragraph(this.pageChars / count - 60));
  }

  title(): string {
    const words = Array.from({ length: 3 + this.rng.int(5) }, () => this.word());
    return words.map((w) => `${w[0].toUpperCase()}${w.slice(1)}`).join(' ');
  }
}
