/**
 * The bench page: served from the app's own origin (so it shares the app's IndexedDB), it
 * fills the library with generated documents through the app's own modules (the chunker,
 * the storage functions, the index and its persistence) and times the app's search
 * function at library sizes that would take hours to reach by adding PDFs. Every call into
 * the app is in this file, so a change of the app's module APIs is mended here alone.
 */

import { openLibraryDB, type LibraryDB, type StoredChunk, type StoredDocument } from '../../web/lib/storage/schema';
import { beginDocument, chunkId, completeDocument, listReadyDocuments, putChunks } from '../../web/lib/storage/library';
import { Chunker } from '../../web/lib/text/chunk';
import { LibraryIndex } from '../../web/lib/search/index';
import { indexableChunks, openPersistedIndex, persistIndex } from '../../web/lib/search/persisted-index';
import { searchLibrary } from '../../web/lib/search/search-library';
import { IndexClient } from '../../web/lib/search/index-client';
import { TextGenerator } from '../lib/synthetic-text';
import type { BenchLibraryApi, FillConfig, GrowTarget, LibraryStats, PersistStats, SearchTimings } from './api';

/** As the app: chunks written per transaction, and chunks added to the index at a time. */
const WRITE_BATCH = 200;
const INDEX_BATCH = 200;
/** Documents of 1 to 120 pages, evenly spread on a log scale: mostly short, some books. */
const MAX_DOC_PAGES = 120;
/** Stands in for the original PDF in the files store: nothing measured reads it. */
const PLACEHOLDER_BYTES = new ArrayBuffer(1024);

interface State {
  db: LibraryDB;
  index: LibraryIndex;
  docs: Map<string, StoredDocument>;
  text: TextGenerator;
  libraryVersion: number;
  pages: number;
  chunks: number;
  textChars: number;
}

let state: State | null = null;

function opened(): State {
  if (!state) throw new Error('benchLib.open() first');
  return state;
}

function stats(s: State, ms: number): LibraryStats {
  return { docs: s.docs.size, pages: s.pages, chunks: s.chunks, textChars: s.textChars, libraryVersion: s.libraryVersion, ms };
}

function reached(s: State, target: GrowTarget): boolean {
  return (target.chunks !== undefined && s.chunks >= target.chunks) || (target.pages !== undefined && s.pages >= target.pages);
}

function hexId(text: TextGenerator): string {
  let id = '';
  while (id.length < 64) id += text.rng.int(0x10000).toString(16).padStart(4, '0');
  return id;
}

/** Adds one document the way the ingest pipeline writes it, stopping early once the target is reached. */
async function addDocument(s: State, target: GrowTarget): Promise<void> {
  const pageCount = Math.max(1, Math.round(Math.exp(s.text.rng.next() * Math.log(MAX_DOC_PAGES))));
  const id = hexId(s.text);
  const title = s.text.title();
  const doc: StoredDocument = {
    id,
    title,
    fileName: `${title.toLowerCase().replace(/\s+/g, '-')}.pdf`,
    size: 0,
    mimeType: 'application/pdf',
    pageCount: 0,
    chunkCount: 0,
    textChars: 0,
    addedAt: Date.now(),
    state: 'ingesting',
  };
  await beginDocument(s.db, doc, PLACEHOLDER_BYTES);
  const chunker = new Chunker();
  const written: StoredChunk[] = [];
  let pending: StoredChunk[] = [];
  const take = (drafts: ReturnType<Chunker['finish']>) => {
    for (const draft of drafts) pending.push({ id: chunkId(id, draft.seq), docId: id, ...draft });
  };
  const flush = async () => {
    await putChunks(s.db, pending);
    written.push(...pending);
    pending = [];
  };
  for (let page = 1; page <= pageCount; page++) {
    const text = s.text.page().join('\n\n');
    doc.pageCount++;
    doc.textChars += text.length;
    take(chunker.addPage(page, text));
    if (pending.length >= WRITE_BATCH) await flush();
    if (reached({ ...s, pages: s.pages + doc.pageCount, chunks: s.chunks + written.length + pending.length }, target)) break;
  }
  take(chunker.finish());
  await flush();
  doc.chunkCount = written.length;
  // About 2.5 KB of PDF per page of text, as the generated PDFs weigh.
  doc.size = doc.pageCount * 2500;
  s.libraryVersion = await completeDocument(s.db, doc);
  const ready: StoredDocument = { ...doc, state: 'ready' };
  s.docs.set(id, ready);
  const indexable = indexableChunks(written, new Map([[id, ready]]));
  for (let i = 0; i < indexable.length; i += INDEX_BATCH) s.index.add(indexable.slice(i, i + INDEX_BATCH));
  s.pages += doc.pageCount;
  s.chunks += doc.chunkCount;
  s.textChars += doc.textChars;
}

async function timeSearches(s: State, index: IndexClient, queries: string[], runs: number): Promise<SearchTimings> {
  const timings: SearchTimings = { full: [], index: [], results: [] };
  // One pass first, untimed: the first calls compile the code and warm the caches.
  for (const query of queries) await searchLibrary(index, s.docs, query);
  for (let run = 0; run < runs; run++) {
    const full: number[] = [];
    const indexOnly: number[] = [];
    const results: number[] = [];
    for (const query of queries) {
      const t0 = performance.now();
      // The call Library.search makes for the search box (20 results).
      const found = await searchLibrary(index, s.docs, query, 20);
      const t1 = performance.now();
      // What searchLibrary asks of the index for 20 results, there and back.
      await index.search(query, 30);
      const t2 = performance.now();
      full.push(t1 - t0);
      indexOnly.push(t2 - t1);
      results.push(found.length);
    }
    timings.full.push(full);
    timings.index.push(indexOnly);
    timings.results = results;
  }
  return timings;
}

const api: BenchLibraryApi = {
  async open(config: FillConfig): Promise<LibraryStats> {
    const started = performance.now();
    const db = await openLibraryDB();
    const docs = await listReadyDocuments(db);
    const { index, libraryVersion } = await openPersistedIndex(db);
    state = {
      db,
      index,
      docs: new Map(docs.map((d) => [d.id, d])),
      // A different seed for every session on the same library, so new documents differ from the old.
      text: new TextGenerator(config.seedWords, { seed: config.seed + docs.length }),
      libraryVersion,
      pages: docs.reduce((total, d) => total + d.pageCount, 0),
      chunks: docs.reduce((total, d) => total + d.chunkCount, 0),
      textChars: docs.reduce((total, d) => total + d.textChars, 0),
    };
    return stats(state, performance.now() - started);
  },

  async grow(target: GrowTarget): Promise<LibraryStats> {
    const s = opened();
    const started = performance.now();
    while (!reached(s, target)) await addDocument(s, target);
    return stats(s, performance.now() - started);
  },

  async search(queries: string[], runs: number): Promise<SearchTimings> {
    const s = opened();
    // As the app searches: through the index's worker, which loads the saved copy.
    await persistIndex(s.db, s.index, s.libraryVersion);
    const worker = new IndexClient();
    try {
      await worker.open();
      return await timeSearches(s, worker, queries, runs);
    } finally {
      worker.close();
    }
  },

  async persist(): Promise<PersistStats> {
    const s = opened();
    const started = performance.now();
    await persistIndex(s.db, s.index, s.libraryVersion);
    const ms = performance.now() - started;
    return { ms, jsonChars: (await s.index.toJSON()).length };
  },

  close(): void {
    state?.db.close();
    state = null;
  },
};

window.benchLib = api;
