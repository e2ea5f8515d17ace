/// <reference lib="webworker" />
import { openLibraryDB, type LibraryDB } from '../storage/schema';
import { getDocumentChunks } from '../storage/library';
import type { LibraryIndex } from './index';
import { indexableChunks, openPersistedIndex, persistIndex } from './persisted-index';
import { yieldToMain } from '../scheduling';
import type { IndexRequest, IndexRequestMessage } from './index-protocol';
import { responseTo } from '../worker-calls';
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
      await persistIndex(database, source, request.libraryVersion, yieldToMain);
      return null;
    }
  }
}

/**
 * Requests that change the index (or save it) run one at a time, in order. A search waits
 * for the changes asked before it, but not for a save, which writes the index in slices and
 * answers searches in between: saving a large library's index takes seconds.
 */
let changes: Promise<unknown> = Promise.resolve();
/** The changes alone, without the saves among them: what a search must wait for. */
let changed: Promise<unknown> = Promise.resolve();

const READS = new Set<IndexRequest['type']>(['search', 'search-pages', 'find-passages']);

async function respond(id: number, request: IndexRequest): Promise<void> {
  self.postMessage(await responseTo(id, () => handle(request)));
}

self.addEventListener('message', (event: MessageEvent<IndexRequestMessage>) => {
  const { id, ...request } = event.data;
  if (READS.has(request.type)) {
    void changed.then(() => respond(id, request));
    return;
  }
  changes = changes.then(() => respond(id, request));
  if (request.type !== 'persist') changed = changes;
});
