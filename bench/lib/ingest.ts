import type { Page } from 'playwright-core';
import { addFilesByPath, openProfile } from './browser';
import { HeapSampler, type HeapPeaks } from './heap';
import type { LongTask } from './probes';

/**
 * One ingest, measured in the real app in a fresh profile (an empty library on disk): the
 * PDFs go in through the "Add PDFs" file chooser, and the run ends when the list named
 * "Library" shows every document ready, which the app does only once its chunks are stored
 * and indexed. Times are the page's own: from the file input's change event to that moment.
 * Long tasks are counted until the app has settled, so the index it saves a moment after
 * the last document (PERSIST_DELAY_MS in web/lib/state/library.svelte.ts) counts too.
 */

export interface IngestRun {
  pages: number;
  docs: number;
  /** Change event to every document ready. */
  ms: number;
  pagesPerSecond: number;
  longestTaskMs: number;
  /** Long tasks (over 50 ms) from the change event until the page settled. */
  longTasks: number;
  /** Main-thread time spent in long tasks. */
  longTaskMs: number;
  /** Until the page settled, the index saved included. */
  settledMs: number;
  heap: HeapPeaks | null;
}

export interface IngestOptions {
  appUrl: string;
  profilesDir: string;
  files: string[];
  pages: number;
  sampleHeap: boolean;
}

/** The page is settled when no long task has started for this long… */
const QUIET_MS = 5000;
/** …or at the latest this long after the last document turned ready. */
const SETTLE_LIMIT_MS = 60_000;

async function settle(page: Page, readyAt: number): Promise<number> {
  for (;;) {
    const { now, last } = await page.evaluate(() => {
      const tasks = window.__bench.longTasks ?? [];
      const lastTask = tasks[tasks.length - 1];
      return { now: performance.now(), last: lastTask ? lastTask.start + lastTask.duration : 0 };
    });
    if (now - Math.max(readyAt, last) >= QUIET_MS || now - readyAt > SETTLE_LIMIT_MS) return Math.max(readyAt, last);
    await page.waitForTimeout(250);
  }
}

export async function ingestOnce(options: IngestOptions): Promise<IngestRun> {
  const profile = await openProfile(options.profilesDir);
  try {
    const page = await profile.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const sampler = options.sampleHeap ? new HeapSampler() : null;
    await sampler?.attach(page);
    await page.goto(options.appUrl, { waitUntil: 'networkidle' });
    await page.getByRole('searchbox', { name: 'Search your library' }).waitFor();
    await sampler?.start();

    const ready = page.evaluate((count) => window.__bench.waitReady(count), options.files.length);
    await addFilesByPath(page, options.files);
    const readyAt = await ready;
    const settledAt = await settle(page, readyAt);
    const heap = sampler ? await sampler.stop() : null;
    const probes = await page.evaluate(() => ({ filesAt: window.__bench.filesAt, longTasks: window.__bench.longTasks }));
    if (errors.length > 0) throw new Error(`the page threw while ingesting: ${errors.join('; ')}`);
    if (probes.filesAt === null) throw new Error('the file chooser never handed the files to the app');
    const filesAt = probes.filesAt;
    const during: LongTask[] = (probes.longTasks ?? []).filter((t) => t.start + t.duration >= filesAt && t.start <= settledAt);
    const ms = readyAt - filesAt;
    return {
      pages: options.pages,
      docs: options.files.length,
      ms,
      pagesPerSecond: options.pages / (ms / 1000),
      longestTaskMs: during.reduce((longest, t) => Math.max(longest, t.duration), 0),
      longTasks: during.length,
      longTaskMs: during.reduce((total, t) => total + t.duration, 0),
      settledMs: settledAt - filesAt,
      heap,
    };
  } finally {
    await profile.close();
  }
}
