import type MiniSearch from 'minisearch';
import type { IndexHit } from './index';

/**
 * The best few chunks for a query, scored exactly as MiniSearch 7 scores them (BM25 per
 * field, prefix and fuzzy variants weighted by distance, the score multiplied by how many of
 * the query's words a chunk matches), but without what makes MiniSearch's own search slow on
 * a large library: it builds a result object, a terms array and a match object for every
 * chunk that contains any query word (30,000 of 50,000 for an everyday question), merges
 * them term by term in Maps, and sorts them all, to show twenty. Here the scores accumulate
 * in typed arrays indexed by MiniSearch's short document ids, and only the best `limit` are
 * picked and dressed. One difference: a removed chunk's words stay in MiniSearch's index
 * until it is vacuumed, and MiniSearch's own search counts them towards a word's rarity until
 * it has stumbled on them a few times; here only the chunks still in the index count, always.
 *
 * It reads MiniSearch's index structures, which are not public API; the package is pinned to
 * 7.2.x, and tests/unit/top-hits.test.ts checks that the results equal MiniSearch's own search
 * on real and generated text, so an upgrade that changes them fails a test, not a search.
 */

/** Field id → (short document id → term frequency). */
type Postings = Map<number, Map<number, number>>;

/** The parts of MiniSearch 7's private state that scoring reads. */
interface MiniSearchState {
  _index: {
    get(term: string): Postings | undefined;
    atPrefix(prefix: string): Iterable<[string, Postings]>;
    fuzzyGet(term: string, maxDistance: number): Map<string, [Postings, number]>;
  };
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _documentIds: Map<number, string>;
  _nextId: number;
  _dirtCount: number;
}

export interface RankingOptions {
  /** Fields in the order MiniSearch was configured with, and their boosts. */
  fields: string[];
  boost: Record<string, number>;
  prefix: (term: string, i: number, terms: string[]) => boolean;
  fuzzy: (term: string, i: number, terms: string[]) => number | false;
  maxFuzzy: number;
  weights: { fuzzy: number; prefix: number };
}

/**
 * What the app adds to MiniSearch's matching of a query's words (with none of it, topHits
 * ranks exactly as MiniSearch does). Each extra variant is scored as MiniSearch scores a
 * prefix or fuzzy variant of the same distance.
 */
export interface Spelling {
  /** Each query term's word as typed, folded; the same length as the terms. */
  typed: string[];
  /** Edits allowed in a term that is in no chunk at all, when `fuzzy` allows none (short words). */
  fuzzyIfMissing: (term: string) => number | false;
  /** The terms of the typed word with two neighbouring letters swapped, tried for a term in no chunk. */
  transposed: (typed: string) => string[];
  /**
   * The word being typed is stemmed as if it were whole ("fermentat" stays "fermentat"), and
   * no term of the index starts with that: the longest term of the index that the typed word
   * starts with ("ferment"), of at least this many letters, is taken as what it completes.
   */
  minCompletedStem: number;
}

/** MiniSearch's default BM25+ parameters. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

interface Variant {
  term: string;
  weight: number;
  postings: Postings;
}

export function topHits<T>(
  index: MiniSearch<T>,
  queryTerms: string[],
  options: RankingOptions,
  limit: number,
  accept?: (id: string) => boolean,
  spelling?: Spelling,
): IndexHit[] {
  // Why the cast: see the module comment; MiniSearchState names what is read.
  const mini = index as unknown as MiniSearchState;
  const size = mini._nextId;
  const lengthsOf = fieldLengths(mini);
  const total = new Float64Array(size);
  const termScore = new Float64Array(size);
  const lastQueryTerm = new Int32Array(size).fill(-1);
  const quality = new Uint16Array(size);
  // In first-match order: MiniSearch's order among equal scores.
  const matched: number[] = [];
  const inTerm: number[] = [];
  const variantsOfTerm: Variant[][] = [];
  // A word asked twice adds its score twice but counts once towards quality.
  const repeated = new Map<string, Set<number>>();
  for (const term of queryTerms) if (queryTerms.indexOf(term) !== queryTerms.lastIndexOf(term)) repeated.set(term, new Set());

  queryTerms.forEach((term, i) => {
    const variants = variantsOf(mini, term, i, queryTerms, options, spelling);
    variantsOfTerm.push(variants);
    inTerm.length = 0;
    for (const variant of variants) {
      for (const field of options.fields) {
        const fieldId = mini._fieldIds[field];
        const freqs = variant.postings.get(fieldId);
        if (freqs === undefined) continue;
        const matching = mini._dirtCount > 0 ? liveCount(mini, freqs) : freqs.size;
        const idf = Math.log(1 + (mini._documentCount - matching + 0.5) / (matching + 0.5));
        const factor = variant.weight * (options.boost[field] || 1);
        const avgLength = mini._avgFieldLength[fieldId];
        const lengths = lengthsOf[fieldId];
        freqs.forEach((tf, doc) => {
          const length = lengths[doc];
          if (length < 0) return; // discarded, not yet vacuumed
          const raw = idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / avgLength)));
          if (lastQueryTerm[doc] !== i) {
            lastQueryTerm[doc] = i;
            termScore[doc] = 0;
            inTerm.push(doc);
          }
          termScore[doc] += factor * raw;
        });
      }
    }
    const counted = repeated.get(term);
    for (const doc of inTerm) {
      if (quality[doc] === 0) matched.push(doc);
      total[doc] += termScore[doc];
      if (counted === undefined) quality[doc]++;
      else if (!counted.has(doc)) {
        counted.add(doc);
        quality[doc]++;
      }
    }
  });

  const best = new BestOf(limit);
  matched.forEach((doc, order) => {
    const score = total[doc] * quality[doc];
    if (!best.wouldTake(score, order)) return;
    const id = mini._documentIds.get(doc);
    if (id !== undefined && (accept === undefined || accept(id))) best.add(doc, score, order);
  });
  return best.sorted().map(({ doc, score }) => ({
    chunkId: mini._documentIds.get(doc) as string,
    score,
    terms: matchedVariants(variantsOfTerm, doc),
  }));
}

/** The document terms a chunk matched (the stems, completions and near spellings), for highlighting. */
function matchedVariants(variantsOfTerm: Variant[][], doc: number): string[] {
  const terms = new Set<string>();
  for (const variants of variantsOfTerm) {
    for (const variant of variants) {
      if (terms.has(variant.term)) continue;
      for (const freqs of variant.postings.values()) {
        if (freqs.has(doc)) {
          terms.add(variant.term);
          break;
        }
      }
    }
  }
  return [...terms];
}

interface Ranked {
  doc: number;
  score: number;
  order: number;
}

/** The `limit` highest scores seen, ties going to the earlier; a sorted array, as limit is small. */
class BestOf {
  private readonly items: Ranked[] = [];

  constructor(private readonly limit: number) {}

  wouldTake(score: number, order: number): boolean {
    if (this.limit <= 0) return false;
    if (this.items.length < this.limit) return true;
    return before({ doc: -1, score, order }, this.items[this.items.length - 1]);
  }

  add(doc: number, score: number, order: number): void {
    const item = { doc, score, order };
    let at = this.items.length;
    while (at > 0 && before(item, this.items[at - 1])) at--;
    this.items.splice(at, 0, item);
    if (this.items.length > this.limit) this.items.pop();
  }

  sorted(): Ranked[] {
    return this.items;
  }
}

function before(a: Ranked, b: Ranked): boolean {
  return a.score > b.score || (a.score === b.score && a.order < b.order);
}

/**
 * Every document's length in each field, by short id (-1: discarded), as typed arrays: a
 * Map lookup per posting was most of the time of a search. Rebuilt when documents were
 * added or removed since the last search.
 */
const lengthCache = new WeakMap<MiniSearchState, { key: string; lengths: Float64Array[] }>();

function fieldLengths(mini: MiniSearchState): Float64Array[] {
  const key = `${mini._nextId}:${mini._documentCount}:${mini._dirtCount}`;
  const cached = lengthCache.get(mini);
  if (cached?.key === key) return cached.lengths;
  const fields = Object.values(mini._fieldIds).length;
  const lengths = Array.from({ length: fields }, () => new Float64Array(mini._nextId).fill(-1));
  for (const [doc, byField] of mini._fieldLength) byField.forEach((length, fieldId) => (lengths[fieldId][doc] = length));
  lengthCache.set(mini, { key, lengths });
  return lengths;
}

function liveCount(mini: MiniSearchState, freqs: Map<number, number>): number {
  let live = 0;
  for (const doc of freqs.keys()) if (mini._documentIds.has(doc)) live++;
  return live;
}

/** A query term's variants as MiniSearch searches them: the term itself, then prefix completions, then near spellings. */
function variantsOf(mini: MiniSearchState, term: string, i: number, terms: string[], options: RankingOptions, spelling?: Spelling): Variant[] {
  const variants: Variant[] = [];
  const exact = mini._index.get(term);
  if (exact !== undefined) variants.push({ term, weight: 1, postings: exact });
  let fuzzyMatches: Map<string, [Postings, number]> | undefined;
  let fuzzy = options.fuzzy(term, i, terms);
  if (fuzzy === false && exact === undefined && spelling) fuzzy = spelling.fuzzyIfMissing(term);
  if (fuzzy !== false) {
    const maxDistance = fuzzy < 1 ? Math.min(options.maxFuzzy, Math.round(term.length * fuzzy)) : fuzzy;
    if (maxDistance > 0) fuzzyMatches = mini._index.fuzzyGet(term, maxDistance);
  }
  if (options.prefix(term, i, terms)) {
    for (const [completion, postings] of mini._index.atPrefix(term)) {
      const distance = completion.length - term.length;
      if (distance === 0) continue;
      fuzzyMatches?.delete(completion);
      variants.push({ term: completion, weight: (options.weights.prefix * completion.length) / (completion.length + 0.3 * distance), postings });
    }
  }
  if (fuzzyMatches !== undefined) {
    for (const [near, [postings, distance]] of fuzzyMatches) {
      if (distance === 0) continue;
      variants.push({ term: near, weight: (options.weights.fuzzy * near.length) / (near.length + distance), postings });
    }
  }
  if (spelling !== undefined) addSpellingVariants(mini, term, i, terms, options, spelling, exact !== undefined, variants);
  return variants;
}

function addSpellingVariants(mini: MiniSearchState, term: string, i: number, terms: string[], options: RankingOptions, spelling: Spelling, inIndex: boolean, variants: Variant[]): void {
  const typed = spelling.typed[i];
  if (typed === undefined) return;
  const seen = new Set(variants.map((v) => v.term));
  const add = (found: string, weight: number, postings: Postings) => {
    if (seen.has(found)) return;
    seen.add(found);
    variants.push({ term: found, weight, postings });
  };
  // Asked of the typed word: its stem may be shorter than the prefix rule wants ("ele" → "el").
  if (options.prefix(typed, i, terms)) {
    const before = variants.length;
    // The typed word's own completions, where stemming changed its letters ("happy" → "happi").
    if (typed !== term && typed.length >= term.length) {
      for (const [completion, postings] of mini._index.atPrefix(typed)) {
        const distance = completion.length - term.length;
        add(completion, (options.weights.prefix * completion.length) / (completion.length + 0.3 * Math.abs(distance)), postings);
      }
    }
    if (variants.length === before && !inIndex && !variants.some((v) => v.term.startsWith(term))) {
      for (let length = typed.length - 1; length >= spelling.minCompletedStem; length--) {
        const stem = typed.slice(0, length);
        const postings = mini._index.get(stem);
        if (postings === undefined) continue;
        add(stem, (options.weights.prefix * typed.length) / (typed.length + 0.3 * (typed.length - length)), postings);
        break;
      }
    }
  }
  if (!inIndex) {
    for (const swapped of spelling.transposed(typed)) {
      const postings = mini._index.get(swapped);
      if (postings !== undefined) add(swapped, (options.weights.fuzzy * swapped.length) / (swapped.length + 1), postings);
    }
  }
}
