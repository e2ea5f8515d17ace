import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLibraryDB } from '../../web/lib/storage/schema';
import { getDocumentChunks, listReadyDocuments } from '../../web/lib/storage/library';
import { ingestFile } from '../../web/lib/ingest/ingest-file';

/** A document is its bytes: the same bytes again, under any name, add nothing. */

const NOTES = 'Tide pools hold anemones and hermit crabs.\n\nThey empty and fill with every tide, twice a day.';

describe('adding the same file twice', () => {
  it('reports the document already there, under any file name, and writes nothing', async () => {
    const db = await openLibraryDB('dedupe-test');
    const first = await ingestFile(db, new File([NOTES], 'tide pools.txt', { type: 'text/plain' }));
    expect(first.kind).toBe('added');
    if (first.kind !== 'added') return;
    const chunks = await getDocumentChunks(db, first.doc.id);

    const again = await ingestFile(db, new File([NOTES], 'copy of tide pools.txt', { type: 'text/plain' }));
    expect(again).toEqual({ kind: 'duplicate', doc: expect.objectContaining({ id: first.doc.id, fileName: 'tide pools.txt' }) });
    expect((await listReadyDocuments(db)).map((d) => d.id)).toEqual([first.doc.id]);
    expect(await getDocumentChunks(db, first.doc.id)).toEqual(chunks);

    // One byte more is another document.
    const other = await ingestFile(db, new File([`${NOTES} `], 'tide pools.txt', { type: 'text/plain' }));
    expect(other.kind).toBe('added');
    expect(await listReadyDocuments(db)).toHaveLength(2);
  });
});
