/// <reference lib="webworker" />
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';
import { extractPage, readMetadata } from './extract';
import { documentOptions } from './document-options';
import type { OpenedPdf, ReaderRequest } from './reader-protocol';
import { responseTo } from '../worker-calls';

/**
 * Reads one PDF at a time for an import lane: pdf.js's parser and its API run here, in one
 * thread, and only each page's finished text goes to the page. With pdf.js's own worker
 * the page received every text run of every page (tens of thousands of objects for a book)
 * and turned them into lines itself: most of the page's work while importing, and the
 * copying of the runs between threads on both sides.
 */

let pdfjsReady: Promise<typeof import('pdfjs-dist')> | null = null;

function loadPdfjs(): Promise<typeof import('pdfjs-dist')> {
  pdfjsReady ??= (async () => {
    // With the parser's module on globalThis, pdf.js runs it in this thread instead of
    // starting a worker of its own.
    const parser = await import('pdfjs-dist/build/pdf.worker.min.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = parser;
    return import('pdfjs-dist');
  })();
  // A load that failed (a network hiccup) is tried again by the next file.
  pdfjsReady.catch(() => (pdfjsReady = null));
  return pdfjsReady;
}

/** The document being opened or read; destroying its task also stops an open in progress. */
let task: PDFDocumentLoadingTask | null = null;
let pdf: PDFDocumentProxy | null = null;

async function close(): Promise<null> {
  const open = task;
  task = null;
  pdf = null;
  await open?.destroy();
  return null;
}

function opened(): PDFDocumentProxy {
  if (!pdf) throw new Error('no PDF is open');
  return pdf;
}

async function handle(request: ReaderRequest): Promise<OpenedPdf | Awaited<ReturnType<typeof extractPage>> | null> {
  switch (request.type) {
    case 'open': {
      await close();
      const pdfjs = await loadPdfjs();
      // The parser fetches pdf.js's data files itself: there is no document here for the
      // page-side loaders pdf.js would otherwise pick.
      const loading = pdfjs.getDocument({ data: request.data, password: request.password, ...documentOptions(request.assetBase), useWorkerFetch: true });
      task = loading;
      const doc = await loading.promise;
      // Closed while it opened: the promise above has then failed already.
      if (task !== loading) throw new Error('the PDF was closed');
      pdf = doc;
      const { info, metadata } = await readMetadata(doc);
      // pdf.js's Metadata iterates over its entries (PdfMetadata names only the get() the page uses).
      const xmp = metadata ? Object.fromEntries(metadata as unknown as Iterable<[string, unknown]>) : null;
      return { numPages: doc.numPages, info, xmp };
    }
    case 'page':
      return extractPage(opened(), request.pageNumber);
    case 'cleanup':
      await opened().cleanup();
      return null;
    case 'close':
      return close();
  }
}

self.addEventListener('message', (event: MessageEvent<ReaderRequest & { id: number }>) => {
  const { id, ...request } = event.data;
  void responseTo(id, () => handle(request)).then((response) => self.postMessage(response));
});
