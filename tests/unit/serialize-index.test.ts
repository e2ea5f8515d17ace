import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import MiniSearch from 'minisearch';
import { INDEX_OPTIONS, LibraryIndex, type IndexableChunk } from '../../web/lib/search/index';
import { serializeIndex } from '../../web/lib/search/serialize-index';
import { chunkPages } from '../../web/lib/text/chunk';
import { normalizeText } from '../../web/lib/text/normalize';

/** serializeIndex writes MiniSearch's JSON itself (see the module comment): it must be MiniSearch's, exactly. */

const folder = fileURLToPath(new URL('../fixtures/search-eval/', import.meta.url));
const chunks: IndexableChunk[] = readdirSync(folder)
  .filter((f) => f.startsWith('docs-'))
  .flatMap((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as { id: string; title: string; pages: string[] }[])
  .flatMap((doc) => chunkPages(doc.pages.map(normalizeText)).map((c) => ({ id: `${doc.id}:${c.seq}`, title: doc.title, text: c.text })));

function indexOf(items: IndexableChunk[]): MiniSearch<IndexableChunk> {
  const mini = new MiniSearch<IndexableChunk>(INDEX_OPTIONS);
  mini.addAll(items);
  return mini;
}

describe('the saved index', () => {
  it('is the text MiniSearch writes, character for character', async () => {
    const mini = indexOf(chunks);
    expect(await serializeIndex(mini)).toBe(JSON.stringify(mini));
    expect(await serializeIndex(indexOf([]))).toBe(JSON.stringify(indexOf([])));
    // In slices, with pauses between them, the same.
    let pauses = 0;
    expect(await serializeIndex(mini, async () => void pauses++)).toBe(JSON.stringify(mini));
    expect(pauses).toBeGreaterThan(0);
  });

  it('with documents removed and added again, and words that JSON must escape', async () => {
    const mini = indexOf(chunks);
    mini.discardAll(chunks.filter((_, i) => i % 4 === 0).map((c) => c.id));
    mini.addAll([
      { id: 'odd:0', title: 'Quotes "and" back\\slashes', text: 'tab\there 東京都の地図 Лиссабон 2024 naïve \u2028 line' },
      ...chunks.filter((_, i) => i % 8 === 0),
    ]);
    expect(await serializeIndex(mini)).toBe(JSON.stringify(mini));
  });

  it('loads back into an index that finds the same', async () => {
    const index = LibraryIndex.empty();
    index.add(chunks);
    const loaded = await LibraryIndex.fromJSON(await index.toJSON(), true);
    for (const query of ['flat tire', 'sourdough starter', 'mortgag refinance']) expect(loaded.search(query, 10)).toEqual(index.search(query, 10));
  });
});
