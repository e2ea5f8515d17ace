/**
 * Calls into a worker as promises: each request carries an id, the worker answers
 * `{ id, ok: true, value }` or `{ id, ok: false, name, message }`, and the error keeps its
 * name (PasswordException, QuotaExceededError…), which is what says what went wrong. A
 * worker that dies or cannot load rejects every call waiting on it, rather than leaving
 * them pending for ever.
 */

export type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };

/** The worker's side: runs a request and makes the answer to post back, a failure included. */
export async function responseTo(id: number, run: () => Promise<unknown>): Promise<WorkerResponse> {
  try {
    return { id, ok: true, value: await run() };
  } catch (error) {
    return { id, ok: false, name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
  }
}

export class WorkerCalls<Request extends object> {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  /** Set once the worker has failed: every later call fails at once. */
  private failure: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      const response = event.data;
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(Object.assign(new Error(response.message), { name: response.name }));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new Error(`the worker stopped: ${event.message || 'it could not be loaded'}`));
    });
    worker.addEventListener('messageerror', () => this.fail(new Error('the worker sent a message that could not be read')));
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  call<T>(request: Request, transfer: Transferable[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  terminate(reason = 'the worker was stopped'): void {
    this.worker.terminate();
    this.fail(new Error(reason));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
