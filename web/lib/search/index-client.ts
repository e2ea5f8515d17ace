import type { IndexHit, SearchableIndex } from './index';
import type { LibrarySearcher } from './searcher';
import type { PageHit } from './search-library';
import type { FoundPassage } from './retrieve';
import type { IndexRequest } from './index-protocol';
import { WorkerCalls } from '../worker-calls';

/** The page's handle on the search index worker: every call a promise of the worker's answer. */
export class IndexClient implements SearchableIndex, LibrarySearcher {
  private readonly calls = new WorkerCalls<IndexRequest>(new Worker(new URL('./index.worker.ts', import.meta.url), { type: 'module', name: 'search index' }));

  private call<T>(request: IndexRequest): Promise<T> {
    return this.calls.call<T>(request);
  }

  open(dbName?: string): Promise<{ libraryVersion: number; rebuilt: boolean }> {
    return this.call({ type: 'open', dbName });
  }

  addDocument(docId: string, title: string): Promise<number> {
    return this.call({ type: 'add-document', docId, title });
  }

  remove(chunkIds: string[]): Promise<null> {
    return this.call({ type: 'remove', chunkIds });
  }

  search(query: string, limit: number, prefixes?: ReadonlySet<string> | null): Promise<IndexHit[]> {
    return this.call({ type: 'search', query, limit, prefixes: prefixes ?? null });
  }

  searchPages(query: string, limit: number, prefixes?: ReadonlySet<string> | null): Promise<PageHit[]> {
    return this.call({ type: 'search-pages', query, limit, prefixes: prefixes ?? null });
  }

  findPassages(query: string, wanted: number, prefixes?: ReadonlySet<string> | null, recent = ''): Promise<FoundPassage[]> {
    return this.call({ type: 'find-passages', query, wanted, prefixes: prefixes ?? null, recent });
  }

  persist(libraryVersion: number): Promise<null> {
    return this.call({ type: 'persist', libraryVersion });
  }

  close(): void {
    this.calls.terminate('the search index was closed');
  }
}
