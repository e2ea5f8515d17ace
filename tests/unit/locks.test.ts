import { describe, expect, it } from 'vitest';
import { withLock } from '../../web/lib/locks';

// Node has no Web Locks: these are the in-tab locks a page on a plain-http LAN address gets.
describe('locks without Web Locks', () => {
  it('runs the second holder after the first, and tells it that it waits', async () => {
    const order: string[] = [];
    let release = () => undefined as void;
    const first = withLock('memory-cache:test:a', () => new Promise<void>((resolve) => (release = () => (order.push('first done'), resolve()))));
    const waits: string[] = [];
    const second = withLock('memory-cache:test:a', async () => void order.push('second ran'), undefined, () => waits.push('waiting'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    expect(waits).toEqual(['waiting']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first done', 'second ran']);
  });

  it('stops waiting at once when the wait is cancelled', async () => {
    const holder = withLock('memory-cache:test:b', () => new Promise<void>((resolve) => setTimeout(resolve, 1500)));
    const controller = new AbortController();
    let ran = false;
    const waiting = withLock('memory-cache:test:b', async () => void (ran = true), controller.signal);
    setTimeout(() => controller.abort(), 10);
    const started = Date.now();
    await expect(waiting).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ran).toBe(false);
    void holder;
  });
});
