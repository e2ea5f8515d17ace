import { describe, expect, it } from 'vitest';
import { chooseTitle, meaningfulTitle, prominentLine, titleFromFileName } from '../../web/lib/text/title';

describe('document titles', () => {
  it('uses a real metadata title', () => {
    expect(chooseTitle('  Tide Pools of the Northern Coast ', [], 'x.pdf')).toBe('Tide Pools of the Northern Coast');
  });

  it.each(['untitled', 'Untitled document', 'report_final.docx', 'C:\\Users\\me\\x.pdf', '/tmp/out.pdf', '2024-01-03', '   ', 'ab'])(
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
});
