import type { PdfReader } from '../pdf/pdf-reader';
import type { Provenance } from '../provenance/provenance';

/** What every kind of document reader does: hand over its pages (or sections) one by one. */

export type PageSink = (pageNumber: number, text: string) => Promise<void>;

/**
 * A second PDF reader a long PDF may share its pages with: lent while this file is the only
 * one being read (at the start, or once the other files are done), with the file's bytes
 * read again for it, so that no copy is held in case a helper comes.
 */
export interface PdfHelper {
  borrow(): PdfReader | undefined;
  bytes(): Promise<ArrayBuffer>;
}

export interface ReaderInput {
  bytes: ArrayBuffer;
  fileName: string;
  password?: string;
  /** The worker to read a PDF with (one per import lane); a new one for this file when absent. */
  pdfReader?: PdfReader;
  /** A second worker for a long PDF, while one is free (see PdfHelper). */
  helper?: PdfHelper;
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
