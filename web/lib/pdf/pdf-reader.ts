import type { ExtractedPage } from './extract';
import type { OpenedPdf, ReaderRequest } from './reader-protocol';
import { WorkerCalls } from '../worker-calls';

/**
 * An import lane's handle on its PDF reader worker (pdf-reader.worker.ts): one document at a
 * time, page by page. Errors keep pdf.js's names, so a PasswordException is still one.
 */
export class PdfReader {
  private readonly calls: WorkerCalls<ReaderRequest>;

  constructor(name: string) {
    this.calls = new WorkerCalls(new Worker(new URL('./pdf-reader.worker.ts', import.meta.url), { type: 'module', name }));
  }

  /** True once the worker died or could not load: the lane then needs a new reader. */
  get failed(): boolean {
    return this.calls.failed;
  }

  /** Opens a PDF, taking the bytes (the buffer is moved to the worker: pass one you no longer need). */
  open(data: Uint8Array, password?: string): Promise<OpenedPdf> {
    return this.calls.call({ type: 'open', data, password, assetBase: document.baseURI }, [data.buffer]);
  }

  page(pageNumber: number): Promise<ExtractedPage> {
    return this.calls.call({ type: 'page', pageNumber });
  }

  cleanup(): Promise<null> {
    return this.calls.call({ type: 'cleanup' });
  }

  close(): Promise<null> {
    return this.calls.call({ type: 'close' });
  }

  terminate(): void {
    this.calls.terminate('the PDF reader was stopped');
  }
}
