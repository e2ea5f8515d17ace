import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import MiniSearch, { type SearchOptions } from 'minisearch';
import { INDEX_OPTIONS, LibraryIndex, RANKING, type IndexableChunk } from '../../web/lib/search/index';
import { topHits } from '../../web/lib/search/top-hits';
import { searchTerms } from '../../web/lib/search/terms';
import { chunkPages } from '../../web/lib/text/chunk';
import { normalizeText } from '../../web/lib/text/normalize';
import { TextGenerator } from '../../bench/lib/synthetic-text';

/**
 * topHits scores from MiniSearch's index structures instead of calling its search (see the
 * module comment). These tests hold it to MiniSearch's own search, with the same options, on
 * real prose and on generated text: the same chunks in the same order with the same scores
 * and matched terms. A MiniSearch upgrade that changes its internals fails here.
 */

interface EvalDoc {
  id: string;
  title: string;
  pages: string[];
}

const folder = fileURLToPath(new URL('../fixtures/search-eval/', import.meta.url));
const evalDocs: EvalDoc[] = readdirSync(folder)
  .filter((f) => f.startsWith('docs-'))
  .flatMap((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as EvalDoc[]);
const evalQueries = (JSON.parse(readFileSync(join(folder, 'queries.json'), 'utf8')) as { query: string }[]).map((q) => q.query);

const MINISEARCH_OPTIONS: SearchOptions = { ...RANKING, combineWith: 'OR' };

function proseChunks(): IndexableChunk[] {
  return evalDocs.flatMap((doc) => chunkPages(doc.pages.map(normalizeText)).map((c) => ({ id: `${doc.id}:${c.seq}`, title: doc.title, text: c.text })));
}

function generatedChunks(count: number): IndexableChunk[] {
  const text = new TextGenerator(evalDocs.flatMap((d) => d.pages.join(' ').toLowerCase().match(/[a-z]+/g) ?? []).slice(0, 3000), { seed: 11, vocabularySize: 8000 });
  return Array.from({ length: count }, (_, i) => ({ id: `g${Math.floor(i / 7)}:${i % 7}`, title: text.title(), text: text.page().join('\n\n') }));
}

function indexOf(chunks: IndexableChunk[]): MiniSearch<IndexableChunk> {
  const mini = new MiniSearch<IndexableChunk>(INDEX_OPTIONS);
  mini.addAll(chunks);
  return mini;
}

function expectSameAsMiniSearch(mini: MiniSearch<IndexableChunk>, query: string, limit: number, filter?: (id: string) => boolean): void {
  const expected = mini.search(query, filter ? { ...MINISEARCH_OPTIONS, filter: (r) => filter(r.id as string) } : MINISEARCH_OPTIONS).slice(0, limit);
  const actual = topHits(mini, searchTerms(query), RANKING, limit, filter);
  expect(actual.map((h) => h.chunkId), query).toEqual(expected.map((r) => r.id));
  actual.forEach((hit, i) => {
    expect(hit.score).toBeCloseTo(expected[i].score, 10);
    expect(new Set(hit.terms)).toEqual(new Set(expected[i].terms));
  });
}

describe('topHits ranks as MiniSearch does', () => {
  it('on real prose, for every query of the ranking evaluation', () => {
    const mini = indexOf(proseChunks());
    for (const query of evalQueries) expectSameAsMiniSearch(mini, query, 30);
    expect(topHits(mini, searchTerms('how do I fix a flat tire'), RANKING, 10).length).toBe(10);
  });

  it('on generated text: prefixes, typos, repeated words, numbers, long questions', () => {
    const chunks = generatedChunks(1500);
    const mini = indexOf(chunks);
    const words = chunks[42].text.split(/\s+/).slice(3, 40);
    const queries = [
      words.slice(0, 3).join(' '),
      `${words[0]} ${words[1].slice(0, 3)}`,
      `${words[4]} ${words[4]} ${words[5]}`,
      `${words[6]}x ${words[7]}`,
      `${words[8]} 2024 ${words[9]}`,
      words.join(' '),
      'zzzz qqqq',
    ];
    for (const query of queries) {
      expectSameAsMiniSearch(mini, query, 20);
      expectSameAsMiniSearch(mini, query, 1);
    }
  });

  it('within a set of documents', () => {
    const mini = indexOf(proseChunks());
    const scope = new Set(evalDocs.slice(0, 5).map((d) => d.id));
    const inScope = (id: string) => scope.has(id.slice(0, id.indexOf(':')));
    for (const query of evalQueries.slice(0, 20)) expectSameAsMiniSearch(mini, query, 20, inScope);
  });

  it('leaves out the documents it is told to (one being added), within a scope or not', () => {
    const index = LibraryIndex.empty();
    index.add(proseChunks());
    const docOf = (id: string) => id.slice(0, id.indexOf(':'));
    for (const query of evalQueries.slice(0, 20)) {
      const all = index.search(query, 10);
      if (all.length === 0) continue;
      const hidden = new Set([docOf(all[0].chunkId)]);
      const without = index.search(query, 10, null, hidden);
      expect(without.some((h) => hidden.has(docOf(h.chunkId)))).toBe(false);
      // The places the hidden document would take go to the next best of the others.
      expect(without.map((h) => h.chunkId)).toEqual(index.search(query, 200).filter((h) => !hidden.has(docOf(h.chunkId))).slice(0, 10).map((h) => h.chunkId));
      const scope = new Set([...hidden, ...evalDocs.slice(0, 5).map((d) => d.id)]);
      expect(index.search(query, 10, scope, hidden).every((h) => scope.has(docOf(h.chunkId)) && !hidden.has(docOf(h.chunkId)))).toBe(true);
    }
  });

  it('after documents are removed: they are never found, and the rest rank as MiniSearch ranks them', () => {
    const chunks = proseChunks();
    const mini = indexOf(chunks);
    const removed = new Set(chunks.filter((_, i) => i % 3 === 0).map((c) => c.id));
    mini.discardAll([...removed]);
    for (const query of evalQueries) {
      const hits = topHits(mini, searchTerms(query), RANKING, 50);
      expect(hits.some((h) => removed.has(h.chunkId))).toBe(false);
      // MiniSearch's own search prunes what it meets of removed documents as it goes, one
      // occurrence of a word per search, so its scores settle after a few searches (topHits
      // counts only live documents from the first).
      for (let i = 0; i < 10; i++) mini.search(query, MINISEARCH_OPTIONS);
      expectSameAsMiniSearch(mini, query, 30);
    }
    // And chunks added after, with ids reused, are found with their new text.
    const readded = chunks.filter((c) => removed.has(c.id)).slice(0, 50);
    mini.addAll(readded.map((c) => ({ ...c, text: `${c.text} quintessentially` })));
    const found = topHits(mini, ['quintessenti'], RANKING, 100);
    expect(new Set(found.map((h) => h.chunkId))).toEqual(new Set(readded.map((c) => c.id)));
  });

  it('finds nothing for nothing', () => {
    const mini = indexOf(proseChunks());
    expect(topHits(mini, [], RANKING, 20)).toEqual([]);
    expect(topHits(mini, searchTerms('tide pools'), RANKING, 0)).toEqual([]);
    expect(topHits(indexOf([]), searchTerms('tide pools'), RANKING, 20)).toEqual([]);
  });
});
