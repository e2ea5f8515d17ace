import type { LibraryDB } from '../storage/schema';
import type { SearchableIndex } from './index';
import { findPages, type PageHit } from './search-library';
import { findPassages, type FoundPassage } from './retrieve';
import { textWeigher, type TextWeigher } from './hit-chunks';

/**
 * What the page searches through: the index worker (IndexClient), which finds, reads and
 * dresses results beside the index, or the same functions over an index in this thread.
 */
export interface LibrarySearcher {
  searchPages(query: string, limit: number, prefixes?: ReadonlySet<string> | null): Promise<PageHit[]>;
  /** `recent`: the words of the questions a follow-up follows (see findPassages). */
  findPassages(query: string, wanted: number, prefixes?: ReadonlySet<string> | null, recent?: string): Promise<FoundPassage[]>;
}

/** `weigher`: how the text of the best hits reorders them; the evaluation turns parts of it off. */
export function searcherOver(db: LibraryDB, index: SearchableIndex, weigher: TextWeigher = textWeigher): LibrarySearcher {
  return {
    searchPages: (query, limit, prefixes) => findPages(db, index, query, limit, prefixes, weigher),
    findPassages: (query, wanted, prefixes, recent) => findPassages(db, index, query, wanted, prefixes, weigher, recent),
  };
}
