import MiniSearch, { type Options } from 'minisearch';
import { processTerm, queryWords, tokenize, transposedTerms } from './terms';
import { topHits, type RankingOptions, type Spelling } from './top-hits';
import { serializeIndex } from './serialize-index';
import { prefixOfChunk } from '../storage/library';

/**
 * The keyword index over every chunk of the library. It stores no fields: results carry
 * only chunk ids and scores, and the chunk texts are read from IndexedDB for the few
 * results shown, which keeps the index (and its copy in IndexedDB) small.
 */

/** Bump when tokenising, stemming or fields change: a persisted index of another version is rebuilt. */
export const SEARCH_VERSION = 3;

export interface IndexableChunk {
  id: string;
  title: string;
  text: string;
}

/** What search needs of an index: the index itself, or the worker that holds it. */
export interface SearchableIndex {
  search(query: string, limit: number, prefixes?: ReadonlySet<string> | null): IndexHit[] | Promise<IndexHit[]>;
}

export interface IndexHit {
  chunkId: string;
  score: number;
  /** Stemmed document terms that matched, for highlighting. */
  terms: string[];
}

const FIELDS = ['title', 'text'];

export const INDEX_OPTIONS: Options<IndexableChunk> = {
  fields: FIELDS,
  storeFields: [],
  tokenize,
  processTerm,
};

export const RANKING: RankingOptions = {
  fields: FIELDS,
  boost: { title: 1.2 },
  // Only the word being typed is completed; completing every word drowns real matches.
  prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 3,
  // One typo in words of 6 letters or more (counted on stems: "mortgag", "kubernet"). Shorter
  // words and a second edit find few more real typos but search far more of a large
  // vocabulary (and they add noise).
  fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
  maxFuzzy: 1,
  weights: { fuzzy: 0.3, prefix: 0.5 },
};

/** What search adds to MiniSearch's matching (see Spelling); `typed` is filled per query. */
export const SPELLING: Omit<Spelling, 'typed'> = {
  // A word of five letters that no chunk contains is most likely a typo ("flout" for "flour"):
  // one edit then, never for a word the library has, where it would only add noise. Four
  // letters are too few: "fund" is one edit from "found", "cost" from "most" and "post".
  fuzzyIfMissing: (term) => (term.length >= 5 ? 1 : false),
  transposed: transposedTerms,
  minCompletedStem: 4,
};

export class LibraryIndex {
  private constructor(private readonly mini: MiniSearch<IndexableChunk>) {}

  static empty(): LibraryIndex {
    return new LibraryIndex(new MiniSearch(INDEX_OPTIONS));
  }

  /**
   * Loads a persisted index. On the page it goes in small steps so a large library does not
   * freeze it; in a worker, where nothing waits on it, in one go (the steps cost seconds).
   */
  static async fromJSON(json: string, inOneGo = false): Promise<LibraryIndex> {
    const mini = inOneGo ? MiniSearch.loadJSON<IndexableChunk>(json, INDEX_OPTIONS) : await MiniSearch.loadJSONAsync<IndexableChunk>(json, INDEX_OPTIONS);
    return new LibraryIndex(mini);
  }

  add(chunks: IndexableChunk[]): void {
    this.mini.addAll(chunks);
  }

  remove(chunkIds: string[]): void {
    this.mini.discardAll(chunkIds.filter((id) => this.mini.has(id)));
  }

  /**
   * The best chunks for a query; with `prefixes`, only chunks of those documents, and never
   * chunks of the documents in `excluded` (both by chunk key prefix, see chunkKeyPrefix).
   */
  search(query: string, limit = 50, prefixes?: ReadonlySet<string> | null, excluded?: { has(prefix: string): boolean }): IndexHit[] {
    const accept = prefixes || excluded ? (id: string) => (!prefixes || prefixes.has(prefixOfChunk(id))) && !excluded?.has(prefixOfChunk(id)) : undefined;
    const words = queryWords(query);
    const spelling = { ...SPELLING, typed: words.map((w) => w.typed) };
    return topHits(this.mini, words.map((w) => w.term), RANKING, limit, accept, spelling);
  }

  /** The index as MiniSearch's JSON; with `pause`, written in slices (see serializeIndex). */
  async toJSON(pause?: () => Promise<void>): Promise<string> {
    // MiniSearch cleans up after removals in the background, changing the index as it goes:
    // the text is written after it has finished.
    if (this.mini.isVacuuming) await this.mini.vacuum();
    return serializeIndex(this.mini, pause);
  }
}
