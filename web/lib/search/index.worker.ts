/// <reference lib="webworker" />
import { openLibraryDB, type LibraryDB } from '../storage/schema';
import { chunkKeyPrefix, getDocumentChunks, prefixOfChunk } from '../storage/library';
import type { LibraryIndex, SearchableIndex } from './index';
import { indexableChunks, openPersistedIndex, persistIndex } from './persisted-index';
import { yieldToMessages } from '../scheduling';
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

/** Chunks added to the index between two chances to answer a search: about 20 ms of work. */
const ADD_SLICE = 100;

let db: LibraryDB | null = null;
/**
 * Documents being added, and documents whose removal is waiting its turn, by chunk key
 * prefix: searches leave them out, as the page lists a document only once all of it is in,
 * and no longer once its removal is asked for. Their hits would otherwise take places in the
 * results that the page then leaves empty.
 */
const adding = new Set<string>();
const leaving = new Set<string>();
const hidden = { has: (prefix: string) => adding.has(prefix) || leaving.has(prefix) };

function visible(source: LibraryIndex): SearchableIndex {
  const excluded = adding.size + leaving.size > 0 ? hidden : undefined;
  return { search: (query, limit, prefixes) => source.search(query, limit, prefixes, excluded) };
}

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
      const prefix = chunkKeyPrefix(request.docId);
      adding.add(prefix);
      try {
        const chunks = indexableChunks(await getDocumentChunks(database, request.docId), new Map([[request.docId, { title: request.title }]]));
        // A book goes in slices, and searches are answered between them (see READS).
        for (let from = 0; from < chunks.length; from += ADD_SLICE) {
          if (from > 0) await yieldToMessages();
          target.add(chunks.slice(from, from + ADD_SLICE));
        }
        return chunks.length;
      } finally {
        adding.delete(prefix);
      }
    }
    case 'remove':
      try {
        ready().index.remove(request.chunkIds);
      } finally {
        for (const chunkId of request.chunkIds) leaving.delete(prefixOfChunk(chunkId));
      }
      return null;
    case 'search':
      return visible(ready().index).search(request.query, request.limit, request.prefixes);
    case 'search-pages': {
      const { db: database, index: source } = ready();
      return findPages(database, visible(source), request.query, request.limit, request.prefixes);
    }
    case 'find-passages': {
      const { db: database, index: source } = ready();
      return findPassages(database, visible(source), request.query, request.wanted, request.prefixes, undefined, request.recent);
    }
    case 'persist': {
      const { db: database, index: source } = ready();
      await persistIndex(database, source, request.libraryVersion, yieldToMessages);
      return null;
    }
  }
}

/**
 * Requests that change the index (or save it) run one at a time, in order. Searches do not
 * wait for them: adding a book and saving a large index take seconds, and both go in slices
 * with searches answered in between. A search leaves out a document still being added (see
 * `adding`); one being removed the page leaves out, as it no longer lists it.
 */
let changes: Promise<unknown> = Promise.resolve();

const READS = new Set<IndexRequest['type']>(['search', 'search-pages', 'find-passages']);

async function respond(id: number, request: IndexRequest): Promise<void> {
  self.postMessage(await responseTo(id, () => handle(request)));
}

self.addEventListener('message', (event: MessageEvent<IndexRequestMessage>) => {
  const { id, ...request } = event.data;
  if (READS.has(request.type)) {
    void respond(id, request);
    return;
  }
  if (request.type === 'remove') for (const chunkId of request.chunkIds) leaving.add(prefixOfChunk(chunkId));
  changes = changes.then(() => respond(id, request));
});
