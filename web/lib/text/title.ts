/**
 * Picks the title a person would recognise a document by. PDF metadata titles are often
 * junk left by the tool that made the file ("Microsoft Word - draft3.docx", "untitled",
 * a path), so they are used only when they look like a real title.
 */

// The names programs give a new file or a scan ("Untitled-1", "Book1", "Layout 1").
const JUNK_TITLES =
  /^(untitled([ _-]?\d+)?|untitled document|(new |blank )?document[ _-]?\d*|no title|title|none|null|unknown|print|page \d+|slide ?\d*|(powerpoint )?presentation[ _-]?\d*|book[ _-]?\d+|sheet[ _-]?\d+|layout[ _-]?\d+|scan(ned)?( document| image)?[ _-]?\d*|img[ _-]?\d+|image[ _-]?\d+|draft[ _-]?\d*|template[ _-]?\d*|microsoft (word|powerpoint|excel) document)$/i;
const APP_PREFIX = /^(microsoft (word|powerpoint|excel) - |pdf[ -]?creator - )/i;
// A web address is where a page was printed from, not what it is called.
const URL_LIKE = /^(https?:\/\/|www\.)\S*$|^[\w-]+(\.[\w-]+)*\.(com|org|net|edu|gov|io|co|uk|de|fr|nl|eu|info|biz|us|ca|au|jp|ru|ch|it|es|se|no|pl|be|at|dk|fi|in|br|me|tv|app|dev)(\/\S*)?$/i;
const FILE_LIKE = /\.(pdf|docx?|pptx?|xlsx?|odt|txt|html?|rtf|tex|indd|qxd|ps)$/i;
const PATH_LIKE = /^([a-z]:)?[\\/]|[\\/].*[\\/]/i;

/** The metadata title cleaned up, or null when it does not look like a title. */
export function meaningfulTitle(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const title = raw.normalize('NFKC').replace(/\s+/g, ' ').trim().replace(APP_PREFIX, '');
  if (title.length < 3 || title.length > 300) return null;
  if (JUNK_TITLES.test(title) || FILE_LIKE.test(title) || PATH_LIKE.test(title) || URL_LIKE.test(title)) return null;
  // Titles made only of digits, dates or punctuation are generated, not written.
  if (!/\p{L}{2}/u.test(title)) return null;
  return title;
}

export interface TextLine {
  text: string;
  /** Font size (height) of the line in PDF units. */
  size: number;
}

/** A title set on more lines than this is taken as body text. */
const MAX_TITLE_LINES = 3;

/**
 * The first prominent line of a page: the first line set in the largest type among the top
 * lines, as long as it is larger than the body text, with the lines right after it in the same
 * type (a title set on two or three lines). Returns null when nothing stands out.
 */
export function prominentLine(lines: TextLine[]): string | null {
  const candidates = lines.filter((line) => line.text.trim().length >= 3 && /\p{L}/u.test(line.text)).slice(0, 30);
  if (candidates.length === 0) return null;
  const largest = Math.max(...candidates.map((l) => l.size));
  const isTitleSize = (line: TextLine) => line.size >= largest * 0.98;
  const others = candidates.filter((line) => !isTitleSize(line)).map((l) => l.size).sort((a, b) => a - b);
  if (others.length === 0 && candidates.length > 1) return null;
  // The body size is that of the other lines: on a short cover page the title may be half of them.
  if (others.length > 0 && largest <= others[Math.floor(others.length / 2)] * 1.15) return null;
  const titleSized = candidates.filter(isTitleSize);
  // More than half the page in the largest type is body text, unless it is a short block.
  if (titleSized.length > candidates.length / 2 && (titleSized.length > MAX_TITLE_LINES || /[.!?]$/.test(titleSized[titleSized.length - 1].text.trim()))) return null;
  const first = candidates.findIndex(isTitleSize);
  const parts: string[] = [];
  for (let i = first; i < candidates.length && parts.length < MAX_TITLE_LINES && isTitleSize(candidates[i]); i++) parts.push(candidates[i].text.replace(/\s+/g, ' ').trim());
  const text = parts.join(' ').replace(/(\p{Ll})- (\p{Ll})/gu, '$1$2');
  if (text.length <= 200) return text.length >= 3 ? text : null;
  return parts[0].length >= 3 && parts[0].length <= 200 ? parts[0] : null;
}

/** The file name without its extension or folders, as a last resort. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/\.[a-z0-9]{1,5}$/i, '').replace(/[_]+/g, ' ').trim();
  return stem.length > 0 ? stem : base;
}

/** The title page 1 gives (its metadata, else its prominent line), or null to look elsewhere. */
export function titleOfFirstPage(metadataTitle: string | null | undefined, firstPageLines: TextLine[]): string | null {
  return meaningfulTitle(metadataTitle) ?? prominentLine(firstPageLines);
}

export function chooseTitle(metadataTitle: string | null | undefined, firstPageLines: TextLine[], fileName: string): string {
  return titleOfFirstPage(metadataTitle, firstPageLines) ?? titleFromFileName(fileName);
}
