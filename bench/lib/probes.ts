/**
 * What the benchmark installs in the app's page before the app's own scripts run
 * (page.addInitScript), so that every figure is timed by the page's own clock
 * (performance.now(), relative to the navigation) instead of by round trips to Node.
 * It only observes: it never calls into the app or changes what the app does.
 *
 * It is a string, not a function: Playwright serialises functions with toString(), and the
 * TypeScript runner rewrites named functions with helpers that do not exist in the page.
 */

export interface LongTask {
  start: number;
  duration: number;
}

/** What the probes record, read back with page.evaluate(() => window.__bench). */
export interface BenchProbes {
  longTasks: LongTask[];
  /** When a file input last handed files to the app (its change event). */
  filesAt: number | null;
  /** When the Send button was last clicked (the click event's timeStamp). */
  sendClickAt: number | null;
  /** Start times of requests to /completion, from Resource Timing. */
  completionStarts: number[];
  /**
   * When the answer begun by the last click on Send first held text: the moment the page put
   * the first streamed token into the DOM (the next paint shows it).
   */
  firstTokenAt: number | null;
  /** When the first search result appeared after a navigation with an automatic search set. */
  searchableAt: number | null;
  /**
   * Resolves with the time at which the list named "Library" holds `count` ready documents
   * (items with a "Delete …" button) and nothing in the import queue is still active;
   * rejects when an item failed.
   */
  waitReady(count: number): Promise<number>;
}

declare global {
  interface Window {
    __bench: BenchProbes;
  }
}

/** sessionStorage key: a query to type into the search box as soon as it appears, on every load of the tab. */
export const AUTO_SEARCH_KEY = 'memory-cache-bench:auto-search';

export const PROBES_SCRIPT = `(() => {
  const bench = {
    longTasks: [],
    filesAt: null,
    sendClickAt: null,
    completionStarts: [],
    firstTokenAt: null,
    searchableAt: null,
    waitReady: null,
  };
  window.__bench = bench;

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.longTasks = null;
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (new URL(entry.name).pathname.endsWith('/completion')) bench.completionStarts.push(entry.startTime);
    }
  }).observe({ type: 'resource', buffered: true });

  document.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === 'file') bench.filesAt = performance.now();
  }, true);
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (!button) return;
    const name = (button.getAttribute('aria-label') || button.textContent || '').trim();
    if (name !== 'Send') return;
    bench.sendClickAt = event.timeStamp;
    bench.firstTokenAt = null;
    // The answer's text group is the last one named "Answer text" (each run starts a new
    // conversation); text as well as elements are watched, only until the first token.
    const answered = () => {
      const groups = document.querySelectorAll('[aria-label="Answer text"]');
      const last = groups[groups.length - 1];
      return last !== undefined && (last.textContent || '').length > 0;
    };
    const watcher = new MutationObserver(() => {
      if (bench.firstTokenAt === null && answered()) {
        bench.firstTokenAt = performance.now();
        watcher.disconnect();
      }
    });
    watcher.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  }, true);

  bench.waitReady = (count) => new Promise((resolve, reject) => {
    const check = () => {
      const list = document.querySelector('[aria-label="Library"]');
      if (!list) return false;
      const items = Array.from(list.querySelectorAll('li'));
      const failed = items.find((li) => li.querySelector('button[aria-label^="Dismiss "]') && /Failed/.test(li.textContent || ''));
      if (failed) {
        observer.disconnect();
        reject(new Error('an import failed: ' + (failed.textContent || '').replace(/\\s+/g, ' ').trim()));
        return true;
      }
      const ready = items.filter((li) => li.querySelector('button[aria-label^="Delete "]')).length;
      const active = items.filter((li) => li.querySelector('button[aria-label^="Cancel adding "]')).length;
      if (ready >= count && active === 0) {
        observer.disconnect();
        resolve(performance.now());
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => void check());
    // Elements only, not text: a document turning ready or failing swaps elements (its item,
    // its buttons), while the per-page progress text, which changes far more often, is left
    // unobserved so the probe costs the page next to nothing.
    observer.observe(document.documentElement, { childList: true, subtree: true });
    check();
  });

  const query = sessionStorage.getItem('${AUTO_SEARCH_KEY}');
  if (query) {
    let typed = false;
    const observer = new MutationObserver(() => {
      const box = document.querySelector('input[aria-label="Search your library"]');
      if (box && !typed) {
        typed = true;
        box.value = query;
        box.dispatchEvent(new Event('input', { bubbles: true }));
      }
      const results = document.querySelector('[aria-label="Search results"]');
      if (typed && results && results.querySelector('li')) {
        bench.searchableAt = performance.now();
        observer.disconnect();
      }
    });
    const start = () => observer.observe(document.documentElement, { childList: true, subtree: true });
    if (document.documentElement) start();
    else document.addEventListener('readystatechange', start, { once: true });
  }
})();`;
