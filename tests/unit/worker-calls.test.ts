import { describe, expect, it } from 'vitest';
import { responseTo, WorkerCalls, type WorkerResponse } from '../../web/lib/worker-calls';

/** A stand-in for a Worker: records what is posted, and lets the test answer or fail. */
class FakeWorker extends EventTarget {
  posted: { id: number; type: string }[] = [];
  terminated = false;
  postMessage(message: { id: number; type: string }): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(response: WorkerResponse): void {
    this.dispatchEvent(new MessageEvent('message', { data: response }));
  }
  crash(message: string): void {
    const event = new Event('error', { cancelable: true });
    Object.assign(event, { message });
    this.dispatchEvent(event);
  }
}

function calls(): { worker: FakeWorker; rpc: WorkerCalls<{ type: string }> } {
  const worker = new FakeWorker();
  // Why the cast: the fake has the parts of Worker that WorkerCalls uses.
  return { worker, rpc: new WorkerCalls<{ type: string }>(worker as unknown as Worker) };
}

describe('calls into a worker', () => {
  it('pairs answers with their calls, in any order, and keeps the name of an error', async () => {
    const { worker, rpc } = calls();
    const first = rpc.call<string>({ type: 'a' });
    const second = rpc.call<string>({ type: 'b' });
    const [a, b] = worker.posted;
    worker.answer(await responseTo(b.id, () => Promise.reject(Object.assign(new Error('wrong password'), { name: 'PasswordException' }))));
    worker.answer(await responseTo(a.id, async () => 'done'));
    expect(await first).toBe('done');
    await expect(second).rejects.toMatchObject({ name: 'PasswordException', message: 'wrong password' });
  });

  it('fails every waiting call, and every later one, when the worker dies or cannot load', async () => {
    const { worker, rpc } = calls();
    const waiting = rpc.call({ type: 'a' });
    worker.crash('');
    await expect(waiting).rejects.toThrow('the worker stopped: it could not be loaded');
    expect(rpc.failed).toBe(true);
    await expect(rpc.call({ type: 'b' })).rejects.toThrow('the worker stopped');
    expect(worker.posted).toHaveLength(1);
  });

  it('fails what waits when it is terminated', async () => {
    const { worker, rpc } = calls();
    const waiting = rpc.call({ type: 'a' });
    rpc.terminate('closed');
    await expect(waiting).rejects.toThrow('closed');
    expect(worker.terminated).toBe(true);
  });
});
