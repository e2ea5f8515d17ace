import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLibraryDB, type StoredChunk, type StoredDocument } from '../../web/lib/storage/schema';
import { beginDocument, chunkId, completeDocument, putChunks } from '../../web/lib/storage/library';
import { LibraryIndex } from '../../web/lib/search/index';
import { LISTING_WEIGHT, listingWeight } from '../../web/lib/text/listings';
import { findPages } from '../../web/lib/search/search-library';
import { findPassages } from '../../web/lib/search/retrieve';

// As pdf.js gives them, once normalised: the lines of a page run together.
const TEXINFO_INDEX =
  'Function Index A asn1_array2tree . . . . . . . . . . . . . . . . . 8 asn1_bit_der . . . . . . . . . . . . . . . . . 19 asn1_check_version . . . . . . . . . . . 26 asn1_copy_node . . . . . . . . . . . . . . 17 asn1_create_element . . . . . . . . . . . 12 asn1_decode_simple_ber . . . . . . . . 21 asn1_decode_simple_der . . . . . . . . 21 asn1_delete_element . . . . . . . . . . . 13';
const LATEX_CONTENTS = 'Contents 1 Introduction 1 1.1 Motivation .......................... 2 1.2 Outline ............................. 3 2 Method 5 2.1 Data ................................ 6 2.2 Models .............................. 9';
const PROSE =
  'The starter is fed twice a day. Discard half, then add equal weights of flour and water... 3 hours later it should have doubled. A starter that does not rise is too cold, or the flour is too fine. Keep it at 24 °C and feed it with whole rye for a few days.';
const TABLE = 'Station Jan Feb Mar Apr 1 12.5 13.1 9.8 7.0 2 11.0 10.2 8.8 6.5 3 14.1 12.9 10.0 8.3 Total 37.6 36.2 28.6 21.8';

describe('listing weight', () => {
  it('weighs a page of index or contents entries down, whichever way its leaders are set', () => {
    expect(listingWeight(TEXINFO_INDEX)).toBeLessThan(0.35);
    expect(listingWeight(LATEX_CONTENTS)).toBeLessThan(0.35);
  });

  it('leaves prose, ellipses and tables of figures alone', () => {
    expect(listingWeight(PROSE)).toBe(1);
    expect(listingWeight(TABLE)).toBe(1);
    expect(listingWeight('Wait. . . . 3 days, he said. Then . . . . 4 more.')).toBe(1);
    // Amounts set with leaders, as statements and menus set them, are not page numbers.
    expect(listingWeight('Revenue ........ 12,345 Costs ........ 9,870 Profit ........ 2,475 Tax ........ 618,75')).toBe(1);
    expect(listingWeight('Espresso ...... 2.50 Cappuccino ...... 3.20 Latte ...... 3.40 Mocha ...... 3.90')).toBe(1);
  });

  it('takes a page of dots with no numbers for no listing', () => {
    expect(listingWeight('.'.repeat(4_000))).toBe(1);
    expect(listingWeight('. '.repeat(2_000))).toBe(1);
  });

  it('weighs a passage that ends a contents page and begins a chapter by the part the entries take', () => {
    const mixed = `${LATEX_CONTENTS} ${PROSE.repeat(4)}`;
    const weight = listingWeight(mixed);
    expect(weight).toBeGreaterThan(LISTING_WEIGHT);
    expect(weight).toBeGreaterThan(0.8);
    expect(weight).toBeLessThan(1);
  });
});

describe('search with a table of contents in the library', () => {
  // The handbook's first page lists its sections; the second holds the answer.
  const handbook = [
    'Sourdough Handbook. Contents: Feeding the sourdough starter . . . . . . . 2 Sourdough starter troubleshooting . . . . . 3 Starter feeding schedule . . . . . . . 3 Shaping the loaf . . . . . . . . 4 Baking the loaf . . . . . . . . . 5',
    `Feed the starter with equal weights of flour and water once or twice a day; a sourdough starter that is fed on a schedule rises predictably. ${PROSE}`,
    'Troubleshooting: a sluggish culture needs warmth, whole grain flour and patience. Hooch on top means it is hungry.',
    'Shaping: pre-shape the dough into a round, rest it, then shape the loaf tightly and proof it in a basket.',
  ];

  async function library() {
    const db = await openLibraryDB(`listings-${Date.now()}-${Math.random()}`);
    const index = LibraryIndex.empty();
    const id = 'b'.repeat(64);
    const doc: StoredDocument = { id, title: 'Sourdough Handbook', fileName: 'handbook.pdf', size: 10, mimeType: 'application/pdf', pageCount: handbook.length, chunkCount: handbook.length, textChars: 0, addedAt: Date.now(), state: 'ingesting' };
    const chunks: StoredChunk[] = handbook.map((text, seq) => ({ id: chunkId(id, seq), docId: id, seq, text, page: seq + 1, pageStart: seq + 1, pageEnd: seq + 1, pageBreaks: [] }));
    await beginDocument(db, doc, new Uint8Array([1]).buffer);
    await putChunks(db, chunks);
    await completeDocument(db, doc);
    index.add(chunks.map((c) => ({ id: c.id, title: doc.title, text: c.text })));
    return { db, index, contents: chunks[0].id, answer: chunks[1].id };
  }

  const query = 'feeding the sourdough starter';

  it('finds the page the contents point to before the contents', async () => {
    const { db, index, contents, answer } = await library();
    // The index alone ranks the contents first: the case this weighing is for.
    expect(index.search(query, 10)[0].chunkId).toBe(contents);
    const pages = await findPages(db, index, query, 10);
    expect(pages[0].chunkId).toBe(answer);
    expect(pages.map((p) => p.chunkId)).toContain(contents);
  });

  it('gives the chat the page the contents point to first', async () => {
    const { db, index, contents, answer } = await library();
    const passages = await findPassages(db, index, query, 3);
    expect(passages[0].chunkId).toBe(answer);
    expect(passages.findIndex((p) => p.chunkId === contents)).toBeGreaterThan(0);
  });
});
