import { parseDateText, parsePdfDate, timestampOf } from './parse-date';
import { emptyProvenance, type Provenance } from './provenance';

/**
 * Provenance of a PDF. A web page printed to PDF by a browser carries it in two places: the
 * PDF's metadata (the producer names the browser; the creation date is the moment of
 * printing) and the header and footer the browser prints on every page:
 *
 *   Chrome:  top:    "3/3/24, 10:15 AM"  (left)   "Page title"  (centre)
 *            bottom: "https://example.org/page"  (left)   "1/5"  (right)
 *   Firefox: top:    "Page title"  (left)   "https://example.org/page"  (right)
 *            bottom: "1 of 5"  (left)   "3/3/24, 10:15 AM"  (right)
 *
 * The printed header and footer are also noise in the page's text, so the same detection
 * tells which text items to leave out of the index.
 */

/** One text item of a page, in PDF units, y measured up from the page's bottom edge. */
export interface PositionedText {
  text: string;
  x: number;
  y: number;
  /** Advance width; without it, every item counts as a cell of its own. */
  width?: number;
  /** Font size; 10 when unknown. */
  size?: number;
}

export interface PrintedPage {
  /** 1-based. */
  pageNumber: number;
  width: number;
  height: number;
  /** The page's text items in pdf.js order; results refer to them by index. */
  items: PositionedText[];
}

interface PdfJsTextItemLike {
  str: string;
  transform: number[];
  width?: number;
}

function isTextItem(item: unknown): item is PdfJsTextItemLike {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item;
}

/**
 * A page as pdf.js reports it (`page.view`, `(await page.getTextContent()).items`) in the
 * shape detection reads. Items map one to one, so an index found here is an index into `items`.
 */
export function printedPageFromTextContent(pageNumber: number, view: readonly number[], items: readonly unknown[]): PrintedPage {
  const [x0, y0, x1, y1] = view;
  return {
    pageNumber,
    width: x1 - x0,
    height: y1 - y0,
    items: items.map((item) =>
      isTextItem(item)
        ? {
            text: item.str,
            x: item.transform[4] - x0,
            y: item.transform[5] - y0,
            width: item.width,
            size: Math.hypot(item.transform[2], item.transform[3]) || undefined,
          }
        : { text: '', x: 0, y: 0 },
    ),
  };
}

export interface PrintChrome {
  /** Indexes (into the page's items) of the printed header and footer; empty when none was found. */
  indexes: number[];
  sourceUrl?: string;
  /** True when the browser shortened the address to fit ("https://example.org/a/very/lo…"). */
  urlTruncated?: boolean;
  /** The printed date and time, as printed: its day/month order depends on the locale. */
  dateText?: string;
  /** The page title the browser printed. */
  title?: string;
  pageCount?: number;
  /**
   * True when the header and footer are laid out as a browser prints them: an address on one
   * edge and a date or the page counter on the other. A lone address in a footer is not
   * enough: journals print their DOI link there.
   */
  browserPrinted?: true;
}

interface Cell {
  text: string;
  indexes: number[];
  x: number;
  y: number;
}

type CellKind = 'url' | 'date' | 'counter' | 'other';

const COUNTER = /^(?:page\s+)?(\d{1,5})\s*(?:\/|of)\s*(\d{1,5})$/i;
const URL_TEXT = /^(?:https?|file|ftp):\/\/\S+$/i;
const ELLIPSIS = /…|\.\.\.$/;

function cellsOf(items: { item: PositionedText; index: number }[]): Cell[] {
  const cells: Cell[] = [];
  let current: (Cell & { end: number | null; size: number }) | null = null;
  for (const { item, index } of [...items].sort((a, b) => a.item.x - b.item.x)) {
    const size = item.size ?? 10;
    const gap = current?.end == null ? Infinity : item.x - current.end;
    if (current && gap <= Math.max(size * 1.5, 6)) {
      current.text += gap > size * 0.2 && !/\s$/.test(current.text) ? ` ${item.text}` : item.text;
      current.indexes.push(index);
      current.end = item.width === undefined ? null : item.x + item.width;
    } else {
      if (current) cells.push(current);
      current = { text: item.text, indexes: [index], x: item.x, y: item.y, end: item.width === undefined ? null : item.x + item.width, size };
    }
  }
  if (current) cells.push(current);
  return cells.map(({ text, indexes, x, y }) => ({ text: text.normalize('NFKC').replace(/\s+/g, ' ').trim(), indexes, x, y }));
}

function kindOf(text: string): CellKind {
  if (COUNTER.test(text)) return 'counter';
  if (URL_TEXT.test(text)) return 'url';
  if (parsePrintedDate(text) !== undefined) return 'date';
  return 'other';
}

/** The items of the line nearest to the top or bottom edge, within the margin band. */
function outermostLine(page: PrintedPage, edge: 'top' | 'bottom'): { item: PositionedText; index: number }[] {
  const band = Math.max(page.height * 0.08, 40);
  const inBand = page.items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => item.text.trim() !== '' && (edge === 'top' ? item.y >= page.height - band : item.y <= band) && item.y >= 0 && item.y <= page.height);
  if (inBand.length === 0) return [];
  const outer = edge === 'top' ? Math.max(...inBand.map(({ item }) => item.y)) : Math.min(...inBand.map(({ item }) => item.y));
  return inBand.filter(({ item }) => Math.abs(item.y - outer) <= Math.max(2, (item.size ?? 10) * 0.3));
}

/**
 * Finds the header and footer a browser printed on a page. They are accepted only with a
 * sign no page text gives by accident: an address, or a page counter that matches the page
 * number. Then the outermost lines that hold an address, a date or a counter are taken whole
 * (the title printed beside them included).
 */
export function detectPrintChrome(page: PrintedPage): PrintChrome {
  const lines = (['top', 'bottom'] as const).map((edge) => cellsOf(outermostLine(page, edge)).map((cell) => ({ ...cell, kind: kindOf(cell.text) })));
  const cells = lines.flat();
  const counter = cells.map((cell) => (cell.kind === 'counter' ? COUNTER.exec(cell.text) : null)).find((match) => match !== null);
  const [pageNumber, pageCount] = counter ? [Number(counter[1]), Number(counter[2])] : [0, 0];
  const counterMatches = pageNumber === page.pageNumber && pageNumber <= pageCount;
  const url = cells.find((cell) => cell.kind === 'url');
  if (!counterMatches && !url) return { indexes: [] };

  const chromeLines = lines.filter((line) => line.some((cell) => cell.kind === 'url' || cell.kind === 'date' || (cell.kind === 'counter' && counterMatches)));
  const chrome: PrintChrome = { indexes: chromeLines.flat().flatMap((cell) => cell.indexes).sort((a, b) => a - b) };
  if (url) {
    const truncated = ELLIPSIS.test(url.text);
    chrome.sourceUrl = truncated ? url.text.split(/…|\.\.\./)[0] : url.text;
    if (truncated) chrome.urlTruncated = true;
  }
  const date = chromeLines.flat().find((cell) => cell.kind === 'date');
  if (date) chrome.dateText = date.text;
  // The top line's remaining cell is the title (Chrome centres it, Firefox puts it left).
  const title = chromeLines
    .flat()
    .filter((cell) => cell.kind === 'other')
    .sort((a, b) => b.y - a.y || b.text.length - a.text.length)[0];
  if (title) chrome.title = title.text.replace(/\s*(…|\.\.\.)$/, '');
  if (counterMatches) chrome.pageCount = pageCount;
  const [top, bottom] = lines;
  const hasUrl = (line: typeof top) => line.some((cell) => cell.kind === 'url');
  const hasDateOrCounter = (line: typeof top) => line.some((cell) => cell.kind === 'date' || (cell.kind === 'counter' && counterMatches));
  if ((hasUrl(top) && hasDateOrCounter(bottom)) || (hasUrl(bottom) && hasDateOrCounter(top))) chrome.browserPrinted = true;
  return chrome;
}

/** The items left once the printed header and footer are taken out (pure: a new array). */
export function removePrintChrome<T>(items: readonly T[], chrome: { indexes: readonly number[] }): T[] {
  if (chrome.indexes.length === 0) return [...items];
  const drop = new Set(chrome.indexes);
  return items.filter((_, index) => !drop.has(index));
}

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

/** The order a locale writes numeric dates in ("3/4/2024" is 4 March in en-US, 3 April in en-GB). */
export function dateOrderOf(locale?: string): DateOrder {
  try {
    const parts = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(2024, 2, 4));
    const order = parts
      .filter((p) => p.type === 'year' || p.type === 'month' || p.type === 'day')
      .map((p) => p.type[0])
      .join('');
    return order === 'mdy' || order === 'ymd' ? order : 'dmy';
  } catch {
    return 'mdy';
  }
}

export interface PrintedDateOptions {
  /** The locale of the browser that printed; the runtime's by default. */
  locale?: string;
  /** A time the date should be close to (the PDF's creation date): settles day/month order when both read as a date. */
  near?: number;
}

const PM = /\bp\.?\s?m\.?(?!\w)|下午|午後|오후/i;
const AM = /\ba\.?\s?m\.?(?!\w)|上午|午前|오전/i;

/**
 * A numeric date and time as browsers print it in page headers: "3/3/24, 10:15 AM" (en-US),
 * "03/03/2024, 10:15" (en-GB), "03.03.24, 10:15" (de), "2024/3/3 10:15" (ja), "2024-03-03
 * 10:15" (sv). Local time. Undefined when the text is not such a date.
 */
export function parsePrintedDate(text: string, options: PrintedDateOptions = {}): number | undefined {
  const clean = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  const match = /^(\d{1,4})([./-]) ?(\d{1,2})\2 ?(\d{1,4})\.?(?:,? (.*))?$/.exec(clean);
  if (!match) return undefined;
  const [, a, separator, b, c, rest = ''] = match;
  let hour = 0;
  let minute = 0;
  let second = 0;
  if (rest !== '') {
    const time = /(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?/.exec(rest);
    // Whatever follows the date must be a time; anything else means this is not a printed date.
    if (!time || rest.replace(time[0], '').replace(PM, '').replace(AM, '').trim().length > 3) return undefined;
    hour = Number(time[1]);
    minute = Number(time[2]);
    second = Number(time[3] ?? 0);
    if (PM.test(rest) && hour < 12) hour += 12;
    else if (AM.test(rest) && hour === 12) hour = 0;
  }
  const at = (y: string, m: string, d: string) => timestampOf(y.length === 2 ? 2000 + Number(y) : Number(y), Number(m), Number(d), hour, minute, second);
  if (a.length === 4) return c.length <= 2 ? at(a, b, c) : undefined;
  if (a.length > 2 || (c.length !== 2 && c.length !== 4)) return undefined;
  const dmy = at(c, b, a);
  const mdy = at(c, a, b);
  if (dmy === undefined || mdy === undefined) return dmy ?? mdy;
  if (dmy === mdy) return dmy;
  if (options.near !== undefined) {
    const near = options.near;
    return Math.abs(dmy - near) <= Math.abs(mdy - near) ? dmy : mdy;
  }
  // Dotted dates are day first everywhere they are used.
  if (separator === '.') return dmy;
  const order = dateOrderOf(options.locale);
  if (order === 'mdy') return mdy;
  if (order === 'dmy') return dmy;
  return PM.test(rest) || AM.test(rest) ? mdy : dmy;
}

export interface PdfProvenance extends Provenance {
  /** The address came from a printed footer that the browser shortened: its site is right, its path is cut. */
  urlTruncated?: boolean;
  /** The title a browser printed in the page header. */
  printedTitle?: string;
}

/**
 * What pdf.js's getMetadata() returns: `info` (the Info dictionary: Subject, Keywords,
 * Creator, Producer, CreationDate…) and `metadata` (the XMP, read through `get(name)` with
 * lower-case names such as "dc:source").
 */
export interface PdfMetadataInput {
  info?: object | null;
  metadata?: { get(name: string): unknown } | null;
}

const WEB_URL = /https?:\/\/[^\s<>"'()]+[^\s<>"'().,;:!?]/i;
const DOI = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i;
// Producers and creators that mean "a browser printed this web page".
const BROWSER = /skia\/pdf|chrom(e|ium)|firefox|safari|mozilla\/5\.0|\bedg(e|a)?\/|opera|vivaldi|brave/i;

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function infoValue(info: object | null | undefined, key: string): string[] {
  return info ? stringsOf((info as Record<string, unknown>)[key]) : [];
}

interface MetadataFacts {
  sourceUrl?: string;
  createdAt?: number;
  browserMade: boolean;
}

function readMetadata({ info, metadata }: PdfMetadataInput): MetadataFacts {
  const xmp = (name: string) => stringsOf(metadata?.get(name));
  let sourceUrl: string | undefined;
  for (const value of [...xmp('dc:source'), ...xmp('dc:identifier'), ...xmp('prism:url'), ...infoValue(info, 'Subject'), ...infoValue(info, 'Keywords')]) {
    const url = WEB_URL.exec(value)?.[0];
    const doi = DOI.exec(value.trim())?.[1];
    sourceUrl = url ?? (doi ? `https://doi.org/${doi}` : undefined);
    if (sourceUrl) break;
  }
  if (!sourceUrl) {
    const doi = xmp('prism:doi')[0];
    if (doi && DOI.test(doi.trim())) sourceUrl = `https://doi.org/${DOI.exec(doi.trim())?.[1]}`;
  }
  const created = xmp('xmp:createdate')[0];
  const createdAt = (created ? parseDateText(created) : undefined) ?? infoValue(info, 'CreationDate').map(parsePdfDate).find((t) => t !== undefined);
  const producers = [...infoValue(info, 'Creator'), ...infoValue(info, 'Producer'), ...xmp('xmp:creatortool'), ...xmp('pdf:producer')];
  return { sourceUrl, createdAt, browserMade: producers.some((p) => BROWSER.test(p)) };
}

/**
 * Provenance from the PDF's metadata alone: an address in dc:source, dc:identifier (a DOI
 * becomes its doi.org address), Subject or Keywords; and the creation date, but only when a
 * browser made the file — for any other PDF the creation date is when its author made it,
 * not when it was saved.
 */
export function provenanceFromPdfMetadata(input: PdfMetadataInput): PdfProvenance {
  const facts = readMetadata(input);
  const provenance: PdfProvenance = emptyProvenance();
  if (facts.sourceUrl) {
    provenance.sourceUrl = facts.sourceUrl;
    provenance.evidence.sourceUrl = 'pdf-metadata';
  }
  if (facts.browserMade && facts.createdAt !== undefined) {
    provenance.savedAt = facts.createdAt;
    provenance.evidence.savedAt = 'pdf-metadata';
  }
  return provenance;
}

/**
 * Provenance from the headers and footers found on some pages (page 1 and the last page are
 * enough). A printed date counts only from a header and footer a browser printed, or when
 * `browserMade` says the metadata names a browser: anywhere else it is the document's own date.
 */
export function provenanceFromPrintChrome(chromes: readonly PrintChrome[], options: PrintedDateOptions & { browserMade?: boolean } = {}): PdfProvenance {
  const provenance: PdfProvenance = emptyProvenance();
  const withUrl = chromes.find((c) => c.sourceUrl && !c.urlTruncated) ?? chromes.find((c) => c.sourceUrl);
  if (withUrl?.sourceUrl) {
    provenance.sourceUrl = withUrl.sourceUrl;
    provenance.evidence.sourceUrl = 'print-header';
    if (withUrl.urlTruncated) provenance.urlTruncated = true;
  }
  for (const chrome of chromes) {
    if (!chrome.browserPrinted && !options.browserMade) continue;
    const savedAt = chrome.dateText === undefined ? undefined : parsePrintedDate(chrome.dateText, options);
    if (savedAt !== undefined) {
      provenance.savedAt = savedAt;
      provenance.evidence.savedAt = 'print-header';
      break;
    }
  }
  const title = chromes.find((c) => c.title)?.title;
  if (title) provenance.printedTitle = title;
  return provenance;
}

/**
 * Everything a PDF says about its provenance. The address: metadata first (written whole),
 * then the printed footer (sometimes shortened). The date: the creation date of a PDF a
 * browser printed (to the second, with its time zone), then the printed header date (to
 * the minute). A header and footer laid out as browsers print them are proof enough that a
 * browser made the file; a lone address in a footer is not (a journal's DOI link).
 */
export function pdfProvenance(input: PdfMetadataInput, chromes: readonly PrintChrome[] = [], options: { locale?: string } = {}): PdfProvenance {
  const facts = readMetadata(input);
  const browserMade = facts.browserMade || chromes.some((c) => c.browserPrinted);
  const printed = provenanceFromPrintChrome(chromes, { locale: options.locale, near: facts.createdAt, browserMade });
  const result: PdfProvenance = { ...printed, evidence: { ...printed.evidence } };
  if (facts.sourceUrl) {
    result.sourceUrl = facts.sourceUrl;
    result.evidence.sourceUrl = 'pdf-metadata';
    delete result.urlTruncated;
  }
  if (browserMade && facts.createdAt !== undefined) {
    result.savedAt = facts.createdAt;
    result.evidence.savedAt = 'pdf-metadata';
  }
  return result;
}
