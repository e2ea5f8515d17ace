import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';

/** Headless Debian Chromium, driven the way a person uses the page. */

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is missing: sudo apt-get install chromium');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
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
}

/** A page in a fresh profile (its own IndexedDB), recording errors and requests. */
export async function openApp(browser: Browser, url: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(url);
  return { page, context, errors, requests, cspViolations };
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
