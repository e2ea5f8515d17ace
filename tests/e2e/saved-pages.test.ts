import { readFileSync } from 'node:fs';
import { configure, TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { describe, expect, inject, it } from 'vitest';
import { addFiles, useBrowser, libraryItem, openApp, pdfFile, search, searchResults } from './browser';
import type { Page } from 'playwright-core';
import {
  canonicalPage,
  chromeMhtml,
  chromePrintedPdf,
  chromeSavedHtm,
  clippedMarkdown,
  firefoxPrintedPdf,
  plainPdf,
  savePageWePage,
  singleFilePage,
} from '../support/saved-pages';
import { TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

const appUrl = inject('appUrl');
const browser = useBrowser();

const DAY = 86_400_000;

/** The day as the app writes it in "saved 3 March" (the year only when it is not this one), in the browser's locale. */
function savedDay(page: Page, at: number): Promise<string> {
  return page.evaluate((time) => {
    const withYear = new Date(time).getFullYear() !== new Date().getFullYear();
    return new Intl.DateTimeFormat(undefined, withYear ? { day: 'numeric', month: 'long', year: 'numeric' } : { day: 'numeric', month: 'long' }).format(new Date(time));
  }, at);
}

/** The day `daysAgo` days before today, as a date input takes it. */
function dayInput(daysAgo: number): string {
  const day = new Date(Date.now() - daysAgo * 86_400_000);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

const text = (name: string, mimeType: string, body: string) => ({ name, mimeType, buffer: Buffer.from(body) });

/** The manifest of a downloaded backup, read with a zip reader of its own. */
async function readBackupManifest(path: string): Promise<unknown> {
  configure({ useWebWorkers: false });
  const reader = new ZipReader(new Uint8ArrayReader(readFileSync(path)));
  try {
    const entry = (await reader.getEntries()).find((e) => e.filename === 'backup.json');
    if (!entry || entry.directory) throw new Error('the backup holds no backup.json');
    return JSON.parse(await entry.getData(new TextWriter()));
  } finally {
    await reader.close();
  }
}

describe('saved pages as memories', () => {
  it('reads saved web pages, Markdown and printed pages with where and when they were saved, and filters by period and site', async () => {
    const { page, errors } = await openApp(browser(), appUrl);
    // Each dated apart from the moment the file is added, which is the files' own date here.
    const [yesterday, fortyDaysAgo, threeDaysAgo] = [1, 40, 3].map((days) => new Date(Date.now() - days * DAY));
    await addFiles(page, [
      text('river otters.html', 'text/html', singleFilePage(yesterday)),
      text('beavers.md', 'text/markdown', clippedMarkdown(fortyDaysAgo)),
      pdfFile('sea otters.pdf', await chromePrintedPdf(threeDaysAgo)),
      pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()),
    ]);
    const river = libraryItem(page, 'river otters.html');
    await river.filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, 'beavers.md').filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, 'sea otters.pdf').filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();

    // Title, sections and provenance of the saved page; nothing of its script ran.
    expect(await river.innerText()).toContain('River otters');
    expect(await river.innerText()).toContain('3 sections');
    expect(await river.innerText()).toContain(`saved ${await savedDay(page, yesterday.getTime())} from otters.example`);
    expect(await libraryItem(page, 'beavers.md').innerText()).toContain(`saved ${await savedDay(page, fortyDaysAgo.getTime())} from wildlife.example`);
    expect(await libraryItem(page, 'sea otters.pdf').innerText()).toContain(`saved ${await savedDay(page, threeDaysAgo.getTime())} from news.example.com`);
    expect(await page.evaluate(() => (window as { ran?: boolean }).ran)).toBeUndefined();

    // Readable text only: navigation and footers are not indexed, nor the printed URL.
    expect(await search(page, 'marmalade fund')).toEqual([]);
    expect(await search(page, 'cookie settings')).toEqual([]);
    const spraints = await search(page, 'spraints jasmine');
    expect(spraints[0]).toContain('section 3: Signs of otters');
    expect(spraints[0]).toContain(`saved ${await savedDay(page, yesterday.getTime())} from otters.example`);

    await searchResults(page).first().getByRole('button').click();
    const viewer = page.getByRole('dialog', { name: 'River otters' });
    await viewer.getByText('Section 3 of 3').waitFor();
    expect(await viewer.getByRole('article', { name: 'section 3' }).innerText()).toContain('Signs of otters');
    expect((await viewer.locator('mark').allTextContents()).map((t) => t.toLowerCase())).toContain('spraints');
    await viewer.getByRole('button', { name: 'Previous section' }).click();
    await viewer.getByText('Section 2 of 3').waitFor();
    // Every section is a chunk of its own, found and cited under its heading.
    expect(await viewer.getByRole('article', { name: 'section 2: Where they live' }).innerText()).toContain('holts');
    await viewer.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'River otters' }).click();
    await viewer.getByText('Section 1 of 3').waitFor();
    await page.keyboard.press('Escape');
    expect(await search(page, 'holts alder')).toEqual([expect.stringContaining('section 2: Where they live')]);

    // The time line: saved yesterday, and from one site.
    await page.getByRole('combobox', { name: 'Period' }).selectOption('yesterday');
    await expect.poll(() => page.getByRole('list', { name: 'Library' }).getByRole('listitem').count()).toBe(1);
    const fromYesterday = await search(page, 'otters');
    expect(fromYesterday.length).toBeGreaterThan(0);
    expect(fromYesterday.every((result) => result.includes('river otters.html'))).toBe(true);
    // A custom range around the day the Markdown was clipped (40 days ago) holds it alone, and stays after a reload.
    await page.getByRole('combobox', { name: 'Period' }).selectOption('custom');
    await page.getByRole('textbox', { name: 'From' }).fill(dayInput(41));
    await page.getByRole('textbox', { name: 'To' }).fill(dayInput(39));
    const listed = () => page.getByRole('list', { name: 'Library' }).getByRole('listitem').allInnerTexts();
    await expect.poll(listed).toEqual([expect.stringContaining('Notes on beavers')]);
    await page.reload();
    await expect.poll(listed).toEqual([expect.stringContaining('Notes on beavers')]);
    expect(await page.getByRole('textbox', { name: 'From' }).inputValue()).toBe(dayInput(41));
    await page.getByRole('combobox', { name: 'Period' }).selectOption('');
    await expect.poll(() => page.getByRole('list', { name: 'Library' }).getByRole('listitem').count()).toBe(4);
    await page.getByRole('combobox', { name: 'Site' }).selectOption('news.example.com');
    const fromNews = await search(page, 'otters');
    expect(fromNews).toHaveLength(1);
    expect(fromNews[0]).toContain('sea otters.pdf');
    await page.getByRole('combobox', { name: 'Site' }).selectOption('');

    // Sort and filter the library as a person with many documents would.
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('title');
    const titles = await page.getByRole('list', { name: 'Library' }).getByRole('listitem').allInnerTexts();
    expect(titles.map((t) => t.split('\n')[0])).toEqual(['Notes on beavers', 'River otters', 'Sea otters | Ocean News', TIDE_POOLS.title].map((t) => expect.stringContaining(t.split(' | ')[0])));
    await page.getByRole('combobox', { name: 'Order' }).selectOption('Z to A');
    const reversedTitles = await page.getByRole('list', { name: 'Library' }).getByRole('listitem').allInnerTexts();
    expect(reversedTitles.map((t) => t.split('\n')[0])).toEqual(titles.map((t) => t.split('\n')[0]).reverse());
    await page.getByRole('combobox', { name: 'Order' }).selectOption('A to Z');
    // By the date saved, newest first: the tide pools PDF has only the file's date (now).
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('saved');
    const bySaved = await page.getByRole('list', { name: 'Library' }).getByRole('listitem').allInnerTexts();
    expect(bySaved.map((t) => t.split('\n')[0])).toEqual([TIDE_POOLS.title, expect.stringContaining('River otters'), expect.stringContaining('Sea otters'), 'Notes on beavers']);
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('title');
    await page.getByRole('searchbox', { name: 'Filter the library' }).fill('wildlife');
    await expect.poll(() => page.getByRole('list', { name: 'Library' }).getByRole('listitem').count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Filter the library' }).fill('');

    // Select many: what the filter hides leaves the selection; select all shown, export them, delete them.
    const library = page.getByRole('list', { name: 'Library' });
    await page.getByRole('checkbox', { name: /^Select Notes on beavers/ }).check();
    await page.getByRole('searchbox', { name: 'Filter the library' }).fill('otters');
    await expect.poll(() => library.getByRole('listitem').count()).toBe(2);
    const selectAll = page.getByRole('checkbox', { name: 'Select all shown' });
    expect(await selectAll.isChecked()).toBe(false);
    await page.getByRole('checkbox', { name: /^Select River otters/ }).check();
    expect(await selectAll.evaluate((box) => (box as HTMLInputElement).indeterminate)).toBe(true);
    await selectAll.check();
    await page.getByText('2 documents selected').waitFor();

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export selected' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^memory-cache-2-documents-\d{4}-\d{2}-\d{2}\.zip$/);
    const manifest = (await readBackupManifest(await download.path())) as { documents: { fileName: string }[] };
    expect(manifest.documents.map((d) => d.fileName).sort()).toEqual(['river otters.html', 'sea otters.pdf']);
    await page.getByText(`Exported 2 documents as ${download.suggestedFilename()}`).waitFor();

    await page.getByRole('button', { name: 'Delete selected' }).click();
    await page.getByText(/^Delete River otters.* and Sea otters.*\?$/).waitFor();
    await page.getByRole('button', { name: 'Really delete 2 documents' }).click();
    await page.getByText('Deleted 2 documents.').waitFor();
    await page.getByRole('searchbox', { name: 'Filter the library' }).fill('');
    await expect.poll(() => library.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('Notes on beavers'), expect.stringContaining(TIDE_POOLS.title)]);
    expect(errors).toEqual([]);
  });

  it('asks within the period a question names', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [text('river otters.html', 'text/html', singleFilePage()), pdfFile('sea otters.pdf', await chromePrintedPdf())]);
    await libraryItem(page, 'river otters.html').filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, 'sea otters.pdf').filter({ hasText: 'Ready' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();

    const request = page.waitForRequest((r) => r.url().endsWith('/completion'));
    await page.getByRole('textbox', { name: 'Ask your library' }).fill('What did I save about otters yesterday?');
    await page.getByRole('button', { name: 'Send' }).click();
    const prompt = (JSON.parse((await request).postData() ?? '{}') as { prompt: string }).prompt;
    expect(prompt).toContain('River otters');
    expect(prompt).toContain('section 1: River otters');
    expect(prompt).not.toContain('urchins');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText(/^Only documents saved yesterday \(.+\) were searched\.$/).waitFor();
    await log.getByRole('link', { name: /River otters.*, section \d: / }).first().waitFor();
    await page.getByRole('button', { name: 'Regenerate' }).waitFor();
  });

  it('keeps a date about the content in the question, shows the period before sending, and asks within a chosen site', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [text('river otters.html', 'text/html', singleFilePage()), pdfFile('sea otters.pdf', await chromePrintedPdf())]);
    await libraryItem(page, 'river otters.html').filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, 'sea otters.pdf').filter({ hasText: 'Ready' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    const question = page.getByRole('textbox', { name: 'Ask your library' });
    const log = page.getByRole('log', { name: 'Conversation' });
    const prompts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/completion')) prompts.push((JSON.parse(r.postData() ?? '{}') as { prompt: string }).prompt);
    });

    // A question about saving shows its period by the field, removable; a period with nothing in it says so.
    await question.fill('What did I save about otters last year?');
    await page.getByText('Searching only documents saved last year (from your question): your library has none.').waitFor();
    await page.getByRole('button', { name: 'Remove period filter: last year' }).click();
    await page.getByText(/^Searching only documents/).waitFor({ state: 'detached' });

    // A date about the content narrows nothing and stays in the search.
    await question.fill('How long could otters stay under water in 2020?');
    expect(await page.getByText(/^Searching only documents/).count()).toBe(0);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(prompts[0]).toContain('eight minutes');
    expect(await log.getByText(/were searched/).count()).toBe(0);

    // A site chosen above the library: shown by the question field, and only its passages reach the model.
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByRole('combobox', { name: 'Site' }).selectOption('news.example.com');
    await page.getByText('Searching only documents saved from news.example.com: 1 of 2.').waitFor();
    await question.fill('What do otters eat?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(prompts[1]).toContain('urchins');
    expect(prompts[1]).not.toContain('crayfish');
    await log.getByText('Only documents saved from news.example.com were searched.').waitFor();
    await page.getByRole('button', { name: 'Remove filter: search the whole library' }).click();
    expect(await page.getByRole('combobox', { name: 'Site' }).inputValue()).toBe('');
  });

  it('reads every kind of saved page with where and when it was saved, and fetches nothing from the sites', async () => {
    const { page, requests, errors } = await openApp(browser(), appUrl);
    const [twoDaysAgo, fiveDaysAgo, sixDaysAgo] = [2, 5, 6].map((days) => new Date(Date.now() - days * DAY));
    const extensionName = 'PAGE2023-11-02T14.05.33.123Z019.pdf';
    await addFiles(page, [
      text('kelp.htm', 'text/html', chromeSavedHtm()),
      text('urchins.html', 'text/html', canonicalPage()),
      text('stars.html', 'text/html', savePageWePage(twoDaysAgo)),
      text('abalone.mhtml', 'multipart/related', chromeMhtml(fiveDaysAgo)),
      text('tide notes.txt', 'text/plain', 'Tide notes\n\nSpring tides come twice a month, at new and full moon.'),
      pdfFile('limpets.pdf', await firefoxPrintedPdf(sixDaysAgo)),
      pdfFile(extensionName, await plainPdf('Whelks drill through the shells of mussels.')),
    ]);
    for (const name of ['kelp.htm', 'urchins.html', 'stars.html', 'abalone.mhtml', 'tide notes.txt', 'limpets.pdf', extensionName]) {
      await libraryItem(page, name).filter({ hasText: 'Ready' }).waitFor();
    }
    const row = (name: string) => libraryItem(page, name).innerText();
    // The saved-from comment has no date: the file's own date (now) stands in.
    expect(await row('kelp.htm')).toContain(`saved ${await savedDay(page, Date.now())} from chrome.example`);
    expect(await row('urchins.html')).toContain('from urchins.example');
    expect(await row('urchins.html')).toContain(`published ${await savedDay(page, Date.UTC(2021, 4, 4, 10))}`);
    expect(await row('stars.html')).toContain(`saved ${await savedDay(page, twoDaysAgo.getTime())} from stars.example`);
    expect(await row('stars.html')).toContain(`published ${await savedDay(page, new Date(2020, 1, 3).getTime())}`);
    expect(await row('abalone.mhtml')).toContain(`saved ${await savedDay(page, fiveDaysAgo.getTime())} from mhtml.example`);
    expect(await row('limpets.pdf')).toContain(`saved ${await savedDay(page, sixDaysAgo.getTime())} from shore.example`);
    expect(await row(extensionName)).toContain(`saved ${await savedDay(page, Date.UTC(2023, 10, 2, 14, 5, 33))}`);
    expect(await row('tide notes.txt')).toContain('1 section');

    // Sources name where and when, and the viewer's header links the address.
    const results = await search(page, 'giant kelp');
    expect(results[0]).toContain('kelp.htm');
    expect(results[0]).toMatch(/saved .+ from chrome\.example/);
    await searchResults(page).first().getByRole('button').click();
    const viewer = page.getByRole('dialog', { name: 'Kelp forests' });
    expect(await viewer.getByRole('link', { name: /saved .+ from chrome\.example/ }).getAttribute('href')).toBe('https://chrome.example/saved/kelp-forests');
    await page.keyboard.press('Escape');

    const origin = new URL(appUrl).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('says why a saved page cannot be read, in words about web pages, and what to do instead', async () => {
    const { page } = await openApp(browser(), appUrl);
    const scriptOnly = '<!DOCTYPE html><html><head><title>App</title><script src="app.js"></script></head><body><div id="root"></div><script>render()</script></body></html>';
    await addFiles(page, [
      text('app shell.html', 'text/html', scriptOnly),
      { name: 'Otters.webarchive', mimeType: 'application/x-webarchive', buffer: Buffer.from('bplist00\u00d4\u0001\u0002WebMainResource\u0000\u0000', 'latin1') },
    ]);
    const failed = libraryItem(page, 'app shell.html').filter({ hasText: 'Failed:' });
    await failed.waitFor();
    expect(await failed.innerText()).toContain('Failed: the saved page holds no readable text');
    expect(await failed.innerText()).not.toContain('PDF (');
    await libraryItem(page, 'Otters.webarchive').filter({ hasText: 'Failed: Safari web archives (.webarchive) cannot be read' }).waitFor();
  });
});
