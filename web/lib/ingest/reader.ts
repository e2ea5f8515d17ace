import type { PdfReader } from '../pdf/pdf-reader';
import type { Provenance } from '../provenance/provenance';

/** What every kind of document reader does: hand over its pages (or sections) one by one. */

export type PageSink = (pageNumber: number, text: string) => Promise<void>;

export interface ReaderInput {
  bytes: ArrayBuffer;
  fileName: string;
  password?: string;
  /** The worker to read a PDF with (one per import lane); a new one for this file when absent. */
  pdfReader?: PdfReader;
  /** A second worker, free while this file is read alone: a long PDF's pages are shared with it. */
  helperReader?: PdfReader;
  signal?: AbortSignal;
  onPage: (page: number, pageCount: number) => void;
}

export interface ReadResult {
  title: string;
  pageCount: number;
  failedPages: number[];
  provenance: Provenance;
  sectionHeadings?: (string | null)[];
}

export type DocumentReader = (input: ReaderInput, sink: PageSink) => Promise<ReadResult>;
