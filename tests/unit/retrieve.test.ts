import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLibraryDB, type StoredChunk, type StoredDocument } from '../../web/lib/storage/schema';
import { beginDocument, chunkId, completeDocument, putChunks } from '../../web/lib/storage/library';
import { LibraryIndex } from '../../web/lib/search/index';
import { findPassages } from '../../web/lib/search/retrieve';
import { findPages } from '../../web/lib/search/search-library';

let dbCount = 0;

/** A library of documents, each a list of chunk texts, stored and indexed for real. */
async function libraryOf(docs: Record<string, string[]>) {
  const db = await openLibraryDB(`retrieve-${++dbCount}-${Date.now()}`);
  const index = LibraryIndex.empty();
  for (const [name, texts] of Object.entries(docs)) {
    const id = name.padEnd(64, '0');
    const doc: StoredDocument = { id, title: name, fileName: `${name}.pdf`, size: 10, mimeType: 'application/pdf', pageCount: texts.length, chunkCount: texts.length, textChars: 0, addedAt: Date.now(), state: 'ingesting' };
    const chunks: StoredChunk[] = texts.map((text, seq) => ({ id: chunkId(id, seq), docId: id, seq, text, page: seq + 1, pageStart: seq + 1, pageEnd: seq + 1, pageBreaks: [] }));
    await beginDocument(db, doc, new Uint8Array([1]).buffer);
    await putChunks(db, chunks);
    await completeDocument(db, doc);
    index.add(chunks.map((c) => ({ id: c.id, title: name, text: c.text })));
  }
  return { db, index };
}

const docOf = (passage: { docId: string }) => passage.docId.replace(/0+$/, '');

// Document "manual" matches every part of the question on eight pages; "notes" matches less
// well, on two pages, but is the other document a good answer should also draw on.
const manualPages = Array.from({ length: 8 }, (_, i) => `Descaling the espresso machine, step ${i + 1}: descale with citric acid, rinse the espresso machine boiler, descale again.`);
const notesPages = ['My notes: descale the espresso machine every month.', 'Citric acid works for descaling too.'];

describe('passages for a question', () => {
  it('spreads the wanted passages over the documents that match, and keeps the rest as spares', async () => {
    const { db, index } = await libraryOf({ manual: manualPages, notes: notesPages });
    const passages = await findPassages(db, index, 'how do I descale the espresso machine with citric acid', 6);
    expect(passages).toHaveLength(8 + 2);
    // Half of the wanted places at most go to one document while another one matches: both
    // notes are among the first five, though every page of the manual matches better.
    expect(passages.slice(0, 5).map(docOf).sort()).toEqual(['manual', 'manual', 'manual', 'notes', 'notes']);
    // No third document to take the sixth place: the manual's best remaining page does, and
    // its other pages follow as spares.
    expect(passages.slice(5).map(docOf)).toEqual(Array(5).fill('manual'));
  });

  it('gives a library where one document matches all the passages it asked for', async () => {
    const { db, index } = await libraryOf({ manual: manualPages, other: ['Nothing about coffee here, only tides and the moon.'] });
    const passages = await findPassages(db, index, 'descale the espresso machine', 6);
    expect(passages.slice(0, 6).map(docOf)).toEqual(Array(6).fill('manual'));
    expect(new Set(passages.map((p) => p.chunkId)).size).toBe(passages.length);
  });

  it("leads a follow-up with its own words' passages, and fills with those of the questions it follows", async () => {
    const { db, index } = await libraryOf({
      manual: manualPages,
      grinder: ['Set the grinder finer for espresso, coarser for filter coffee.', 'Clean the grinder with tablets, then rinse it.'],
    });
    const recent = 'how do I descale the espresso machine boiler with citric acid and rinse it';
    // A new topic: searched with the longer question before it, the grinder never came first.
    const joined = await findPassages(db, index, `grinder ${recent}`, 4);
    expect(docOf(joined[0])).toBe('manual');
    const followUp = await findPassages(db, index, 'grinder', 4, null, undefined, recent);
    expect(followUp.slice(0, 2).map(docOf)).toEqual(['grinder', 'grinder']);
    expect(followUp.slice(2, 4).map(docOf)).toEqual(['manual', 'manual']);
    // A follow-up of stop words alone ("and then?") leans on the questions it follows.
    expect((await findPassages(db, index, '', 4, null, undefined, recent)).map(docOf)).toContain('manual');
  });

  it('finds nothing for an empty question or when none is wanted', async () => {
    const { db, index } = await libraryOf({ manual: manualPages });
    expect(await findPassages(db, index, '   ', 6)).toEqual([]);
    expect(await findPassages(db, index, 'descale', 0)).toEqual([]);
  });
});

describe('pages for the search box', () => {
  it('give one result for a document found by a word of its title alone, not one per page', async () => {
    // The documents are titled by their names: every chunk of "kettle" matches "kettle".
    const { db, index } = await libraryOf({
      kettle: ['Boil water for tea.', 'Descale with vinegar.', 'Keep the lid closed.', 'Wipe it dry.'],
      notes: ['The gooseneck kettle pours slowly.', 'Buy filters.'],
    });
    const pages = await findPages(db, index, 'kettle', 10);
    const fromKettle = pages.filter((p) => docOf(p) === 'kettle');
    expect(fromKettle).toHaveLength(1);
    // The page whose text holds the word is a result of its own.
    expect(pages.some((p) => docOf(p) === 'notes' && p.page === 1)).toBe(true);
  });
});
