import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';

/** Headless Debian Chromium, driven the way a person uses the page. */

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is missing: sudo apt-get install chromium');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Requests that pages opened with openApp made to other origins, since the last test ended. */
const foreignRequests: string[] = [];
/** The browser contexts openApp made for the running test: closed when it ends, so a file's tests do not pile up pages. */
const openContexts: BrowserContext[] = [];

// In every test file that uses these helpers (this module is evaluated once per file): after
// each test, the pages openApp made are closed, and the test fails if one of them asked
// anything of another origin.
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await reportPages(task.name);
  await Promise.all(openContexts.splice(0).map((context) => context.close().catch(() => undefined)));
  const foreign = foreignRequests.splice(0);
  expect(foreign, 'requests to other origins').toEqual([]);
});

/** The last console lines, uncaught errors and server responses of each page openApp made, kept for the report of a failed test. */
const consoleTails = new WeakMap<Page, string[]>();
const CONSOLE_TAIL = 40;

/**
 * A test that fails in CI leaves only its assertion behind; what the page showed and logged
 * is what tells a slow step from a stuck one, so it is printed with the failure.
 */
async function reportPages(testName: string): Promise<void> {
  for (const { label, read } of alsoReported) console.error(`--- ${testName}: ${label}:\n${read()}\n---`);
  for (const context of openContexts) {
    for (const page of context.pages()) {
      const shown = await page
        .evaluate(() => document.body.innerText)
        .then((text) => text.replace(/\n{2,}/g, '\n').slice(0, 4000))
        .catch((error: unknown) => `(could not be read: ${String(error)})`);
      const logged = consoleTails.get(page) ?? [];
      console.error(`--- ${testName}: the page at ${page.url()} showed:\n${shown}\n--- and logged:\n${logged.join('\n') || '(nothing)'}\n---`);
    }
  }
}

const alsoReported: { label: string; read: () => string }[] = [];

/** Something else a failed test of this file prints beside its pages, such as a model server's last lines. */
export function reportOnFailure(label: string, read: () => string): void {
  alsoReported.push({ label, read });
}

/** One browser for a test file: launched before its tests, closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | null = null;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not running yet');
    return browser;
  };
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
  /** Console messages about the Content-Security-Policy blocking something. */
  cspViolations: string[];
  /** Requests that failed or were answered with an error status, with why. */
  failedRequests: string[];
}

/** A context a test made itself (several tabs of one profile): closed after the test, and its pages reported if it fails. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  openContexts.push(context);
  return context;
}

/** A page in a fresh profile (its own IndexedDB), recording errors and requests. */
export async function openApp(browser: Browser, url: string): Promise<WatchedPage> {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const cspViolations: string[] = [];
  const failedRequests: string[] = [];
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  const tail: string[] = [];
  consoleTails.set(page, tail);
  const note = (line: string) => {
    tail.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (tail.length > CONSOLE_TAIL) tail.shift();
  };
  page.on('response', (response) => {
    const serverRoute = /\/(health|props|slots|tokenize|apply-template|completion)$/.test(response.url());
    if (serverRoute) note(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    // The server routes answer errors on purpose in some tests (404 /health with no model): only files count here.
    if (response.status() >= 400 && !serverRoute) failedRequests.push(`${response.url()}: ${response.status()}`);
  });
  page.on('pageerror', (error) => {
    errors.push(error.message);
    note(`uncaught: ${error.message}`);
  });
  const origin = new URL(url).origin;
  page.on('request', (request) => {
    requests.push(request.url());
    if (!/^(blob|data):/.test(request.url()) && new URL(request.url()).origin !== origin) foreignRequests.push(request.url());
  });
  page.on('console', (message) => {
    note(`${message.type()}: ${message.text()}`);
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(url);
  return { page, context, errors, requests, cspViolations, failedRequests };
}

export interface UploadFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export function pdfFile(name: string, bytes: Uint8Array): UploadFile {
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(bytes) };
}

/** Adds files the way a person does: the "Add PDFs" button, then the file chooser. */
export async function addFiles(page: Page, files: UploadFile[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Add PDFs' }).click();
  await (await chooser).setFiles(files);
}

export function libraryItem(page: Page, text: string | RegExp) {
  return page.getByRole('list', { name: 'Library' }).getByRole('listitem').filter({ hasText: text });
}

export function searchResults(page: Page) {
  return page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
}

/** Types a query and returns the results once the list shows them (it is busy until then). */
export async function search(page: Page, query: string): Promise<string[]> {
  await page.getByRole('searchbox', { name: 'Search your library' }).fill(query);
  await page.locator('[aria-label="Search results"][aria-busy="false"]').waitFor({ state: 'attached' });
  return searchResults(page).allInnerTexts();
}

/** Sets the longest answer in Settings, as a person does. */
/** What the page sent to /completion. */
export interface CompletionBody {
  prompt: string;
  n_predict: number;
  temperature: number;
  top_p: number;
  stop: string[];
  cache_prompt: boolean;
  stream: boolean;
}

/** Asks a question as a person does, and gives back the /completion request it made. */
export async function ask(page: Page, question: string): Promise<CompletionBody> {
  const request = page.waitForRequest((r) => r.url().endsWith('/completion'));
  await page.getByRole('textbox', { name: 'Ask your library' }).fill(question);
  // Exact: a search result is a button named by its text, which may hold "send".
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  return JSON.parse((await request).postData() ?? '{}') as CompletionBody;
}

export async function setAnswerLength(page: Page, tokens: number): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('spinbutton', { name: 'Longest answer (tokens)' }).fill(String(tokens));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Whether every slot of the model server is idle. */
export async function slotsIdle(serverUrl: string): Promise<boolean> {
  const slots = (await (await fetch(`${serverUrl}/slots`)).json()) as { is_processing: boolean }[];
  return slots.every((s) => !s.is_processing);
}

/** Every record of one store of the page's library, read in the page itself. */
export function readRecords<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('memory-cache');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction(name).objectStore(name).getAll();
          read.onsuccess = () => {
            open.result.close();
            resolve(read.result as T[]);
          };
        };
      }),
    store,
  );
}

/** How many records each named store of the page's library holds, read in the page itself. */
export function countRecords(page: Page, stores: string[]): Promise<Record<string, number>> {
  return page.evaluate(
    (names) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('memory-cache');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(names);
          const requests = names.map((name) => tx.objectStore(name).count());
          tx.oncomplete = () => {
            open.result.close();
            resolve(Object.fromEntries(names.map((name, i) => [name, requests[i].result])));
          };
        };
      }),
    stores,
  );
}
