import type { PdfReader } from '../pdf/pdf-reader';
import { Chunker, type ChunkDraft } from '../text/chunk';
import { titleFromFileName } from '../text/title';
import type { LibraryDB, StoredChunk, StoredDocument } from '../storage/schema';
import { beginDocument, chunkId, completeDocument, getDocument, noteProgress, putChunks, rollBackDocument } from '../storage/library';
import { describeStorageFailure } from '../storage/usage';
import { withFileDate } from '../provenance/provenance';
import { sha256Hex } from './hash';
import { ingestLockName, withLock } from '../locks';
import { describeUnsupportedFile, detectDocumentKind, type DocumentKind } from './document-kind';
import type { DocumentReader } from './reader';
import { readPdf } from './read-pdf';
import { describeWebError, readWebDocument } from './read-web';

/**
 * Adds one file to the library: hash, store the bytes, read it page by page (or section by
 * section), chunk, store the chunks in batches, and only then mark the document ready.
 * Whatever goes wrong, the document is removed again, so a half-written document never
 * reaches the library.
 */

export type IngestOutcome =
  | { kind: 'added'; doc: StoredDocument; libraryVersion: number }
  | { kind: 'duplicate'; doc: StoredDocument }
  /** The PDF is encrypted: it needs a password, or the one given was wrong. */
  | { kind: 'password'; incorrect: boolean }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled' };

export interface IngestProgress {
  /** 'held': waiting for the same file, being added just before or in another tab. */
  stage: 'held' | 'reading' | 'extracting' | 'saving';
  page: number;
  pageCount: number;
}

export interface IngestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** Chunks written per transaction. */
  batchSize?: number;
  password?: string;
  /** The worker to read PDFs with (one per import lane). */
  pdfReader?: PdfReader;
  /** A second worker a long PDF may share its pages with, while one is free; it gets the file's bytes itself. */
  borrowHelper?: () => PdfReader | undefined;
}

/** Every this many pages the document record notes how far the import got. */
const PROGRESS_NOTE_PAGES = 50;
const SNIFF_BYTES = 4096;

const MIME_TYPES: Record<DocumentKind, string> = {
  pdf: 'application/pdf',
  html: 'text/html',
  mhtml: 'multipart/related',
  markdown: 'text/markdown',
  text: 'text/plain',
};

function readerFor(kind: DocumentKind): DocumentReader {
  return kind === 'pdf' ? readPdf : readWebDocument(kind);
}

export async function ingestFile(db: LibraryDB, file: File, options: IngestOptions = {}): Promise<IngestOutcome> {
  const { signal, onProgress } = options;
  onProgress?.({ stage: 'reading', page: 0, pageCount: 0 });
  if (file.size === 0) return { kind: 'failed', reason: 'the file is empty' };
  const bytes = await file.arrayBuffer();
  const kind = detectDocumentKind(file.name, new Uint8Array(bytes, 0, Math.min(SNIFF_BYTES, bytes.byteLength)));
  if (!kind) return { kind: 'failed', reason: describeUnsupportedFile(file.name, new Uint8Array(bytes, 0, Math.min(SNIFF_BYTES, bytes.byteLength))) };
  const id = await sha256Hex(bytes);
  const existing = await getDocument(db, id);
  if (existing?.state === 'ready') return { kind: 'duplicate', doc: existing };
  if (signal?.aborted) return { kind: 'cancelled' };

  // The same file may be on its way in already: earlier in this batch, or in another tab. Its
  // copy waits for that one to end, then finds it in the library (or, if it failed, tries itself).
  try {
    return await withLock(ingestLockName(id), () => ingestLocked(db, file, kind, id, bytes, options), signal, () => onProgress?.({ stage: 'held', page: 0, pageCount: 0 }));
  } catch (error) {
    if (signal?.aborted) return { kind: 'cancelled' };
    throw error;
  }
}

async function ingestLocked(db: LibraryDB, file: File, kind: DocumentKind, id: string, bytes: ArrayBuffer, options: IngestOptions): Promise<IngestOutcome> {
  const { signal, onProgress, batchSize = 200, password, pdfReader, borrowHelper } = options;
  // Checked again under the lock: another tab may have finished the same file meanwhile.
  const before = await getDocument(db, id);
  if (before?.state === 'ready') return { kind: 'duplicate', doc: before };
  const doc: StoredDocument = {
    id,
    title: titleFromFileName(file.name),
    fileName: file.name,
    size: bytes.byteLength,
    mimeType: MIME_TYPES[kind],
    kind,
    pageCount: 0,
    chunkCount: 0,
    textChars: 0,
    addedAt: Date.now(),
    fileModifiedAt: file.lastModified || undefined,
    state: 'ingesting',
  };
  const chunker = new Chunker();
  const pagesWithoutText: number[] = [];
  let pending: StoredChunk[] = [];
  const store = (drafts: ChunkDraft[]) => {
    for (const draft of drafts) pending.push({ id: chunkId(id, draft.seq), docId: id, ...draft });
  };
  const flush = async () => {
    const batch = pending;
    pending = [];
    await putChunks(db, batch);
    doc.chunkCount += batch.length;
  };
  try {
    // IndexedDB copies the bytes when the write is queued, so a reader may take the buffer afterwards.
    await beginDocument(db, doc, bytes, password);
    const read = await readerFor(kind)(
      {
        bytes,
        fileName: file.name,
        password,
        pdfReader,
        helper: borrowHelper ? { borrow: borrowHelper, bytes: () => file.arrayBuffer() } : undefined,
        signal,
        onPage: (page, pageCount) => {
          doc.pageCount = pageCount;
          onProgress?.({ stage: 'extracting', page, pageCount });
        },
      },
      async (pageNumber, text) => {
        doc.textChars += text.length;
        if (kind === 'pdf' && text.trim().length === 0) pagesWithoutText.push(pageNumber);
        store(kind === 'pdf' ? chunker.addPage(pageNumber, text) : chunker.addSection(pageNumber, text));
        if (pending.length >= batchSize) await flush();
        if (pageNumber % PROGRESS_NOTE_PAGES === 0) await noteProgress(db, { ...doc, pagesDone: pageNumber });
      },
    );
    const provenance = withFileDate(read.provenance, file.lastModified || undefined, file.name);
    Object.assign(doc, {
      title: read.title,
      pageCount: read.pageCount,
      sourceUrl: provenance.sourceUrl,
      savedAt: provenance.savedAt,
      publishedAt: provenance.publishedAt,
    });
    if (read.failedPages.length > 0) doc.failedPages = read.failedPages;
    // A document with no text at all says so as a whole; one partly scanned names its pages.
    const silent = pagesWithoutText.filter((n) => !read.failedPages.includes(n)).sort((a, b) => a - b);
    if (doc.textChars > 0 && silent.length > 0) doc.pagesWithoutText = silent;
    if (read.sectionHeadings) doc.sectionHeadings = read.sectionHeadings;
    store(chunker.finish());
    signal?.throwIfAborted();
    onProgress?.({ stage: 'saving', page: read.pageCount, pageCount: read.pageCount });
    await flush();
    signal?.throwIfAborted();
    const libraryVersion = await completeDocument(db, doc);
    return { kind: 'added', doc: { ...doc, state: 'ready' }, libraryVersion };
  } catch (error) {
    await rollBackDocument(db, id, before);
    if (signal?.aborted) return { kind: 'cancelled' };
    if (isPasswordError(error)) return { kind: 'password', incorrect: password !== undefined };
    return { kind: 'failed', reason: await describeIngestError(error) };
  }
}

function isPasswordError(error: unknown): boolean {
  return error instanceof Error && error.name === 'PasswordException';
}

/** A sentence a person can act on. Storage errors say how much space the library uses. */
async function describeIngestError(error: unknown): Promise<string> {
  return (await describeStorageFailure(error)) ?? describeWebError(error) ?? describePdfError(error);
}

/** A sentence a person can act on, from pdf.js's exception names. */
export function describePdfError(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'PasswordException':
      return 'the PDF is protected by a password';
    case 'InvalidPDFException':
      return 'the file is damaged or not a valid PDF';
    case 'MissingPDFException':
      return 'the file could not be read';
    default:
      return message ? `could not read the PDF (${message})` : 'could not read the PDF';
  }
}
