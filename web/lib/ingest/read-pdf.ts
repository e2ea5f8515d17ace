import { metadataTitle } from '../pdf/extract';
import { PdfReader } from '../pdf/pdf-reader';
import { chooseTitle } from '../text/title';
import { pdfProvenance, type PrintChrome } from '../provenance/pdf-provenance';
import type { DocumentReader, PageSink } from './reader';

const CLEANUP_EVERY_PAGES = 100;

/**
 * Reads a PDF page by page with pdf.js. A page pdf.js cannot open is noted and skipped; the
 * header and footer a browser printed on the first and last pages say where it came from.
 */
export const readPdf: DocumentReader = async ({ bytes, fileName, password, pdfReader, signal, onPage }, sink: PageSink) => {
  const reader = pdfReader ?? new PdfReader('pdf reader');
  const abort = () => void reader.close().catch(() => undefined);
  signal?.addEventListener('abort', abort);
  try {
    const { numPages, info, xmp } = await reader.open(new Uint8Array(bytes), password);
    const meta = { info, metadata: xmp ? { get: (name: string) => xmp[name] ?? null } : null };
    const rawTitle = metadataTitle(meta);
    const failedPages: number[] = [];
    const chromes: PrintChrome[] = [];
    let title: string | null = null;
    // The worker reads the next page while this one is chunked and stored: one page in flight
    // ahead keeps both sides busy without holding many pages at once.
    const read = (n: number) =>
      reader.page(n).then(
        (page) => ({ page }),
        (error: unknown) => ({ error }),
      );
    let next = numPages > 0 ? read(1) : null;
    for (let pageNumber = 1; pageNumber <= numPages; pageNumber++) {
      signal?.throwIfAborted();
      onPage(pageNumber, numPages);
      const current = await next;
      // pdf.js keeps the fonts and page objects it has loaded; over hundreds of pages they
      // add up. Freed now and then, between two pages, when nothing is in flight.
      if (pageNumber % CLEANUP_EVERY_PAGES === 0) await reader.cleanup();
      next = pageNumber < numPages ? read(pageNumber + 1) : null;
      signal?.throwIfAborted();
      if (!current || 'error' in current) {
        // One broken page does not cost the person the rest of the document.
        failedPages.push(pageNumber);
        continue;
      }
      const { page } = current;
      if (pageNumber === 1 || pageNumber === numPages) chromes.push(page.chrome);
      if (title === null) title = chooseTitle(rawTitle, page.lines, fileName);
      await sink(pageNumber, page.text);
    }
    if (failedPages.length === numPages) throw new Error('no page of it could be read');
    const provenance = pdfProvenance(meta, chromes);
    return {
      title: title ?? chooseTitle(rawTitle ?? provenance.printedTitle, [], fileName),
      pageCount: numPages,
      failedPages,
      provenance,
    };
  } finally {
    signal?.removeEventListener('abort', abort);
    if (pdfReader) await reader.close().catch(() => undefined);
    else reader.terminate();
  }
};
