import { describe, expect, it } from 'vitest';
import { chunkPages, pageAtOffset, Chunker } from '../../web/lib/text/chunk';

const sentence = (n: number) => `Sentence number ${n} talks about a topic of its own in some detail.`;
const paragraph = (from: number, count: number) => Array.from({ length: count }, (_, i) => sentence(from + i)).join(' ');

describe('chunking', () => {
  it('keeps short documents in one chunk on their page', () => {
    const chunks = chunkPages(['A short note. Nothing more.']);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ seq: 0, text: 'A short note. Nothing more.', page: 1, pageStart: 1, pageEnd: 1, pageBreaks: [] });
  });

  it('ends chunks on sentence boundaries within the size limits', () => {
    const pages = [Array.from({ length: 8 }, (_, p) => paragraph(p * 10, 10)).join('\n\n')];
    const chunks = chunkPages(pages, { targetChars: 900, maxChars: 1400, overlapChars: 250 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(1400);
      expect(chunk.text).toMatch(/^Sentence number \d+/);
      expect(chunk.text).toMatch(/detail\.$/);
    }
  });

  it('repeats the last sentence of a chunk at the start of the next', () => {
    const chunks = chunkPages([Array.from({ length: 6 }, (_, p) => paragraph(p * 10, 10)).join('\n\n')]);
    for (let i = 1; i < chunks.length; i++) {
      const previousLast = chunks[i - 1].text.split(/(?<=\.)\s+/).pop() ?? '';
      expect(chunks[i].text.startsWith(previousLast)).toBe(true);
    }
  });

  it('loses no sentence', () => {
    const pages = [paragraph(0, 30), paragraph(30, 5), '', paragraph(35, 40)];
    const text = chunkPages(pages).map((c) => c.text).join(' ');
    for (let n = 0; n < 75; n++) expect(text).toContain(sentence(n));
  });

  it('knows the pages of a chunk that crosses a page break', () => {
    const chunks = chunkPages(['First page ends here.', 'Second page has much more text than the first one does, so it is the main page.']);
    expect(chunks).toHaveLength(1);
    const [chunk] = chunks;
    expect(chunk).toMatchObject({ pageStart: 1, pageEnd: 2, page: 2 });
    expect(pageAtOffset(chunk, 0)).toBe(1);
    expect(pageAtOffset(chunk, chunk.text.indexOf('Second'))).toBe(2);
  });

  it('gives a contents page a chunk of its own, however short, and carries none of its entries on', () => {
    const contents = 'Contents\n\nFeeding the starter . . . . . . . . 2\n\nShaping the loaf . . . . . . . . . 3\n\nBaking . . . . . . . . . . . . . 4';
    const chunks = chunkPages([contents, 'Feed the starter twice a day. Keep it warm.', 'Shape the loaf.']);
    expect(chunks.map((c) => [c.pageStart, c.pageEnd])).toEqual([[1, 1], [2, 3]]);
    expect(chunks[1].text).not.toContain('. . .');
    // A page of prose as short as the contents joins the next one, as before.
    expect(chunkPages(['A short first page.', 'Feed the starter twice a day.']).map((c) => [c.pageStart, c.pageEnd])).toEqual([[1, 2]]);
  });

  it('skips empty pages without losing page numbers', () => {
    const chunks = chunkPages([paragraph(0, 20), '', '', paragraph(100, 20)]);
    const last = chunks[chunks.length - 1];
    expect(last.pageEnd).toBe(4);
    expect(chunks.some((c) => c.pageStart === 2 || c.pageStart === 3)).toBe(false);
  });

  it('cuts text without sentence punctuation at word boundaries', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkPages([words], { targetChars: 900, maxChars: 1400, overlapChars: 250 });
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(1400);
    expect(chunks.map((c) => c.text).join(' ')).toContain('word1999');
  });

  it('streams: chunks come out page by page with consecutive numbers', () => {
    const chunker = new Chunker();
    const out = [1, 2, 3, 4, 5].flatMap((p) => chunker.addPage(p, paragraph(p * 100, 25)));
    out.push(...chunker.finish());
    expect(out.map((c) => c.seq)).toEqual(out.map((_, i) => i));
    expect(chunker.finish()).toEqual([]);
  });

  it('closes a chunk at every heading of a web page, however short its section, and carries nothing across', () => {
    const chunker = new Chunker();
    const sections = [
      'River otters\n\nRiver otters hunt fish and crayfish at dusk, and can stay under water for eight minutes.',
      'Where they live\n\nOtters den in holts dug into river banks, often among the roots of alder trees.',
      `Signs of otters\n\n${paragraph(1, 40)}`,
      'Sources\n\nThe Otter Trust.',
    ];
    const out = sections.flatMap((text, i) => chunker.addSection(i + 1, text)).concat(chunker.finish());
    expect(out.slice(0, 2).map((c) => [c.page, c.text.split('\n')[0]])).toEqual([
      [1, 'River otters'],
      [2, 'Where they live'],
    ]);
    expect(out.every((c) => c.pageStart === c.pageEnd && c.pageBreaks.length === 0)).toBe(true);
    expect(out.filter((c) => c.page === 3).length).toBeGreaterThan(1);
    expect(out[out.length - 1]).toMatchObject({ page: 4, text: 'Sources\n\nThe Otter Trust.' });
    expect(out.map((c) => c.seq)).toEqual(out.map((_, i) => i));
  });
});
