import { performance } from 'node:perf_hooks';
import type { CDPSession, Page } from 'playwright-core';

/**
 * Samples the used JS heap of the page's main thread and of each of its workers (the pdf.js
 * worker holds the parsed PDF) through the DevTools protocol. Workers are reached by
 * auto-attaching to them without "flatten", which lets one Playwright CDP session send
 * commands to them (Target.sendMessageToTarget) without disturbing Playwright's own.
 */

export interface HeapPeaks {
  /** Before the work, after a garbage collection. */
  baselineMain: number;
  peakMain: number;
  /** Highest sum over the workers alive at one sample. */
  peakWorkers: number;
  /** Highest main + workers at one sample. */
  peakTotal: number;
  samples: number;
  /** [milliseconds since start(), page bytes, worker bytes] every sample: where in the work the peak falls. */
  timeline: [number, number, number][];
}

interface TargetMessage {
  id?: number;
  result?: { usedSize?: number };
}

export class HeapSampler {
  private cdp: CDPSession | null = null;
  private readonly workers = new Set<string>();
  private readonly waiting = new Map<number, (used: number | null) => void>();
  private nextId = 1;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private peaks: HeapPeaks = { baselineMain: 0, peakMain: 0, peakWorkers: 0, peakTotal: 0, samples: 0, timeline: [] };
  private startedAt = 0;

  /** Attach before the page creates its workers: auto-attach only sees workers started afterwards. */
  async attach(page: Page): Promise<void> {
    const cdp = await page.context().newCDPSession(page);
    this.cdp = cdp;
    cdp.on('Target.attachedToTarget', (event) => {
      if (event.targetInfo.type === 'worker') this.workers.add(event.sessionId);
    });
    cdp.on('Target.detachedFromTarget', (event) => {
      if (event.sessionId) this.workers.delete(event.sessionId);
    });
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as TargetMessage;
      if (message.id === undefined) return;
      this.waiting.get(message.id)?.(message.result?.usedSize ?? null);
      this.waiting.delete(message.id);
    });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  }

  private async workerHeap(sessionId: string): Promise<number | null> {
    const cdp = this.cdp;
    if (!cdp) return null;
    const id = this.nextId++;
    const answer = new Promise<number | null>((resolve) => {
      this.waiting.set(id, resolve);
      setTimeout(() => {
        this.waiting.delete(id);
        resolve(null);
      }, 2000);
    });
    try {
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
    } catch {
      return null;
    }
    return answer;
  }

  private async sample(): Promise<void> {
    const cdp = this.cdp;
    if (!cdp) return;
    const [main, ...workers] = await Promise.all([cdp.send('Runtime.getHeapUsage').then((r) => r.usedSize), ...[...this.workers].map((id) => this.workerHeap(id))]);
    const workerTotal = workers.reduce<number>((total, used) => total + (used ?? 0), 0);
    this.peaks.peakMain = Math.max(this.peaks.peakMain, main);
    this.peaks.peakWorkers = Math.max(this.peaks.peakWorkers, workerTotal);
    this.peaks.peakTotal = Math.max(this.peaks.peakTotal, main + workerTotal);
    this.peaks.samples++;
    this.peaks.timeline.push([Math.round(performance.now() - this.startedAt), main, workerTotal]);
  }

  /** Collects garbage, notes the baseline, and samples every `intervalMs` until stop(). */
  async start(intervalMs = 100): Promise<void> {
    const cdp = this.cdp;
    if (!cdp) throw new Error('attach() first');
    await cdp.send('HeapProfiler.collectGarbage');
    this.peaks.baselineMain = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    this.startedAt = performance.now();
    this.running = true;
    const tick = async () => {
      if (!this.running) return;
      await this.sample().catch(() => undefined);
      if (this.running) this.timer = setTimeout(() => void tick(), intervalMs);
    };
    await tick();
  }

  async stop(): Promise<HeapPeaks> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.sample().catch(() => undefined);
    await this.cdp?.detach().catch(() => undefined);
    this.cdp = null;
    return { ...this.peaks };
  }
}
