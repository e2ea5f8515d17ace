import type { PDFDocumentLoadingTask, PDFWorker } from 'pdfjs-dist';

/**
 * pdf.js is large, so it is loaded only when a PDF is added or opened. One worker serves
 * every document for the life of the page: starting a worker per file costs more than
 * parsing a small PDF.
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
 * A worker of its own, for reading several files at once (one per core): a single worker
 * reads one page at a time, however many files wait.
 */
export async function createPdfWorker(name: string): Promise<PDFWorker> {
  const pdfjs = await loadPdfjs();
  const port = new Worker(pdfjs.GlobalWorkerOptions.workerSrc, { type: 'module', name });
  // pdf.js types `port` as null only, though it takes a Worker (its docs say so).
  return new pdfjs.PDFWorker({ port: port as unknown as null });
}

/** pdf.js's own data files (CJK cMaps, the standard fonts, image decoders), shipped beside the app. */
function assetFolder(name: string): string {
  return new URL(`pdfjs/${name}/`, document.baseURI).href;
}

/**
 * Opens a PDF from its bytes. pdf.js transfers the buffer to its worker, which leaves the
 * caller's copy empty: pass bytes you no longer need, or a copy.
 */
export async function openPdf(data: Uint8Array, password?: string, worker?: PDFWorker): Promise<PDFDocumentLoadingTask> {
  const pdfjs = await loadPdfjs();
  return pdfjs.getDocument({
    data,
    password,
    worker,
    cMapUrl: assetFolder('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: assetFolder('standard_fonts'),
    wasmUrl: assetFolder('wasm'),
    iccUrl: assetFolder('iccs'),
    // Documents are untrusted input: never let pdf.js compile code from them.
    isEvalSupported: false,
    enableXfa: false,
    stopAtErrors: false,
  });
}
