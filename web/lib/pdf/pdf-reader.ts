import type { ExtractedPage } from './extract';
import type { OpenedPdf, ReaderRequest, ReaderResponse } from './reader-protocol';

/**
 * An import lane's handle on its PDF reader worker (pdf-reader.worker.ts): one document at a
 * time, page by page. Errors keep pdf.js's names, so a PasswordException is still one.
 */
export class PdfReader {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor(name: string) {
    this.worker = new Worker(new URL('./pdf-reader.worker.ts', import.meta.url), { type: 'module', name });
    this.worker.addEventListener('message', (event: MessageEvent<ReaderResponse>) => {
      const response = event.data;
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(Object.assign(new Error(response.message), { name: response.name }));
    });
  }

  private call<T>(request: ReaderRequest, transfer: Transferable[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  /** Opens a PDF, taking the bytes (the buffer is moved to the worker: pass one you no longer need). */
  open(data: Uint8Array, password?: string): Promise<OpenedPdf> {
    return this.call({ type: 'open', data, password, assetBase: document.baseURI }, [data.buffer]);
  }

  page(pageNumber: number): Promise<ExtractedPage> {
    return this.call({ type: 'page', pageNumber });
  }

  cleanup(): Promise<null> {
    return this.call({ type: 'cleanup' });
  }

  close(): Promise<null> {
    return this.call({ type: 'close' });
  }

  terminate(): void {
    this.worker.terminate();
    for (const waiting of this.pending.values()) waiting.reject(new Error('the PDF reader was stopped'));
    this.pending.clear();
  }
}
