import { describe, expect, it } from 'vitest';
import { pageRanges } from '../../web/lib/format';

describe('page numbers as a person writes them', () => {
  it('joins runs of pages into ranges', () => {
    expect(pageRanges([2, 3, 4, 7])).toBe('2–4, 7');
    expect(pageRanges([1])).toBe('1');
    expect(pageRanges([5, 6])).toBe('5–6');
    expect(pageRanges([1, 3, 5, 6, 7, 9])).toBe('1, 3, 5–7, 9');
    expect(pageRanges([])).toBe('');
  });
});
