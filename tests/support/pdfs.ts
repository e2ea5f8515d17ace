import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';

/**
 * Real PDFs for the tests, made with pdf-lib: pages of wrapped paragraphs in a standard
 * font, an optional heading set larger, and an optional title in the metadata.
 */

export interface PdfPageSpec {
  heading?: string;
  paragraphs: string[];
}

export interface PdfSpec {
  title?: string;
  pages: PdfPageSpec[];
  /** Bytes of noise in an object no page uses, for a file as large as a scan. */
  padding?: number;
}

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 56;
const BODY_SIZE = 11;
const HEADING_SIZE = 20;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function drawPage(page: PDFPage, spec: PdfPageSpec, body: PDFFont, bold: PDFFont): void {
  let y = PAGE_HEIGHT - MARGIN;
  const width = PAGE_WIDTH - 2 * MARGIN;
  if (spec.heading) {
    for (const line of wrap(spec.heading, bold, HEADING_SIZE, width)) {
      y -= HEADING_SIZE * 1.2;
      page.drawText(line, { x: MARGIN, y, size: HEADING_SIZE, font: bold });
    }
    y -= HEADING_SIZE * 0.8;
  }
  for (const paragraph of spec.paragraphs) {
    for (const line of wrap(paragraph, body, BODY_SIZE, width)) {
      y -= BODY_SIZE * 1.35;
      if (y < MARGIN) throw new Error('test PDF page overflows: use fewer or shorter paragraphs');
      page.drawText(line, { x: MARGIN, y, size: BODY_SIZE, font: body });
    }
    y -= BODY_SIZE * 0.9;
  }
}

export async function makePdf(spec: PdfSpec): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // Fixed dates keep the bytes (and so the document's hash) the same on every run.
  const fixed = new Date(Date.UTC(2026, 0, 15, 12));
  pdf.setCreationDate(fixed);
  pdf.setModificationDate(fixed);
  pdf.setProducer('memory-cache tests');
  pdf.setCreator('memory-cache tests');
  if (spec.title) pdf.setTitle(spec.title);
  const body = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const pageSpec of spec.pages) drawPage(pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]), pageSpec, body, bold);
  if (spec.padding) {
    // Noise does not compress, so the file stays this large wherever it is stored.
    const noise = new Uint8Array(spec.padding);
    for (let i = 0, x = 2463534242; i < noise.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      noise[i] = x & 255;
    }
    pdf.context.register(pdf.context.stream(noise));
  }
  return pdf.save({ useObjectStreams: true });
}
