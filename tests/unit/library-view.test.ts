import { describe, expect, it } from 'vitest';
import type { StoredDocument } from '../../web/lib/storage/schema';
import { filterDocuments, sortDocuments } from '../../web/lib/library-view';
import { inScope, periodRange, sitesOf, WHOLE_LIBRARY } from '../../web/lib/search/scope';

const DAY = 86_400_000;
const now = new Date(2026, 10, 25, 12).getTime();

function doc(id: string, title: string, extra: Partial<StoredDocument> = {}): StoredDocument {
  return { id, title, fileName: `${id}.pdf`, size: 1000, mimeType: 'application/pdf', pageCount: 1, chunkCount: 1, textChars: 1, addedAt: now, state: 'ready', ...extra };
}

const docs = [
  doc('a', 'Zebra crossings', { sourceUrl: 'https://www.roads.example/zebra', savedAt: now - 2 * DAY, size: 50 }),
  doc('b', 'apple orchards', { sourceUrl: 'https://farm.example/apples', savedAt: now - 40 * DAY, size: 900 }),
  doc('c', 'Bees 10', { addedAt: now - DAY, size: 10 }),
  doc('d', 'Bees 9', { sourceUrl: 'https://farm.example/bees', savedAt: now - 5 * DAY, addedAt: now - 3 * DAY }),
];

describe('the library list', () => {
  it('sorts by title as people read it (case-blind, numbers by value)', () => {
    expect(sortDocuments(docs, 'title').map((d) => d.title)).toEqual(['apple orchards', 'Bees 9', 'Bees 10', 'Zebra crossings']);
  });

  it('sorts by the date saved, falling back to the date added', () => {
    expect(sortDocuments(docs, 'saved').map((d) => d.id)).toEqual(['c', 'a', 'd', 'b']);
  });

  it('sorts by site, documents without one last', () => {
    expect(sortDocuments(docs, 'site').map((d) => d.id)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('sorts by size, largest first', () => {
    expect(sortDocuments(docs, 'size').map((d) => d.id)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('sorts the other way round: oldest, smallest, Z to A, documents without a site still last', () => {
    expect(sortDocuments(docs, 'saved', true).map((d) => d.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(sortDocuments(docs, 'size', true).map((d) => d.id)).toEqual(['c', 'a', 'b', 'd']);
    expect(sortDocuments(docs, 'title', true).map((d) => d.title)).toEqual(['Zebra crossings', 'Bees 10', 'Bees 9', 'apple orchards']);
    expect(sortDocuments(docs, 'site', true).map((d) => d.id)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('filters by every typed word in title, file name or site', () => {
    expect(filterDocuments(docs, 'bees').map((d) => d.id)).toEqual(['c', 'd']);
    expect(filterDocuments(docs, 'farm bees').map((d) => d.id)).toEqual(['d']);
    expect(filterDocuments(docs, '  ')).toHaveLength(4);
  });
});

describe('the scope of search and chat', () => {
  it('limits to a period of saving and to a site', () => {
    const lastMonth = periodRange('last month', new Date(now));
    expect(docs.filter((d) => inScope(d, { range: lastMonth, rangeLabel: 'last month', site: null })).map((d) => d.id)).toEqual(['b']);
    expect(docs.filter((d) => inScope(d, { range: null, rangeLabel: '', site: 'farm.example' })).map((d) => d.id)).toEqual(['b', 'd']);
    expect(docs.filter((d) => inScope(d, WHOLE_LIBRARY))).toHaveLength(4);
  });

  it('lists the sites, most documents first', () => {
    expect(sitesOf(docs)).toEqual([
      { site: 'farm.example', count: 2 },
      { site: 'roads.example', count: 1 },
    ]);
  });
});
