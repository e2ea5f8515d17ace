import { describe, expect, it } from 'vitest';
import { chooseTitle, meaningfulTitle, prominentLine, titleFromFileName } from '../../web/lib/text/title';
import { linesFromItems, titleLines } from '../../web/lib/pdf/extract';

describe('document titles', () => {
  it('uses a real metadata title', () => {
    expect(chooseTitle('  Tide Pools of the Northern Coast ', [], 'x.pdf')).toBe('Tide Pools of the Northern Coast');
  });

  it.each([
    'untitled',
    'Untitled document',
    'report_final.docx',
    'C:\\Users\\me\\x.pdf',
    '/tmp/out.pdf',
    '2024-01-03',
    '   ',
    'ab',
    'PowerPoint Presentation',
    'Microsoft Word - Document1',
    'Untitled-1',
    'Book1',
    'Layout 1',
    'Scanned Document',
    'www.example.com',
    'https://example.org/report',
    'example.com',
  ])(
    'rejects the junk metadata title %j',
    (raw) => {
      expect(meaningfulTitle(raw)).toBeNull();
    },
  );

  it('strips the name of the program that printed the file', () => {
    expect(meaningfulTitle('Microsoft Word - Quarterly Plan')).toBe('Quarterly Plan');
  });

  it('falls back to the first line set in larger type', () => {
    const lines = [
      { text: 'example.org/some/page', size: 8 },
      { text: 'How Tide Pools Work', size: 20 },
      { text: 'Tide pools form where the sea retreats.', size: 11 },
      { text: 'Anemones live there.', size: 11 },
    ];
    expect(chooseTitle('untitled', lines, 'tide.pdf')).toBe('How Tide Pools Work');
  });

  it('does not pick a body line when nothing stands out', () => {
    const lines = [
      { text: 'Plain text with no heading at all.', size: 11 },
      { text: 'Another line of the same size.', size: 11 },
    ];
    expect(prominentLine(lines)).toBeNull();
    expect(chooseTitle(null, lines, 'notes/meeting_notes.pdf')).toBe('meeting notes');
  });

  it('uses the file name without folders or extension as the last resort', () => {
    expect(titleFromFileName('saved/2026 Budget.PDF')).toBe('2026 Budget');
  });

  it('keeps real titles that look a little like junk', () => {
    for (const title of ['Node.js in Action', 'The Book of Kells', 'Document Design Basics', 'Layout of the Old Town']) expect(meaningfulTitle(title)).toBe(title);
  });

  it('joins a title set on two or three lines', () => {
    const lines = [
      { text: 'Soil Carbon and the Future', size: 22 },
      { text: 'of Small Farms', size: 22 },
      { text: 'Maria Lopez', size: 12 },
      { text: 'Farmers who rotate crops keep more carbon in their soil.', size: 11 },
      { text: 'This report looks at forty farms.', size: 11 },
    ];
    expect(prominentLine(lines)).toBe('Soil Carbon and the Future of Small Farms');
  });

  it('finds the title of a short cover page whose title is half its lines', () => {
    const cover = [
      { text: 'Annual Report', size: 28 },
      { text: 'of the River Trust', size: 28 },
      { text: 'Prepared by the board', size: 12 },
      { text: 'March 2025', size: 12 },
    ];
    expect(prominentLine(cover)).toBe('Annual Report of the River Trust');
  });

  it('still takes a page of body text with a smaller footnote for body text', () => {
    const lines = [
      { text: 'The committee met on Tuesday.', size: 11 },
      { text: 'It agreed on the budget.', size: 11 },
      { text: 'Three members were absent.', size: 11 },
      { text: 'The next meeting is in May.', size: 11 },
      { text: '1 Minutes taken by the secretary', size: 8 },
    ];
    expect(prominentLine(lines)).toBeNull();
  });

  it('never takes text set up the margin (an arXiv stamp) for the title', () => {
    const item = (str: string, size: number, x: number, y: number, rotated = false) => ({
      str,
      hasEOL: true,
      height: size,
      transform: rotated ? [0, size, -size, 0, x, y] : [size, 0, 0, size, x, y],
    });
    const items = [
      item('arXiv:2401.01234v1 [cs.CL] 3 Jan 2024', 20, 30, 200, true),
      item('Attention Over Long Documents', 17, 100, 700),
      item('A. Author, B. Author', 11, 100, 670),
      item('We study how models read long documents.', 10, 100, 640),
      item('Our method scales to a million tokens.', 10, 100, 628),
    ];
    const lines = titleLines(linesFromItems(items));
    expect(lines.map((l) => l.text)).not.toContain('arXiv:2401.01234v1 [cs.CL] 3 Jan 2024');
    expect(chooseTitle(null, lines, 'paper.pdf')).toBe('Attention Over Long Documents');
  });
});
