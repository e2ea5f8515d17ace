/**
 * Picks the title a person would recognise a document by. PDF metadata titles are often
 * junk left by the tool that made the file ("Microsoft Word - draft3.docx", "untitled",
 * a path), so they are used only when they look like a real title.
 */

const JUNK_TITLES = /^(untitled|untitled document|document|no title|title|none|null|unknown|print|page \d+|slide \d+)$/i;
const APP_PREFIX = /^(microsoft (word|powerpoint|excel) - |pdf[ -]?creator - )/i;
const FILE_LIKE = /\.(pdf|docx?|pptx?|xlsx?|odt|txt|html?|rtf|tex|indd|qxd|ps)$/i;
const PATH_LIKE = /^([a-z]:)?[\\/]|[\\/].*[\\/]/i;

/** The metadata title cleaned up, or null when it does not look like a title. */
export function meaningfulTitle(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const title = raw.normalize('NFKC').replace(/\s+/g, ' ').trim().replace(APP_PREFIX, '');
  if (title.length < 3 || title.length > 300) return null;
  if (JUNK_TITLES.test(title) || FILE_LIKE.test(title) || PATH_LIKE.test(title)) return null;
  // Titles made only of digits, dates or punctuation are generated, not written.
  if (!/\p{L}{2}/u.test(title)) return null;
  return title;
}

export interface TextLine {
  text: string;
  /** Font size (height) of the line in PDF units. */
  size: number;
}

/**
 * The first prominent line of a page: the first line set in the largest type among the
 * top lines, as long as it is larger than the body text. Returns null when nothing stands out.
 */
export function prominentLine(lines: TextLine[]): string | null {
  const candidates = lines.filter((line) => line.text.trim().length >= 3 && /\p{L}/u.test(line.text)).slice(0, 30);
  if (candidates.length === 0) return null;
  const sizes = candidates.map((l) => l.size).sort((a, b) => a - b);
  const bodySize = sizes[Math.floor(sizes.length / 2)];
  const largest = sizes[sizes.length - 1];
  if (largest <= bodySize * 1.15 && candidates.length > 1) return null;
  const line = candidates.find((l) => l.size >= largest * 0.98);
  const text = line?.text.replace(/\s+/g, ' ').trim() ?? '';
  return text.length >= 3 && text.length <= 200 ? text : null;
}

/** The file name without its extension or folders, as a last resort. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/\.[a-z0-9]{1,5}$/i, '').replace(/[_]+/g, ' ').trim();
  return stem.length > 0 ? stem : base;
}

export function chooseTitle(metadataTitle: string | null | undefined, firstPageLines: TextLine[], fileName: string): string {
  return meaningfulTitle(metadataTitle) ?? prominentLine(firstPageLines) ?? titleFromFileName(fileName);
}
