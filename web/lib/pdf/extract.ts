import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { normalizeLine, normalizeText } from '../text/normalize';
import type { TextLine } from '../text/title';
import { detectPrintChrome, printedPageFromTextContent, removePrintChrome, type PrintChrome } from '../provenance/pdf-provenance';

/**
 * Turns a page's positioned text items into lines and paragraphs. pdf.js reports text as
 * runs with coordinates; a line ends where pdf.js says so or where the baseline moves, and a
 * paragraph ends where the gap to the next line is clearly larger than the line spacing.
 */

export interface ExtractedPage {
  pageNumber: number;
  /** Normalised text, paragraphs separated by blank lines, without the browser's print header and footer. */
  text: string;
  /** The page's first lines, with their type size: where a title would be. */
  lines: TextLine[];
  /** The date, URL, title and page counter a browser printed on the page, if it did. */
  chrome: PrintChrome;
}

interface RawLine {
  text: string;
  size: number;
  y: number;
  /** Set along another direction than the page's lines (an arXiv stamp up the margin): never a title. */
  rotated: boolean;
}

function isTextItem(item: unknown): item is TextItem {
  return typeof item === 'object' && item !== null && 'str' in item;
}

export function linesFromItems(items: unknown[]): RawLine[] {
  const lines: RawLine[] = [];
  let current: RawLine | null = null;
  let lastEndedLine = false;
  for (const item of items) {
    if (!isTextItem(item)) continue;
    const y = item.transform[5];
    const size = Math.hypot(item.transform[2], item.transform[3]) || item.height;
    // The text matrix's first column is the baseline's direction: rotated text has a large second part.
    const rotated = Math.abs(item.transform[1]) > Math.abs(item.transform[0]) * 0.2;
    const newLine = current === null || lastEndedLine || rotated !== current.rotated || Math.abs(y - current.y) > Math.max(2, current.size * 0.5);
    if (newLine) {
      if (current && current.text.trim().length > 0) lines.push(current);
      current = { text: item.str, size: item.str.trim() ? size : 0, y, rotated };
    } else if (current) {
      current.text += item.str;
      if (item.str.trim()) current.size = Math.max(current.size, size);
    }
    lastEndedLine = item.hasEOL;
  }
  if (current && current.text.trim().length > 0) lines.push(current);
  return lines;
}

/** The page's first lines that could hold its title. */
export function titleLines(lines: RawLine[]): TextLine[] {
  return lines
    .filter((l) => !l.rotated)
    .slice(0, TITLE_LINES)
    .map((l) => ({ text: normalizeLine(l.text), size: l.size }));
}

/** Joins lines into text, with a blank line where the vertical gap says a new paragraph starts. */
export function textFromLines(lines: RawLine[]): string {
  let text = '';
  lines.forEach((line, i) => {
    if (i > 0) {
      const previous = lines[i - 1];
      const gap = previous.y - line.y;
      const spacing = Math.max(previous.size, line.size) || 10;
      // A gap of more than ~1.6 lines, a jump upwards (new column) or a change of type size
      // (a heading) starts a new paragraph.
      const paragraph = gap > spacing * 1.6 || gap < 0 || Math.abs(previous.size - line.size) > spacing * 0.2;
      text += paragraph ? '\n\n' : '\n';
    }
    text += line.text;
  });
  return normalizeText(text);
}

/** Lines of a page that may hold its title. */
const TITLE_LINES = 40;

export async function extractPage(pdf: PDFDocumentProxy, pageNumber: number): Promise<ExtractedPage> {
  const page = await pdf.getPage(pageNumber);
  try {
    // pdf.js's own normalisation of each run is skipped: normalizeText puts the whole text in
    // NFKC after, and the print header and footer a browser writes are plain ASCII.
    const content = await page.getTextContent({ disableNormalization: true });
    // The URL, date and page counter a browser prints on a saved page say where it came from,
    // and are noise in the text: they are read, then left out.
    const chrome = detectPrintChrome(printedPageFromTextContent(pageNumber, page.view, content.items));
    const lines = linesFromItems(removePrintChrome(content.items, chrome));
    return {
      pageNumber,
      text: textFromLines(lines),
      lines: titleLines(lines),
      chrome,
    };
  } finally {
    page.cleanup();
  }
}

export interface PdfMetadata {
  info: object | null;
  metadata: { get(name: string): unknown } | null;
}

export async function readMetadata(pdf: PDFDocumentProxy): Promise<PdfMetadata> {
  try {
    const { info, metadata } = await pdf.getMetadata();
    return { info, metadata };
  } catch {
    return { info: null, metadata: null };
  }
}

/** The title from the PDF's metadata (XMP dc:title first, then the Info dictionary). */
export function metadataTitle({ info, metadata }: PdfMetadata): string | null {
  const xmpTitle = metadata?.get('dc:title');
  if (typeof xmpTitle === 'string' && xmpTitle.trim()) return xmpTitle;
  const infoTitle = (info as { Title?: unknown } | null)?.Title;
  return typeof infoTitle === 'string' ? infoTitle : null;
}
