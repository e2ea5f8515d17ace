/** The messages between the page and the worker that holds the search index. */

export type IndexRequest =
  | { type: 'open'; dbName?: string }
  /** Reads a ready document's chunks from IndexedDB and indexes them. */
  | { type: 'add-document'; docId: string; title: string }
  | { type: 'remove'; chunkIds: string[] }
  | { type: 'search'; query: string; limit: number; prefixes: ReadonlySet<string> | null }
  /** The search box's pages, with snippets (findPages). */
  | { type: 'search-pages'; query: string; limit: number; prefixes: ReadonlySet<string> | null }
  /** Passages for a question (findPassages). */
  | { type: 'find-passages'; query: string; wanted: number; prefixes: ReadonlySet<string> | null; recent: string }
  | { type: 'persist'; libraryVersion: number };

export type IndexRequestMessage = IndexRequest & { id: number };
