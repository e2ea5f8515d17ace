import { describe, expect, it } from 'vitest';
import { pageRanges, shortened } from '../../web/lib/format';

describe('page numbers as a person writes them', () => {
  it('joins runs of pages into ranges', () => {
    expect(pageRanges([2, 3, 4, 7])).toBe('2–4, 7');
    expect(pageRanges([1])).toBe('1');
    expect(pageRanges([5, 6])).toBe('5–6');
    expect(pageRanges([1, 3, 5, 6, 7, 9])).toBe('1, 3, 5–7, 9');
    expect(pageRanges([])).toBe('');
  });
});

describe('text shortened for a title', () => {
  it('is cut after a whole word, marked as cut, on one line', () => {
    expect(shortened('What does asn1_der_coding return when the buffer is too small?', 60)).toBe('What does asn1_der_coding return when the buffer is too…');
    expect(shortened('Where do hermit crabs live?', 60)).toBe('Where do hermit crabs live?');
    expect(shortened('Two\nlines', 60)).toBe('Two lines');
    expect(shortened('x'.repeat(80), 60)).toBe(`${'x'.repeat(59)}…`);
    expect(shortened('x'.repeat(80), 60).length).toBe(60);
  });
});
