import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLibraryDB, type LibraryDB, type StoredDocument } from '../../web/lib/storage/schema';
import { beginDocument, chunkId, completeDocument, listReadyDocuments, putChunks } from '../../web/lib/storage/library';
import { chunkPages } from '../../web/lib/text/chunk';
import { normalizeText } from '../../web/lib/text/normalize';
import { openPersistedIndex } from '../../web/lib/search/persisted-index';
import { searchLibrary } from '../../web/lib/search/search-library';
import { searcherOver } from '../../web/lib/search/searcher';
import type { LibraryIndex } from '../../web/lib/search/index';

/**
 * Ranking quality on an evaluation set of 24 real-prose documents and 80 questions of five
 * kinds (natural questions, keywords, other word forms, typos, partial words). Each query
 * names the page that answers it. The whole search path runs: chunking, the index, and
 * searchLibrary's page-level results.
 */

interface EvalDoc {
  id: string;
  title: string;
  fileName: string;
  pages: string[];
}

interface EvalQuery {
  query: string;
  kind: 'question' | 'keywords' | 'word-form' | 'typo' | 'prefix';
  relevant: { doc: string; page: number }[];
}

const folder = fileURLToPath(new URL('../fixtures/search-eval/', import.meta.url));
const docs: EvalDoc[] = readdirSync(folder)
  .filter((f) => f.startsWith('docs-'))
  .flatMap((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as EvalDoc[]);
const queries = JSON.parse(readFileSync(join(folder, 'queries.json'), 'utf8')) as EvalQuery[];

// Ids in the library are SHA-256 hex; the eval ids are names. Map one to the other.
const hexId = (name: string) => Buffer.from(name.padEnd(32, '-').slice(0, 32)).toString('hex');

let db: LibraryDB;
let index: LibraryIndex;
let docsById: Map<string, StoredDocument>;

beforeAll(async () => {
  db = await openLibraryDB('ranking-eval');
  for (const doc of docs) {
    const id = hexId(doc.id);
    const stored: StoredDocument = { id, title: doc.title, fileName: doc.fileName, size: 1, mimeType: 'application/pdf', pageCount: doc.pages.length, chunkCount: 0, textChars: 1, addedAt: 0, state: 'ingesting' };
    await beginDocument(db, stored, new ArrayBuffer(1));
    const chunks = chunkPages(doc.pages.map(normalizeText)).map((c) => ({ ...c, id: chunkId(id, c.seq), docId: id }));
    await putChunks(db, chunks);
    await completeDocument(db, { ...stored, chunkCount: chunks.length });
  }
  docsById = new Map((await listReadyDocuments(db)).map((d) => [d.id, d]));
  index = (await openPersistedIndex(db)).index;
});

interface Ranked {
  query: EvalQuery;
  /** 1-based rank of the first result on a relevant page, or null when not in the top 10. */
  pageRank: number | null;
  /** 1-based rank of the first result from a relevant document. */
  docRank: number | null;
}

async function rankAll(): Promise<Ranked[]> {
  const ranked: Ranked[] = [];
  for (const query of queries) {
    const results = await searchLibrary(searcherOver(db, index), docsById, query.query, 10);
    const isRelevantPage = (r: (typeof results)[number]) => query.relevant.some((rel) => hexId(rel.doc) === r.doc.id && rel.page === r.page);
    const isRelevantDoc = (r: (typeof results)[number]) => query.relevant.some((rel) => hexId(rel.doc) === r.doc.id);
    const pageIndex = results.findIndex(isRelevantPage);
    const docIndex = results.findIndex(isRelevantDoc);
    ranked.push({ query, pageRank: pageIndex === -1 ? null : pageIndex + 1, docRank: docIndex === -1 ? null : docIndex + 1 });
  }
  return ranked;
}

function summarise(ranked: Ranked[]) {
  const n = ranked.length;
  const mrr = ranked.reduce((sum, r) => sum + (r.pageRank ? 1 / r.pageRank : 0), 0) / n;
  const at = (k: number, key: 'pageRank' | 'docRank') => ranked.filter((r) => r[key] !== null && (r[key] as number) <= k).length / n;
  return { n, pageMRR: mrr, pageAt1: at(1, 'pageRank'), pageAt5: at(5, 'pageRank'), docAt1: at(1, 'docRank'), docAt5: at(5, 'docRank') };
}

describe('search ranking on the evaluation set', () => {
  it('finds the answering page for real questions', async () => {
    const ranked = await rankAll();
    const overall = summarise(ranked);
    const kinds = [...new Set(queries.map((q) => q.kind))];
    const rows = [['all', overall] as const, ...kinds.map((k) => [k, summarise(ranked.filter((r) => r.query.kind === k))] as const)];
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(5);
    console.log(`${docs.length} documents, ${queries.length} queries\nkind        n   page MRR  page@1  page@5  doc@1  doc@5`);
    for (const [kind, s] of rows) console.log(`${kind.padEnd(10)} ${String(s.n).padStart(3)}   ${s.pageMRR.toFixed(3)}   ${pct(s.pageAt1)}  ${pct(s.pageAt5)}  ${pct(s.docAt1)}  ${pct(s.docAt5)}`);
    const misses = ranked.filter((r) => r.pageRank !== 1);
    for (const miss of misses) console.log(`  page rank ${miss.pageRank ?? '>10'}, doc rank ${miss.docRank ?? '>10'}: ${miss.query.kind}: ${miss.query.query}`);

    // Measured at 0.988 page MRR and 100% doc@5 when this threshold was set.
    expect(overall.pageMRR).toBeGreaterThanOrEqual(0.9);
    expect(overall.docAt5).toBeGreaterThanOrEqual(0.98);
    for (const [, s] of rows) expect(s.pageMRR).toBeGreaterThanOrEqual(0.85);
  });
});
