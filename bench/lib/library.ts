import type { Page } from 'playwright-core';
import type { LibraryStats, PersistStats, SearchTimings } from '../page/api';
import { openProfile, type Profile } from './browser';
import { AUTO_SEARCH_KEY } from './probes';
import { BENCH_PAGE_PATH } from './site';

/**
 * The figures about a large library: one profile whose library grows through the sizes
 * asked for. The bench page fills it and times searches at each size; at the sizes the app
 * itself is measured at, the bench page saves the index the way the app does and closes,
 * and the app opens the same library in a tab of its own (a tab of the same site could
 * share the bench page's renderer process, and so its main thread and heap).
 */

export interface LibraryPhaseOptions {
  appUrl: string;
  profilesDir: string;
  seedWords: string[];
  queries: string[];
  /** Questions for the chat. */
  questions: string[];
  /** Library sizes, in chunks, to time searches at. */
  chunkSizes: number[];
  /** Library size, in pages, for reload-to-searchable. */
  reloadPages: number;
  runs: number;
  log: (line: string) => void;
}

export interface SearchAtSize {
  library: LibraryStats;
  timings: SearchTimings;
}

export interface ReloadResult {
  library: LibraryStats;
  index: PersistStats;
  /** Per reload: milliseconds from navigation start to the first search result on screen. */
  runs: number[];
  query: string;
}

export type SendResult =
  | {
      kind: 'measured';
      library: LibraryStats;
      runs: number[];
      /** The same interval from the page's Resource Timing, where the browser listed the request (a cross-check). */
      resourceTiming: (number | null)[];
      /** Send to the first token of the answer in the page, per run (null where none came within 60 s). */
      firstToken: (number | null)[];
    }
  | { kind: 'n/a'; library: LibraryStats; reason: string };

export interface LibraryPhaseResult {
  search: SearchAtSize[];
  reload: ReloadResult | null;
  send: SendResult | null;
  fill: LibraryStats[];
}

const SEED = 42;
/** How long the app may take to open a large library before a figure is given up. */
const OPEN_TIMEOUT_MS = 300_000;

class BenchPage {
  private constructor(readonly page: Page) {}

  static async open(profile: Profile, appUrl: string, seedWords: string[]): Promise<{ bench: BenchPage; stats: LibraryStats }> {
    const page = await profile.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(BENCH_PAGE_PATH, appUrl).href);
    await page.waitForFunction(() => 'benchLib' in window);
    if (errors.length > 0) throw new Error(`the bench page threw: ${errors.join('; ')}`);
    const stats = await page.evaluate((config) => window.benchLib.open(config), { seedWords, seed: SEED });
    return { bench: new BenchPage(page), stats };
  }

  grow(target: { chunks?: number; pages?: number }): Promise<LibraryStats> {
    return this.page.evaluate((t) => window.benchLib.grow(t), target);
  }

  search(queries: string[], runs: number): Promise<SearchTimings> {
    return this.page.evaluate(([q, r]) => window.benchLib.search(q, r), [queries, runs] as const);
  }

  persist(): Promise<PersistStats> {
    return this.page.evaluate(() => window.benchLib.persist());
  }

  async close(): Promise<void> {
    await this.page.evaluate(() => window.benchLib.close());
    await this.page.close();
  }
}

/** Opens the app on the library and waits until a search finds something. */
async function openApp(profile: Profile, appUrl: string, query: string): Promise<Page> {
  const page = await profile.newPage();
  await page.goto(appUrl);
  // From the next load of this tab on, the probes type the query as soon as the search box exists.
  await page.evaluate(([key, q]) => sessionStorage.setItem(key, q), [AUTO_SEARCH_KEY, query] as const);
  const search = page.getByRole('searchbox', { name: 'Search your library' });
  await search.fill(query);
  await page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first().waitFor({ timeout: OPEN_TIMEOUT_MS });
  return page;
}

async function measureReloads(page: Page, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    await page.reload();
    await page.waitForFunction(() => window.__bench.searchableAt !== null, null, { timeout: OPEN_TIMEOUT_MS, polling: 100 });
    times.push(await page.evaluate(() => window.__bench.searchableAt ?? Number.NaN));
  }
  return times;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * Send to the /completion request, through the chat as a person uses it: a new
 * conversation, the question typed into the textbox named "Ask your library", a click on
 * "Send", and the request to /completion. The click is timed by the page (its event time
 * stamp), the request by the browser as it sends it (DevTools' wall time), both on this
 * machine's clock. The answer is then stopped with "Stop", as nothing here needs it.
 */
async function measureSend(page: Page, library: LibraryStats, questions: string[], runs: number): Promise<SendResult> {
  const ask = page.getByRole('textbox', { name: 'Ask your library' });
  if ((await ask.count()) === 0) return { kind: 'n/a', library, reason: 'no chat yet' };
  if (!(await until(() => ask.isEditable(), 60_000))) return { kind: 'n/a', library, reason: 'the question field stayed disabled (no model server connected?)' };
  // Exact names: a search result is a button named by its text, and generated text holds
  // "send" and "stop" too (a click on such a result opened the viewer over the chat).
  const send = page.getByRole('button', { name: 'Send', exact: true });
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  const newConversation = page.getByRole('button', { name: 'New conversation', exact: true });
  const times: number[] = [];
  const resourceTiming: (number | null)[] = [];
  const firstToken: (number | null)[] = [];
  for (let run = 0; run < runs; run++) {
    // Each question starts a conversation of its own, so every run does the same work.
    if ((await newConversation.count()) > 0) await newConversation.click();
    await ask.fill(questions[run % questions.length]);
    await page.evaluate(() => {
      window.__bench.sendClickAt = null;
      window.__bench.completionStarts = [];
    });
    const requested = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith('/completion'), { timeout: 60_000 });
    await send.click();
    let request;
    try {
      request = await requested;
    } catch {
      return { kind: 'n/a', library, reason: 'Send made no /completion request within 60 s' };
    }
    await request.response().catch(() => null);
    const clickAt = await page.evaluate(() => (window.__bench.sendClickAt === null ? null : performance.timeOrigin + window.__bench.sendClickAt));
    if (clickAt === null) return { kind: 'n/a', library, reason: 'the click on Send was not seen' };
    times.push(request.timing().startTime - clickAt);
    // Timed by the page, like the click: the probe notes when the answer first holds text.
    const tokenAt = await page
      .waitForFunction(() => window.__bench.firstTokenAt !== null, null, { timeout: 60_000, polling: 50 })
      .then(() => page.evaluate(() => performance.timeOrigin + (window.__bench.firstTokenAt ?? Number.NaN)))
      .catch(() => null);
    firstToken.push(tokenAt === null ? null : tokenAt - clickAt);
    if ((await stop.count()) > 0) await stop.click().catch(() => undefined);
    await send.waitFor({ timeout: 120_000 });
    const starts = await page.evaluate(() => window.__bench.completionStarts.map((s) => performance.timeOrigin + s));
    resourceTiming.push(starts.length > 0 ? starts[0] - clickAt : null);
  }
  return { kind: 'measured', library, runs: times, resourceTiming, firstToken };
}

export async function libraryPhase(options: LibraryPhaseOptions): Promise<LibraryPhaseResult> {
  const { appUrl, log, runs } = options;
  const result: LibraryPhaseResult = { search: [], reload: null, send: null, fill: [] };
  const chunkSizes = [...new Set(options.chunkSizes)].sort((a, b) => a - b);
  const query = options.queries[0];
  const profile = await openProfile(options.profilesDir);
  try {
    let { bench } = await BenchPage.open(profile, appUrl, options.seedWords);
    let reloadDone = options.reloadPages <= 0;
    for (const size of chunkSizes) {
      for (;;) {
        const target = reloadDone ? { chunks: size } : { chunks: size, pages: options.reloadPages };
        log(`Filling the library up to ${size.toLocaleString('en')} chunks${reloadDone ? '' : ` or ${options.reloadPages.toLocaleString('en')} pages`} …`);
        const stats = await bench.grow(target);
        result.fill.push(stats);
        if (!reloadDone && stats.pages >= options.reloadPages) {
          reloadDone = true;
          log(`Reload-to-searchable with ${stats.pages.toLocaleString('en')} pages (${stats.chunks.toLocaleString('en')} chunks) …`);
          const index = await bench.persist();
          await bench.close();
          const app = await openApp(profile, appUrl, query);
          result.reload = { library: stats, index, runs: await measureReloads(app, runs), query };
          await app.close();
          ({ bench } = await BenchPage.open(profile, appUrl, options.seedWords));
        }
        if (stats.chunks >= size) {
          log(`Timing ${options.queries.length} searches × ${runs} at ${stats.chunks.toLocaleString('en')} chunks …`);
          result.search.push({ library: stats, timings: await bench.search(options.queries, runs) });
          break;
        }
      }
    }
    const final = result.fill[result.fill.length - 1];
    log(`Send to /completion at ${final.chunks.toLocaleString('en')} chunks …`);
    await bench.persist();
    await bench.close();
    const app = await openApp(profile, appUrl, query);
    result.send = await measureSend(app, final, options.questions, runs);
    await app.close();
    return result;
  } finally {
    await profile.close();
  }
}
