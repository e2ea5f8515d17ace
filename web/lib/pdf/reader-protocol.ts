/** The messages between an import lane and its PDF reader worker (pdf-reader.worker.ts). */

export type ReaderRequest =
  /** Opens a document; `assetBase` is the page's base URL, where pdf.js's data files are. */
  | { type: 'open'; data: Uint8Array; password?: string; assetBase: string }
  | { type: 'page'; pageNumber: number }
  /** Frees what pdf.js keeps of the pages read so far. */
  | { type: 'cleanup' }
  | { type: 'close' };

export interface OpenedPdf {
  numPages: number;
  /** The Info dictionary, as pdf.js reads it. */
  info: object | null;
  /** Every XMP property, by name. */
  xmp: Record<string, unknown> | null;
}
