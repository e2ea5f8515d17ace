/**
 * What the bench page (bench/page/main.ts) offers to the benchmark through page.evaluate.
 * Types only, shared by the page and by Node.
 */

export interface FillConfig {
  /** Words most frequent first: the head of the synthetic vocabulary. */
  seedWords: string[];
  seed: number;
}

export interface LibraryStats {
  docs: number;
  pages: number;
  chunks: number;
  textChars: number;
  libraryVersion: number;
  /** Milliseconds the last call took. */
  ms: number;
}

export interface GrowTarget {
  /** Stop once the library holds at least this many chunks… */
  chunks?: number;
  /** …or this many pages, whichever comes first. */
  pages?: number;
}

export interface SearchTimings {
  /** Per run, per query: milliseconds of searchLibrary (index search, chunk reads, snippets): what the app awaits. */
  full: number[][];
  /** Per run, per query: milliseconds of the index search alone. */
  index: number[][];
  /** Results of each query in the last run, to show that the queries find something. */
  results: number[];
}

export interface PersistStats {
  ms: number;
  /** Characters of the serialised index. */
  jsonChars: number;
}

export interface BenchLibraryApi {
  /** Opens the app's database as the app does, taking up whatever it already holds. */
  open(config: FillConfig): Promise<LibraryStats>;
  grow(target: GrowTarget): Promise<LibraryStats>;
  search(queries: string[], runs: number): Promise<SearchTimings>;
  /** Saves the in-memory index the way the app does, so the app starts from it. */
  persist(): Promise<PersistStats>;
  close(): void;
}

declare global {
  interface Window {
    benchLib: BenchLibraryApi;
  }
}
