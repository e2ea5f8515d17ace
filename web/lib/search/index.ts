import MiniSearch, { type Options, type SearchOptions, type SearchResult } from 'minisearch';
import { processTerm, tokenize } from './terms';

/**
 * The keyword index over every chunk of the library. It stores no fields: results carry
 * only chunk ids and scores, and the chunk texts are read from IndexedDB for the few
 * results shown, which keeps the index (and its copy in IndexedDB) small.
 */

/** Bump when tokenising, stemming or fields change: a persisted index of another version is rebuilt. */
export const SEARCH_VERSION = 1;

export interface IndexableChunk {
  id: string;
  title: string;
  text: string;
}

export interface IndexHit {
  chunkId: string;
  score: number;
  /** Stemmed document terms that matched, for highlighting. */
  terms: string[];
}

const INDEX_OPTIONS: Options<IndexableChunk> = {
  fields: ['title', 'text'],
  storeFields: [],
  tokenize,
  processTerm,
};

const SEARCH_OPTIONS: SearchOptions = {
  boost: { title: 1.5 },
  combineWith: 'OR',
  // Only the word being typed is completed; completing every word drowns real matches.
  prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 3,
  // One typo in words of 5 letters or more. A second edit would find few more real typos
  // but searches far more of a large vocabulary: the slowest part of a search at 50,000 chunks.
  fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
  maxFuzzy: 1,
  weights: { fuzzy: 0.3, prefix: 0.5 },
};

export class LibraryIndex {
  private constructor(private readonly mini: MiniSearch<IndexableChunk>) {}

  static empty(): LibraryIndex {
    return new LibraryIndex(new MiniSearch(INDEX_OPTIONS));
  }

  /** Loads a persisted index in small steps, so a large library does not freeze the page. */
  static async fromJSON(json: string): Promise<LibraryIndex> {
    return new LibraryIndex(await MiniSearch.loadJSONAsync<IndexableChunk>(json, INDEX_OPTIONS));
  }

  get size(): number {
    return this.mini.documentCount;
  }

  add(chunks: IndexableChunk[]): void {
    this.mini.addAll(chunks);
  }

  has(chunkId: string): boolean {
    return this.mini.has(chunkId);
  }

  remove(chunkIds: string[]): void {
    for (const id of chunkIds) if (this.mini.has(id)) this.mini.discard(id);
  }

  search(query: string, limit = 50, filter?: (chunkId: string) => boolean): IndexHit[] {
    const options: SearchOptions = filter ? { ...SEARCH_OPTIONS, filter: (r: SearchResult) => filter(r.id as string) } : SEARCH_OPTIONS;
    return this.mini
      .search(query, options)
      .slice(0, limit)
      .map((r) => ({ chunkId: r.id as string, score: r.score, terms: r.terms }));
  }

  toJSON(): string {
    return JSON.stringify(this.mini);
  }
}
