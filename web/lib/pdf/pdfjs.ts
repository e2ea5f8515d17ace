import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
import { documentOptions } from './document-options';

/**
 * pdf.js on the page, for the viewer: it is large, so it is loaded only when a PDF is
 * opened. One worker serves every document for the life of the page. (Imports read PDFs in
 * workers of their own: pdf-reader.worker.ts.)
 */

type Pdfjs = typeof import('pdfjs-dist');

let pdfjsPromise: Promise<Pdfjs> | null = null;

export function loadPdfjs(): Promise<Pdfjs> {
  pdfjsPromise ??= (async () => {
    const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
    pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
    pdfjs.GlobalWorkerOptions.workerPort = new Worker(worker.default, { type: 'module', name: 'pdf.js' });
    return pdfjs;
  })();
  return pdfjsPromise;
}

/**
 * Opens a PDF from its bytes. pdf.js transfers the buffer to its worker, which leaves the
 * caller's copy empty: pass bytes you no longer need, or a copy.
 */
export async function openPdf(data: Uint8Array, password?: string): Promise<PDFDocumentLoadingTask> {
  const pdfjs = await loadPdfjs();
  return pdfjs.getDocument({ data, password, ...documentOptions(document.baseURI) });
}
