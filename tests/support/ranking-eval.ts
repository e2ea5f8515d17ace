import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { openLibraryDB, type LibraryDB, type StoredDocument } from '../../web/lib/storage/schema';
import { beginDocument, chunkId, completeDocument, listReadyDocuments, putChunks, prefixOfChunk } from '../../web/lib/storage/library';
import { chunkPages, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../../web/lib/text/chunk';
import { normalizeText } from '../../web/lib/text/normalize';
import { openPersistedIndex, indexableChunks } from '../../web/lib/search/persisted-index';
import { searchLibrary } from '../../web/lib/search/search-library';
import { searcherOver } from '../../web/lib/search/searcher';
import { textWeigher } from '../../web/lib/search/hit-chunks';
import { INDEX_OPTIONS, RANKING, SPELLING, type IndexHit, type IndexableChunk, type SearchableIndex } from '../../web/lib/search/index';
import { foldWord, processTerm, tokenize } from '../../web/lib/search/terms';
import { topHits, type RankingOptions, type Spelling } from '../../web/lib/search/top-hits';

/**
 * The ranking evaluation: real-prose documents (several on each topic, so that the words a
 * query shares with the wrong documents are many, and a handbook of twelve pages) and
 * questions of several kinds, each naming the pages that answer it. The whole search path
 * runs: normalising, chunking, the index, and searchLibrary's page-level results. Each
 * feature of search can be turned off, to show that the evaluation notices.
 */

export interface EvalDoc {
  id: string;
  title: string;
  fileName: string;
  pages: string[];
}

export type QueryKind = 'question' | 'keywords' | 'word-form' | 'typo' | 'prefix' | 'accent' | 'compound';

export interface EvalQuery {
  query: string;
  kind: QueryKind;
  relevant: { doc: string; page: number }[];
}

const folder = fileURLToPath(new URL('../fixtures/search-eval/', import.meta.url));
export const evalDocs: EvalDoc[] = readdirSync(folder)
  .filter((f) => f.startsWith('docs-'))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as EvalDoc[]);
export const evalQueries = JSON.parse(readFileSync(join(folder, 'queries.json'), 'utf8')) as EvalQuery[];

// Ids in the library are SHA-256 hex; the eval ids are names. Map one to the other.
export const hexId = (name: string) => Buffer.from(name.padEnd(32, '-').slice(0, 32)).toString('hex');

/** What the evaluation can turn off, one at a time. */
export interface Features {
  stemming: boolean;
  accentFolding: boolean;
  joinedCompounds: boolean;
  /** All typo correction: one edit in long words, in short words no chunk has, swapped letters. */
  typos: boolean;
  /** The additions alone: typos in short words no chunk has, and swapped letters. */
  shortTyposAndSwaps: boolean;
  /** All completion of the word being typed. */
  prefix: boolean;
  /** The addition alone: completing a word whose stem is shorter than what was typed. */
  stemCompletion: boolean;
  /** The title field's boost; 0 leaves the title out of the ranking. */
  titleBoost: number;
  /** Passages holding the query's words side by side weighed up (phraseWeight). */
  phrases: boolean;
}

export const ALL_FEATURES: Features = { stemming: true, accentFolding: true, joinedCompounds: true, typos: true, shortTyposAndSwaps: true, prefix: true, stemCompletion: true, titleBoost: RANKING.boost.title, phrases: true };

export interface EvalLibrary {
  db: LibraryDB;
  docsById: Map<string, StoredDocument>;
  chunks: IndexableChunk[];
  /** How many of a document's pages make one page of the library (see buildLibrary). */
  pagesJoined: number;
}

let libraries = 0;

/**
 * The evaluation documents in a library of their own. With `pagesJoined`, that many pages
 * become one (pages of printed books and papers hold two or three times the text of the
 * evaluation's pages, and chunk sizes are tried against both).
 */
export async function buildLibrary(chunkOptions: ChunkOptions = DEFAULT_CHUNK_OPTIONS, pagesJoined = 1): Promise<EvalLibrary> {
  const db = await openLibraryDB(`ranking-eval-${libraries++}`);
  const stored: { id: string; docId: string; text: string }[] = [];
  for (const doc of evalDocs) {
    const id = hexId(doc.id);
    const record: StoredDocument = { id, title: doc.title, fileName: doc.fileName, size: 1, mimeType: 'application/pdf', pageCount: doc.pages.length, chunkCount: 0, textChars: 1, addedAt: 0, state: 'ingesting' };
    await beginDocument(db, record, new ArrayBuffer(1));
    const pages: string[] = [];
    for (let i = 0; i < doc.pages.length; i += pagesJoined) pages.push(doc.pages.slice(i, i + pagesJoined).join('\n\n'));
    const chunks = chunkPages(pages.map(normalizeText), chunkOptions).map((c) => ({ ...c, id: chunkId(id, c.seq), docId: id }));
    await putChunks(db, chunks);
    await completeDocument(db, { ...record, chunkCount: chunks.length });
    stored.push(...chunks);
  }
  const docsById = new Map((await listReadyDocuments(db)).map((d) => [d.id, d]));
  return { db, docsById, chunks: indexableChunks(stored, docsById), pagesJoined };
}

/** The app's own index (as the app opens it) with everything on, else one with a feature off. */
export async function indexFor(library: EvalLibrary, features: Features = ALL_FEATURES): Promise<SearchableIndex> {
  // Phrases are weighed after the index (rankAll): they do not change it.
  if (JSON.stringify({ ...features, phrases: true }) === JSON.stringify(ALL_FEATURES)) return (await openPersistedIndex(library.db)).index;
  const fold = features.accentFolding ? foldWord : (word: string) => word.toLowerCase();
  const term = (word: string): string | null => {
    if (processTerm(word) === null) return null;
    const bare = fold(word).replace(/['’]s?$/u, '');
    return features.stemming && /^[a-z]+$/.test(bare) ? stemmer(bare) : bare;
  };
  const split = (text: string) => (features.joinedCompounds ? tokenize(text) : tokenize(text.replace(/[-\u2010\u2011]/g, ' ')));
  const mini = new MiniSearch<IndexableChunk>({ ...INDEX_OPTIONS, tokenize: split, processTerm: term });
  mini.addAll(library.chunks);
  const ranking: RankingOptions = {
    ...RANKING,
    fields: features.titleBoost === 0 ? ['text'] : RANKING.fields,
    boost: { title: features.titleBoost },
    fuzzy: features.typos ? RANKING.fuzzy : () => false,
    prefix: features.prefix ? RANKING.prefix : () => false,
  };
  const typos = features.typos && features.shortTyposAndSwaps;
  const spellingOptions: Omit<Spelling, 'typed'> = {
    fuzzyIfMissing: typos ? SPELLING.fuzzyIfMissing : () => false,
    transposed: typos ? SPELLING.transposed : () => [],
    minCompletedStem: features.prefix && features.stemCompletion ? SPELLING.minCompletedStem : Infinity,
  };
  return {
    search(query: string, limit: number, prefixes?: ReadonlySet<string> | null): IndexHit[] {
      const words = split(query).flatMap((word) => {
        const t = term(word);
        return t === null ? [] : [{ term: t, typed: fold(word).replace(/['’]s?$/u, '') }];
      });
      const spelling: Spelling = { ...spellingOptions, typed: words.map((w) => w.typed) };
      const accept = prefixes ? (id: string) => prefixes.has(prefixOfChunk(id)) : undefined;
      return topHits(mini, words.map((w) => w.term), ranking, limit, accept, spelling);
    },
  };
}

export interface Ranked {
  query: EvalQuery;
  /** 1-based rank of the first result on a relevant page, or null when not in the top 10. */
  pageRank: number | null;
  /** 1-based rank of the first result from a relevant document. */
  docRank: number | null;
}

export async function rankAll(library: EvalLibrary, index: SearchableIndex, queries: EvalQuery[] = evalQueries, features: Features = ALL_FEATURES): Promise<Ranked[]> {
  const searcher = searcherOver(library.db, index, (query) => textWeigher(query, { phrases: features.phrases }));
  const ranked: Ranked[] = [];
  for (const query of queries) {
    const results = await searchLibrary(searcher, library.docsById, query.query, 10);
    const pageIndex = results.findIndex((r) => query.relevant.some((rel) => hexId(rel.doc) === r.doc.id && Math.ceil(rel.page / library.pagesJoined) === r.page));
    const docIndex = results.findIndex((r) => query.relevant.some((rel) => hexId(rel.doc) === r.doc.id));
    ranked.push({ query, pageRank: pageIndex === -1 ? null : pageIndex + 1, docRank: docIndex === -1 ? null : docIndex + 1 });
  }
  return ranked;
}

export interface Summary {
  n: number;
  pageMRR: number;
  pageAt1: number;
  pageAt5: number;
  docMRR: number;
  docAt1: number;
  docAt5: number;
}

export function summarise(ranked: Ranked[]): Summary {
  const n = ranked.length;
  const mrr = (key: 'pageRank' | 'docRank') => ranked.reduce((sum, r) => sum + (r[key] ? 1 / (r[key] as number) : 0), 0) / n;
  const at = (k: number, key: 'pageRank' | 'docRank') => ranked.filter((r) => r[key] !== null && (r[key] as number) <= k).length / n;
  return { n, pageMRR: mrr('pageRank'), pageAt1: at(1, 'pageRank'), pageAt5: at(5, 'pageRank'), docMRR: mrr('docRank'), docAt1: at(1, 'docRank'), docAt5: at(5, 'docRank') };
}

export function byKind(ranked: Ranked[]): Map<string, Summary> {
  const rows = new Map<string, Summary>([['all', summarise(ranked)]]);
  for (const kind of new Set(ranked.map((r) => r.query.kind))) rows.set(kind, summarise(ranked.filter((r) => r.query.kind === kind)));
  return rows;
}

export function table(rows: Map<string, Summary>): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(5);
  const lines = ['kind        n   page MRR  page@1  page@5  doc@1  doc@5'];
  for (const [kind, s] of rows) lines.push(`${kind.padEnd(10)} ${String(s.n).padStart(3)}   ${s.pageMRR.toFixed(3)}   ${pct(s.pageAt1)}  ${pct(s.pageAt5)}  ${pct(s.docAt1)}  ${pct(s.docAt5)}`);
  return lines.join('\n');
}
