import { metadataTitle, type ExtractedPage } from '../pdf/extract';
import { PdfReader } from '../pdf/pdf-reader';
import { chooseTitle, titleOfFirstPage } from '../text/title';
import { pdfProvenance, type PrintChrome } from '../provenance/pdf-provenance';
import type { DocumentReader, PageSink } from './reader';

const CLEANUP_EVERY_PAGES = 100;
/** With this many pages left, a PDF is worth opening in a second worker, when one is free, to read two pages at once. */
const SHARE_FROM_PAGES = 50;
/** Pages asked of each worker ahead of the one being stored: it never waits for the page to ask. */
const AHEAD_PER_READER = 2;

type PageResult = { page: ExtractedPage } | { error: unknown };

/**
 * Reads a PDF page by page with pdf.js. A page pdf.js cannot open is noted and skipped; the
 * header and footer a browser printed on the first and last pages say where it came from.
 */
export const readPdf: DocumentReader = async ({ bytes, fileName, password, pdfReader, helper, signal, onPage }, sink: PageSink) => {
  const reader = pdfReader ?? new PdfReader('pdf reader');
  const readers = [reader];
  let helping: PdfReader | undefined;
  /** The helper's opening of this file: settled before the helper is given back. */
  let joining: Promise<void> = Promise.resolve();
  let finished = false;
  const abort = () => [reader, helping].forEach((r) => void r?.close().catch(() => undefined));
  signal?.addEventListener('abort', abort);
  /** The helper is optional: one that fails leaves the pages to the first worker. */
  const dropHelper = (worker: PdfReader) => {
    const at = readers.indexOf(worker);
    if (worker !== reader && at >= 0) readers.splice(at, 1);
  };
  try {
    const { numPages, info, xmp } = await reader.open(new Uint8Array(bytes), password);
    // A helper, once lent, opens the file while the first worker reads on, and then takes
    // pages too; one that cannot open it is not needed. Nothing is opened in it once this
    // read is over: it may by then be lent to the next file.
    const askForHelp = (pageNumber: number) => {
      if (helping || !helper || numPages - pageNumber < SHARE_FROM_PAGES) return;
      const lent = helper.borrow();
      if (!lent) return;
      helping = lent;
      joining = helper
        .bytes()
        .then((copy) => (finished || signal?.aborted ? undefined : lent.open(new Uint8Array(copy), password)))
        .then(
          (opened) => {
            if (opened && !finished && !signal?.aborted) readers.push(lent);
          },
          () => undefined,
        );
    };
    const meta = { info, metadata: xmp ? { get: (name: string) => xmp[name] ?? null } : null };
    const rawTitle = metadataTitle(meta);
    const failedPages: number[] = [];
    const chromes: PrintChrome[] = [];
    // undefined until the first page read has been looked at; null when it showed no title.
    let title: string | null | undefined;

    // Pages are asked for ahead of the one being stored, spread over the workers, and taken
    // in order. None is asked for past the next clean-up, which wants nothing in flight.
    const requested = new Map<number, Promise<PageResult>>();
    let lastRequested = 0;
    const requestUpTo = (last: number) => {
      while (lastRequested < Math.min(last, numPages)) {
        const n = ++lastRequested;
        requested.set(n, readPage(n, readers[n % readers.length]));
      }
    };
    const readPage = (n: number, worker: PdfReader): Promise<PageResult> =>
      worker.page(n).then(
        (page) => ({ page }),
        (error: unknown) => {
          if (worker === reader || !worker.failed) return { error };
          dropHelper(worker);
          return readPage(n, reader);
        },
      );
    for (let pageNumber = 1; pageNumber <= numPages; pageNumber++) {
      signal?.throwIfAborted();
      onPage(pageNumber, numPages);
      askForHelp(pageNumber);
      requestUpTo(Math.min(pageNumber + AHEAD_PER_READER * readers.length, Math.ceil(pageNumber / CLEANUP_EVERY_PAGES) * CLEANUP_EVERY_PAGES));
      const current = await requested.get(pageNumber);
      requested.delete(pageNumber);
      // pdf.js keeps the fonts and page objects it has loaded; over hundreds of pages they
      // add up. Freed now and then, between two pages, when nothing is in flight.
      if (pageNumber % CLEANUP_EVERY_PAGES === 0) await Promise.all(readers.map((r) => (r === reader ? r.cleanup() : r.cleanup().catch(() => dropHelper(r)))));
      signal?.throwIfAborted();
      if (!current || 'error' in current) {
        // One broken page does not cost the person the rest of the document.
        failedPages.push(pageNumber);
        continue;
      }
      const { page } = current;
      if (pageNumber === 1 || pageNumber === numPages) chromes.push(page.chrome);
      if (title === undefined) title = titleOfFirstPage(rawTitle, page.lines);
      await sink(pageNumber, page.text);
    }
    if (failedPages.length === numPages) throw new Error('no page of it could be read');
    const provenance = pdfProvenance(meta, chromes);
    return {
      title: title ?? chooseTitle(provenance.printedTitle, [], fileName),
      pageCount: numPages,
      failedPages,
      provenance,
    };
  } finally {
    signal?.removeEventListener('abort', abort);
    finished = true;
    // A helper still opening this file is stopped, and given back only once its opening is
    // over, then closed again: a late open would otherwise land in the next file it reads.
    await helping?.close().catch(() => undefined);
    await joining;
    await helping?.close().catch(() => undefined);
    if (pdfReader) await reader.close().catch(() => undefined);
    else reader.terminate();
  }
};
