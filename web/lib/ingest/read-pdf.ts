import { extractPage, metadataTitle, readMetadata } from '../pdf/extract';
import { openPdf } from '../pdf/pdfjs';
import { chooseTitle } from '../text/title';
import { pdfProvenance, type PrintChrome } from '../provenance/pdf-provenance';
import type { DocumentReader, PageSink } from './reader';

/**
 * Reads a PDF page by page with pdf.js. A page pdf.js cannot open is noted and skipped; the
 * header and footer a browser printed on the first and last pages say where it came from.
 */
export const readPdf: DocumentReader = async ({ bytes, fileName, password, signal, onPage }, sink: PageSink) => {
  const loadingTask = await openPdf(new Uint8Array(bytes), password);
  const abort = () => void loadingTask.destroy();
  signal?.addEventListener('abort', abort);
  try {
    const pdf = await loadingTask.promise;
    const meta = await readMetadata(pdf);
    const rawTitle = metadataTitle(meta);
    const failedPages: number[] = [];
    const chromes: PrintChrome[] = [];
    let title: string | null = null;
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
      signal?.throwIfAborted();
      onPage(pageNumber, pdf.numPages);
      let page: Awaited<ReturnType<typeof extractPage>>;
      try {
        page = await extractPage(pdf, pageNumber);
      } catch {
        // One broken page does not cost the person the rest of the document.
        signal?.throwIfAborted();
        failedPages.push(pageNumber);
        continue;
      }
      if (pageNumber === 1 || pageNumber === pdf.numPages) chromes.push(page.chrome);
      if (title === null) title = chooseTitle(rawTitle, page.lines.slice(0, 40), fileName);
      await sink(pageNumber, page.text);
    }
    if (failedPages.length === pdf.numPages) throw new Error('no page of it could be read');
    const provenance = pdfProvenance(meta, chromes);
    return {
      title: title ?? chooseTitle(rawTitle ?? provenance.printedTitle, [], fileName),
      pageCount: pdf.numPages,
      failedPages,
      provenance,
    };
  } finally {
    signal?.removeEventListener('abort', abort);
    await loadingTask.destroy();
  }
};
