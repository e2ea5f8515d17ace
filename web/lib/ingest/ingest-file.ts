import { Chunker, type ChunkDraft } from '../text/chunk';
import { chooseTitle, titleFromFileName, type TextLine } from '../text/title';
import { extractPage, metadataTitle } from '../pdf/extract';
import { openPdf } from '../pdf/pdfjs';
import type { LibraryDB, StoredChunk, StoredDocument } from '../storage/schema';
import { beginDocument, chunkId, completeDocument, discardUnfinishedDocument, getDocument, noteProgress, putChunks } from '../storage/library';
import { storageUsage } from '../storage/usage';
import { formatBytes } from '../format';
import { sha256Hex } from './hash';
import { ingestLockName, withLockIfFree } from './locks';
import { looksLikePdf } from './sniff';

/**
 * Adds one file to the library: hash, store the bytes, extract page by page, chunk, store
 * the chunks in batches, and only then mark the document ready. Whatever goes wrong, the
 * document is removed again, so a half-written document never reaches the library.
 */

export type IngestOutcome =
  | { kind: 'added'; doc: StoredDocument; libraryVersion: number }
  | { kind: 'duplicate'; doc: StoredDocument }
  | { kind: 'busy' }
  /** The PDF is encrypted: it needs a password, or the one given was wrong. */
  | { kind: 'password'; incorrect: boolean }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled' };

export interface IngestProgress {
  stage: 'reading' | 'extracting' | 'saving';
  page: number;
  pageCount: number;
}

export interface IngestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** Chunks written per transaction. */
  batchSize?: number;
  password?: string;
}

/** Every this many pages the document record notes how far the import got. */
const PROGRESS_NOTE_PAGES = 50;

export class IngestCancelled extends Error {
  constructor() {
    super('Cancelled');
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new IngestCancelled();
}

export async function ingestFile(db: LibraryDB, file: File, options: IngestOptions = {}): Promise<IngestOutcome> {
  const { signal, onProgress } = options;
  onProgress?.({ stage: 'reading', page: 0, pageCount: 0 });
  if (file.size === 0) return { kind: 'failed', reason: 'the file is empty' };
  const bytes = await file.arrayBuffer();
  if (!looksLikePdf(bytes)) return { kind: 'failed', reason: 'not a PDF file' };
  const id = await sha256Hex(bytes);
  const existing = await getDocument(db, id);
  if (existing?.state === 'ready') return { kind: 'duplicate', doc: existing };
  if (signal?.aborted) return { kind: 'cancelled' };

  const outcome = await withLockIfFree(ingestLockName(id), () => ingestLocked(db, file, id, bytes, options));
  return outcome ?? { kind: 'busy' };
}

async function ingestLocked(db: LibraryDB, file: File, id: string, bytes: ArrayBuffer, options: IngestOptions): Promise<IngestOutcome> {
  const { signal, onProgress, batchSize = 200, password } = options;
  const doc: StoredDocument = {
    id,
    title: titleFromFileName(file.name),
    fileName: file.name,
    size: bytes.byteLength,
    mimeType: 'application/pdf',
    pageCount: 0,
    chunkCount: 0,
    textChars: 0,
    addedAt: Date.now(),
    state: 'ingesting',
  };
  let loadingTask: Awaited<ReturnType<typeof openPdf>> | null = null;
  const abort = () => void loadingTask?.destroy();
  signal?.addEventListener('abort', abort);
  try {
    // IndexedDB copies the bytes when the write is queued, so pdf.js may take the buffer afterwards.
    await beginDocument(db, doc, bytes, password);
    loadingTask = await openPdf(new Uint8Array(bytes), password);
    throwIfCancelled(signal);
    const pdf = await loadingTask.promise;
    doc.pageCount = pdf.numPages;
    const rawTitle = await metadataTitle(pdf);

    const chunker = new Chunker();
    const failedPages: number[] = [];
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

    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
      throwIfCancelled(signal);
      onProgress?.({ stage: 'extracting', page: pageNumber, pageCount: pdf.numPages });
      let page: Awaited<ReturnType<typeof extractPage>>;
      try {
        page = await extractPage(pdf, pageNumber);
      } catch (error) {
        // One broken page does not cost the person the rest of the document.
        if (signal?.aborted) throw new IngestCancelled();
        failedPages.push(pageNumber);
        continue;
      }
      if (pageNumber === 1) doc.title = chooseTitle(rawTitle, firstLines(page.lines), file.name);
      doc.textChars += page.text.length;
      store(chunker.addPage(pageNumber, page.text));
      if (pending.length >= batchSize) await flush();
      if (pageNumber % PROGRESS_NOTE_PAGES === 0) await noteProgress(db, { ...doc, pagesDone: pageNumber });
    }
    if (failedPages.length === pdf.numPages) throw new Error('no page of it could be read');
    if (failedPages.length > 0) doc.failedPages = failedPages;
    if (doc.title === titleFromFileName(file.name)) doc.title = chooseTitle(rawTitle, [], file.name);
    store(chunker.finish());
    throwIfCancelled(signal);
    onProgress?.({ stage: 'saving', page: pdf.numPages, pageCount: pdf.numPages });
    await flush();
    throwIfCancelled(signal);
    const libraryVersion = await completeDocument(db, doc);
    return { kind: 'added', doc: { ...doc, state: 'ready' }, libraryVersion };
  } catch (error) {
    await discardUnfinishedDocument(db, id).catch(() => undefined);
    if (error instanceof IngestCancelled || signal?.aborted) return { kind: 'cancelled' };
    if (isPasswordError(error)) return { kind: 'password', incorrect: password !== undefined };
    return { kind: 'failed', reason: await describeIngestError(error) };
  } finally {
    signal?.removeEventListener('abort', abort);
    await loadingTask?.destroy();
  }
}

function firstLines(lines: TextLine[]): TextLine[] {
  return lines.slice(0, 40);
}

function isPasswordError(error: unknown): boolean {
  return error instanceof Error && error.name === 'PasswordException';
}

/**
 * Over quota, IndexedDB says QuotaExceededError. On a disk that is actually full, Chromium
 * may instead fail writing the value's blob with an UnknownError about an IOError.
 */
function storageFailure(error: unknown): 'quota' | 'disk' | null {
  if (!(error instanceof DOMException)) return null;
  if (error.name === 'QuotaExceededError') return 'quota';
  if (error.name === 'UnknownError' || /IOError|disk|write blobs/i.test(error.message)) return 'disk';
  return null;
}

/** A sentence a person can act on. Storage errors say how much space the library uses. */
async function describeIngestError(error: unknown): Promise<string> {
  const failure = storageFailure(error);
  if (!failure) return describePdfError(error);
  const usage = await storageUsage().catch(() => null);
  const used = usage ? ` (this site uses ${formatBytes(usage.usedBytes)} of the ${formatBytes(usage.quotaBytes)} the browser allows)` : '';
  const what = failure === 'quota' ? 'the browser has no storage space left' : 'the browser could not save it: its disk is full or failing';
  return `${what}${used}; free some space or delete documents, then add it again`;
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
