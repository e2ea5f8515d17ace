/// <reference types="svelte" />
/// <reference types="vite/client" />

/** pdf.js's parser, run in the thread that imports it (see web/lib/pdf/pdf-reader.worker.ts). */
declare module 'pdfjs-dist/build/pdf.worker.min.mjs' {
  export const WorkerMessageHandler: unknown;
}
