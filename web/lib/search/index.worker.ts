/// <reference lib="webworker" />
import { openLibraryDB, type LibraryDB } from '../storage/schema';
import { getDocumentChunks } from '../storage/library';
import type { LibraryIndex } from './index';
import { indexableChunks, openPersistedIndex, persistIndex } from './persisted-index';
import type { IndexRequest, IndexRequestMessage } from './index-protocol';
import { errorResponse, type WorkerResponse } from '../worker-calls';
import { findPages } from './search-library';
import { findPassages } from './retrieve';

/**
 * The search index lives here, off the page: loading it, adding documents to it, and above
 * all writing it to IndexedDB (one large JSON) take hundreds of milliseconds at a time on a
 * big library, which would freeze the page. Searches are answered from here too, read and
 * dressed (chunks, snippets, pages) beside the index: one message back, and no wait for a
 * page that is busy drawing.
 */

let db: LibraryDB | null = null;
let index: LibraryIndex | null = null;

function ready(): { db: LibraryDB; index: LibraryIndex } {
  if (!db || !index) throw new Error('the search index is not open');
  return { db, index };
}

async function handle(request: IndexRequest): Promise<unknown> {
  switch (request.type) {
    case 'open': {
      db = await openLibraryDB(request.dbName);
      const opened = await openPersistedIndex(db, true);
      index = opened.index;
      return { libraryVersion: opened.libraryVersion, rebuilt: opened.rebuilt };
    }
    case 'add-document': {
      const { db: database, index: target } = ready();
      const chunks = await getDocumentChunks(database, request.docId);
      target.add(indexableChunks(chunks, new Map([[request.docId, { title: request.title }]])));
      return chunks.length;
    }
    case 'remove':
      ready().index.remove(request.chunkIds);
      return null;
    case 'search':
      return ready().index.search(request.query, request.limit, request.prefixes);
    case 'search-pages': {
      const { db: database, index: source } = ready();
      return findPages(database, source, request.query, request.limit, request.prefixes);
    }
    case 'find-passages': {
      const { db: database, index: source } = ready();
      return findPassages(database, source, request.query, request.count, request.prefixes);
    }
    case 'persist': {
      const { db: database, index: source } = ready();
      await persistIndex(database, source, request.libraryVersion);
      return null;
    }
  }
}

// One request at a time, in order: an addition is finished before a search that follows it.
let queue: Promise<unknown> = Promise.resolve();

self.addEventListener('message', (event: MessageEvent<IndexRequestMessage>) => {
  const { id, ...request } = event.data;
  queue = queue.then(async () => {
    let response: WorkerResponse;
    try {
      response = { id, ok: true, value: await handle(request) };
    } catch (error) {
      response = errorResponse(id, error);
    }
    self.postMessage(response);
  });
});
