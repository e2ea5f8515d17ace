import type { IndexHit, SearchableIndex } from './index';
import type { LibrarySearcher } from './searcher';
import type { PageHit } from './search-library';
import type { FoundPassage } from './retrieve';
import type { IndexRequest, IndexResponseMessage } from './index-protocol';

/** The page's handle on the search index worker: every call a promise of the worker's answer. */
export class IndexClient implements SearchableIndex, LibrarySearcher {
  private readonly worker = new Worker(new URL('./index.worker.ts', import.meta.url), { type: 'module', name: 'search index' });
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor() {
    this.worker.addEventListener('message', (event: MessageEvent<IndexResponseMessage>) => {
      const response = event.data;
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(new Error(response.error));
    });
  }

  private call<T>(request: IndexRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
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

  findPassages(query: string, count: number, prefixes?: ReadonlySet<string> | null): Promise<FoundPassage[]> {
    return this.call({ type: 'find-passages', query, count, prefixes: prefixes ?? null });
  }

  persist(libraryVersion: number): Promise<null> {
    return this.call({ type: 'persist', libraryVersion });
  }

  close(): void {
    this.worker.terminate();
    for (const waiting of this.pending.values()) waiting.reject(new Error('the search index was closed'));
    this.pending.clear();
  }
}
