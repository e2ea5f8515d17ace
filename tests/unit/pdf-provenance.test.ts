import { describe, expect, it } from 'vitest';
import {
  detectPrintChrome,
  parsePrintedDate,
  pdfProvenance,
  printedPageFromTextContent,
  provenanceFromPdfMetadata,
  provenanceFromPrintChrome,
  removePrintChrome,
  type PositionedText,
  type PrintedPage,
} from '../../web/lib/provenance/pdf-provenance';

const local = (y: number, m1: number, d: number, h = 0, mi = 0) => new Date(y, m1 - 1, d, h, mi).getTime();

// A US Letter page (612 × 792 pt) as Chrome prints it with "Headers and footers" on: date and
// time top left, title centred, address bottom left, page counter bottom right, all in 8 pt.
// Newer ICU puts a narrow no-break space before "AM".
function chromePage(pageNumber: number, pageCount: number, url = 'https://www.example.org/articles/tide-pools'): PrintedPage {
  const body: PositionedText[] = [
    { text: 'How Tide Pools Work', x: 72, y: 720, width: 220, size: 20 },
    { text: 'Tide pools form where the sea retreats twice a day,', x: 72, y: 690, width: 300, size: 11 },
    { text: 'leaving water in hollows of the rock.', x: 72, y: 676, width: 210, size: 11 },
  ];
  return {
    pageNumber,
    width: 612,
    height: 792,
    items: [
      { text: '3/3/24, 10:15\u202fAM', x: 28.8, y: 775.4, width: 62, size: 8 },
      { text: 'How Tide Pools Work | Example Science', x: 238, y: 775.4, width: 136, size: 8 },
      ...body,
      { text: url, x: 28.8, y: 10.6, width: 170, size: 8 },
      { text: `${pageNumber}/${pageCount}`, x: 572, y: 10.6, width: 11, size: 8 },
    ],
  };
}

// Firefox: title top left, address top right, "1 of 3" bottom left, date bottom right (A4).
function firefoxPage(pageNumber: number): PrintedPage {
  return {
    pageNumber,
    width: 595.3,
    height: 841.9,
    items: [
      { text: 'Sourdough starters, explained – Bread Lab', x: 36, y: 820, width: 170, size: 9 },
      { text: 'https://breadlab.example/guides/starters…', x: 390, y: 820, width: 170, size: 9 },
      { text: 'A starter is flour and water, fermented.', x: 56, y: 780, width: 250, size: 12 },
      { text: `${pageNumber} of 3`, x: 36, y: 18, width: 25, size: 9 },
      { text: '03/03/2024, 22:40', x: 480, y: 18, width: 75, size: 9 },
    ],
  };
}

describe('printed headers and footers', () => {
  it("finds Chrome's header and footer and reads address, date and title", () => {
    const chrome = detectPrintChrome(chromePage(1, 5));
    expect(chrome).toEqual({
      indexes: [0, 1, 5, 6],
      sourceUrl: 'https://www.example.org/articles/tide-pools',
      dateText: '3/3/24, 10:15 AM',
      title: 'How Tide Pools Work | Example Science',
      pageCount: 5,
      browserPrinted: true,
    });
  });

  it("finds Firefox's header and footer, and marks a shortened address", () => {
    const chrome = detectPrintChrome(firefoxPage(1));
    expect(chrome.indexes).toEqual([0, 1, 3, 4]);
    expect(chrome).toMatchObject({
      sourceUrl: 'https://breadlab.example/guides/starters',
      urlTruncated: true,
      dateText: '03/03/2024, 22:40',
      title: 'Sourdough starters, explained – Bread Lab',
      pageCount: 3,
      browserPrinted: true,
    });
  });

  it('joins an address that pdf.js split into several items', () => {
    const page = chromePage(2, 5);
    const [url] = page.items.splice(5, 1);
    page.items.splice(5, 0, { ...url, text: 'https://www.example.org/articles/', width: 120 }, { ...url, text: 'tide-pools', x: url.x + 120, width: 50 });
    const chrome = detectPrintChrome(page);
    expect(chrome.sourceUrl).toBe('https://www.example.org/articles/tide-pools');
    expect(chrome.indexes).toEqual([0, 1, 5, 6, 7]);
  });

  it('takes the lines out of the page text, leaving the body as it was', () => {
    const page = chromePage(1, 5);
    const kept = removePrintChrome(page.items, detectPrintChrome(page));
    expect(kept.map((item) => item.text)).toEqual(['How Tide Pools Work', 'Tide pools form where the sea retreats twice a day,', 'leaving water in hollows of the rock.']);
    expect(page.items).toHaveLength(7);
    expect(removePrintChrome(page.items, { indexes: [] })).toEqual(page.items);
  });

  it('leaves the running header and page number of an ordinary PDF alone', () => {
    const paper: PrintedPage = {
      pageNumber: 7,
      width: 612,
      height: 792,
      items: [
        { text: 'Journal of Coastal Ecology 12 (2023)', x: 72, y: 760, width: 160, size: 9 },
        { text: 'Results', x: 72, y: 700, width: 50, size: 14 },
        { text: '7', x: 303, y: 30, width: 5, size: 9 },
      ],
    };
    expect(detectPrintChrome(paper)).toEqual({ indexes: [] });
  });

  it('needs an address or a matching page counter before it believes a date', () => {
    const page: PrintedPage = {
      pageNumber: 1,
      width: 612,
      height: 792,
      items: [
        { text: '3/3/24, 10:15 AM', x: 72, y: 760, width: 60, size: 9 },
        { text: 'Minutes of the meeting', x: 72, y: 720, width: 160, size: 14 },
        { text: '2/5', x: 560, y: 20, width: 10, size: 9 },
      ],
    };
    expect(detectPrintChrome(page)).toEqual({ indexes: [] });
  });

  it('maps pdf.js text content, index for index, from the page view', () => {
    const items = [
      { str: '3/3/24, 10:15 AM', dir: 'ltr', width: 62, height: 8, transform: [8, 0, 0, 8, 28.8, 775.4], fontName: 'g_d0_f1', hasEOL: false },
      { type: 'beginMarkedContent', id: 'mc0' },
      { str: 'Body text', dir: 'ltr', width: 50, height: 11, transform: [11, 0, 0, 11, 72, 700], fontName: 'g_d0_f2', hasEOL: true },
      { str: 'https://example.org/', dir: 'ltr', width: 80, height: 8, transform: [8, 0, 0, 8, 28.8, 10.6], fontName: 'g_d0_f1', hasEOL: false },
    ];
    const page = printedPageFromTextContent(1, [0, 0, 612, 792], items);
    expect(page.items).toHaveLength(4);
    expect(page.items[0]).toEqual({ text: '3/3/24, 10:15 AM', x: 28.8, y: 775.4, width: 62, size: 8 });
    expect(page.items[1].text).toBe('');
    const chrome = detectPrintChrome(page);
    expect(chrome.indexes).toEqual([0, 3]);
    expect(removePrintChrome(items, chrome)).toEqual([items[1], items[2]]);
    expect(printedPageFromTextContent(1, [0, 10, 612, 802], items).items[3].y).toBeCloseTo(0.6);
  });
});

describe('parsePrintedDate', () => {
  it.each([
    ['3/3/24, 10:15 AM', 'en-US', local(2024, 3, 3, 10, 15)],
    ['3/4/24, 10:15\u202fPM', 'en-US', local(2024, 3, 4, 22, 15)],
    ['3/4/24, 12:05 AM', 'en-US', local(2024, 3, 4, 0, 5)],
    ['03/04/2024, 10:15', 'en-GB', local(2024, 4, 3, 10, 15)],
    ['13/03/2024, 10:15', 'en-US', local(2024, 3, 13, 10, 15)],
    ['03.04.24, 10:15', 'en-US', local(2024, 4, 3, 10, 15)],
    ['2024/4/3 10:15', 'ja-JP', local(2024, 4, 3, 10, 15)],
    ['2024-04-03 10:15', 'sv-SE', local(2024, 4, 3, 10, 15)],
    ['2024. 4. 3. 오후 10:15', 'ko-KR', local(2024, 4, 3, 22, 15)],
    ['3/4/24', 'en-US', local(2024, 3, 4)],
  ])('%s in %s', (text, locale, expected) => {
    expect(parsePrintedDate(text, { locale })).toBe(expected);
  });

  it('settles day and month by the PDF creation date when it has one', () => {
    expect(parsePrintedDate('03/04/2024, 10:15', { locale: 'en-US', near: local(2024, 4, 3, 10, 15) })).toBe(local(2024, 4, 3, 10, 15));
  });

  it.each(['1/5', 'Figure 3/4', '3/3/24 was a good day', '2024/13/45 10:15', '10:15'])('is not fooled by %j', (text) => {
    expect(parsePrintedDate(text, { locale: 'en-US' })).toBeUndefined();
  });
});

describe('PDF metadata', () => {
  const chromeInfo = {
    Title: 'How Tide Pools Work | Example Science',
    Creator: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
    Producer: 'Skia/PDF m122',
    CreationDate: "D:20240303091532+00'00'",
    ModDate: "D:20240303091532+00'00'",
  };

  it('takes the creation date of a PDF a browser printed as the day it was saved', () => {
    expect(provenanceFromPdfMetadata({ info: chromeInfo })).toEqual({
      savedAt: Date.UTC(2024, 2, 3, 9, 15, 32),
      evidence: { savedAt: 'pdf-metadata' },
    });
  });

  it('ignores the creation date of any other PDF: that is when its author made it', () => {
    const word = { Creator: 'Microsoft® Word for Microsoft 365', Producer: 'Microsoft® Word for Microsoft 365', CreationDate: "D:20190611142000+02'00'" };
    expect(provenanceFromPdfMetadata({ info: word })).toEqual({ evidence: {} });
  });

  it('reads an address from XMP dc:source, a DOI from dc:identifier, or a URL in Subject or Keywords', () => {
    const xmp = (entries: Record<string, unknown>) => new Map(Object.entries(entries));
    expect(provenanceFromPdfMetadata({ info: {}, metadata: xmp({ 'dc:source': 'https://example.org/report.html' }) })).toMatchObject({
      sourceUrl: 'https://example.org/report.html',
      evidence: { sourceUrl: 'pdf-metadata' },
    });
    expect(provenanceFromPdfMetadata({ info: {}, metadata: xmp({ 'dc:identifier': 'doi:10.1234/tides.2023.5' }) }).sourceUrl).toBe(
      'https://doi.org/10.1234/tides.2023.5',
    );
    expect(provenanceFromPdfMetadata({ info: { Subject: 'Saved from https://example.org/x?id=3.' } }).sourceUrl).toBe('https://example.org/x?id=3');
    expect(provenanceFromPdfMetadata({ info: { Keywords: 'tides, rock pools' } }).sourceUrl).toBeUndefined();
  });

  it('reads xmp:CreateDate when the Info dictionary has no date', () => {
    const metadata = new Map<string, unknown>([
      ['xmp:createdate', '2024-03-03T10:15:32+01:00'],
      ['xmp:creatortool', 'Chromium'],
    ]);
    expect(provenanceFromPdfMetadata({ info: {}, metadata }).savedAt).toBe(Date.UTC(2024, 2, 3, 9, 15, 32));
  });
});

describe('pdfProvenance', () => {
  it('combines the metadata date of a Chrome PDF with the address from its footer', () => {
    const chromes = [detectPrintChrome(chromePage(1, 5)), detectPrintChrome(chromePage(5, 5))];
    const info = { Producer: 'Skia/PDF m122', CreationDate: "D:20240303101532+01'00'" };
    expect(pdfProvenance({ info }, chromes, { locale: 'en-US' })).toEqual({
      sourceUrl: 'https://www.example.org/articles/tide-pools',
      savedAt: Date.UTC(2024, 2, 3, 9, 15, 32),
      printedTitle: 'How Tide Pools Work | Example Science',
      evidence: { sourceUrl: 'print-header', savedAt: 'pdf-metadata' },
    });
  });

  it("trusts a cairo PDF's creation date once the printed header shows a browser made it", () => {
    const chromes = [detectPrintChrome(firefoxPage(1))];
    const info = { Producer: 'cairo 1.18.0 (https://cairographics.org)', CreationDate: "D:20240303224012+01'00'" };
    expect(pdfProvenance({ info }, chromes)).toMatchObject({
      sourceUrl: 'https://breadlab.example/guides/starters',
      urlTruncated: true,
      savedAt: Date.UTC(2024, 2, 3, 21, 40, 12),
      evidence: { sourceUrl: 'print-header', savedAt: 'pdf-metadata' },
    });
    expect(pdfProvenance({ info }, [])).toEqual({ evidence: {} });
  });

  it("does not take a journal's DOI footer for a browser's: the creation date stays the author's", () => {
    const paper: PrintedPage = {
      pageNumber: 1,
      width: 612,
      height: 792,
      items: [
        { text: 'Kelp forests under warming seas', x: 72, y: 700, width: 300, size: 18 },
        { text: 'Body text of the paper.', x: 72, y: 650, width: 200, size: 10 },
        { text: 'https://doi.org/10.1016/j.kelp.2019.01.001', x: 72, y: 30, width: 200, size: 8 },
      ],
    };
    const chrome = detectPrintChrome(paper);
    expect(chrome.browserPrinted).toBeUndefined();
    const info = { Producer: 'Acrobat Distiller 11.0 (Windows)', Creator: 'LaTeX with hyperref', CreationDate: 'D:20190115120000Z' };
    const result = pdfProvenance({ info }, [chrome]);
    expect(result.savedAt).toBeUndefined();
    expect(result.sourceUrl).toBe('https://doi.org/10.1016/j.kelp.2019.01.001');
    // The same footer in a PDF whose producer is a browser: its creation date is the save.
    expect(pdfProvenance({ info: { ...info, Producer: 'Skia/PDF m122' } }, [chrome]).savedAt).toBe(Date.UTC(2019, 0, 15, 12));
  });

  it('falls back to the printed date when the metadata has none', () => {
    const chromes = [detectPrintChrome(chromePage(1, 5))];
    expect(pdfProvenance({ info: {} }, chromes, { locale: 'en-US' })).toMatchObject({
      savedAt: local(2024, 3, 3, 10, 15),
      evidence: { sourceUrl: 'print-header', savedAt: 'print-header' },
    });
  });

  it('prefers a whole address from the metadata to a shortened printed one', () => {
    const chromes = [detectPrintChrome(firefoxPage(1))];
    const metadata = new Map<string, unknown>([['dc:source', 'https://breadlab.example/guides/starters-explained']]);
    const result = pdfProvenance({ info: {}, metadata }, chromes);
    expect(result.sourceUrl).toBe('https://breadlab.example/guides/starters-explained');
    expect(result.urlTruncated).toBeUndefined();
  });

  it('uses a later page when page 1 has no address', () => {
    const first = detectPrintChrome(chromePage(1, 5));
    const last = detectPrintChrome(chromePage(5, 5, 'https://example.org/full'));
    expect(provenanceFromPrintChrome([{ ...first, sourceUrl: undefined }, last]).sourceUrl).toBe('https://example.org/full');
  });
});
