import { describe, expect, inject, it } from 'vitest';
import { addFiles, countRecords, libraryItem, openApp, pdfFile, search, searchResults, useBrowser } from './browser';
import { COMPOSTING, compostingPdf, ledgerPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

const appUrl = inject('appUrl');
const browser = useBrowser();

describe('the library, end to end, served by llama-server', () => {
  it('ingests PDFs, searches them, opens the viewer at the page, and keeps everything after a reload', async () => {
    const { page, errors, requests, cspViolations } = await openApp(browser(), appUrl);
    await expect.poll(() => page.getByRole('status').innerText()).toMatch(/Model connected/);

    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    const tide = libraryItem(page, TIDE_POOLS.fileName);
    const compost = libraryItem(page, COMPOSTING.fileName);
    await tide.filter({ hasText: 'Ready' }).waitFor();
    await compost.filter({ hasText: 'Ready' }).waitFor();
    expect(await tide.innerText()).toContain(TIDE_POOLS.title);
    expect(await tide.innerText()).toContain('3 pages');
    // Title from the large heading: this PDF has no metadata title.
    expect(await compost.innerText()).toContain(COMPOSTING.title);

    const search = page.getByRole('searchbox', { name: 'Search your library' });
    await search.fill('how many mussels can a starfish eat');
    const first = searchResults(page).first();
    await expect.poll(() => first.innerText()).toContain('page 2');
    const firstText = await first.innerText();
    expect(firstText).toContain(TIDE_POOLS.title);
    expect(firstText).toContain(TIDE_POOLS.fileName);
    const marked = (await first.locator('mark').allInnerTexts()).map((t) => t.toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(['mussels', 'starfish']));

    // Partial words while typing, and other word forms.
    await search.fill('coffee grou');
    await expect.poll(() => searchResults(page).first().innerText()).toContain(COMPOSTING.fileName);
    await search.fill('turning the heaps');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('page 2');

    await search.fill('mussels starfish');
    await expect.poll(() => searchResults(page).first().innerText()).toContain(TIDE_POOLS.title);
    await searchResults(page).first().getByRole('button').click();
    const viewer = page.getByRole('dialog', { name: TIDE_POOLS.title });
    await viewer.waitFor();
    await viewer.getByText('Page 2 of 3').waitFor();
    // The matched words are marked on the page itself (<mark>, the highlight element).
    await expect.poll(async () => (await viewer.locator('mark').allTextContents()).map((t) => t.toLowerCase())).toContain('mussels');
    await viewer.getByRole('button', { name: 'Next page' }).click();
    await viewer.getByText('Page 3 of 3').waitFor();
    await page.keyboard.press('ArrowLeft');
    await viewer.getByText('Page 2 of 3').waitFor();
    await viewer.getByRole('button', { name: 'Close' }).click();
    await viewer.waitFor({ state: 'hidden' });
    // Closing goes back in history, to where the viewer was opened from.
    await page.waitForURL((url) => url.hash === '');
    await page.reload();
    await tide.filter({ hasText: 'Ready' }).waitFor();
    await compost.filter({ hasText: 'Ready' }).waitFor();
    await search.fill('spring tide full moon');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('page 3');

    // A link to the viewer works after a reload too.
    await searchResults(page).first().getByRole('button').click();
    await page.getByRole('dialog', { name: TIDE_POOLS.title }).getByText('Page 3 of 3').waitFor();
    await page.reload();
    const reopened = page.getByRole('dialog', { name: TIDE_POOLS.title });
    await reopened.getByText('Page 3 of 3').waitFor();
    await page.keyboard.press('Escape');
    await reopened.waitFor({ state: 'hidden' });
    await page.waitForURL((url) => url.hash === '#/');
    await page.getByRole('searchbox', { name: 'Search your library' }).waitFor();

    expect(errors).toEqual([]);
    expect(cspViolations).toEqual([]);
    const policy = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('script-src')).not.toMatch(/unsafe-inline|(?<!wasm-)unsafe-eval|\*|https?:/);
    // An inline script put into the page does not run, and the page reports the violation.
    const inline = await page.evaluate(
      () =>
        new Promise<{ ran: boolean; blocked: string }>((resolve) => {
          const flags = window as unknown as { inlineRan?: boolean };
          document.addEventListener('securitypolicyviolation', (event) => resolve({ ran: flags.inlineRan === true, blocked: event.effectiveDirective }), { once: true });
          const script = document.createElement('script');
          script.textContent = 'window.inlineRan = true;';
          document.body.append(script);
        }),
    );
    expect(inline).toEqual({ ran: false, blocked: 'script-src-elem' });
    cspViolations.length = 0;
    const origin = new URL(appUrl).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
  });

  it('says when a file is already in the library or is not a PDF, and still adds the others', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();

    await addFiles(page, [
      pdfFile('copy of tide pools.pdf', await tidePoolsPdf()),
      { name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('these are plain notes, not a PDF') },
      { name: 'empty.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) },
      pdfFile(COMPOSTING.fileName, await compostingPdf()),
    ]);
    await libraryItem(page, 'copy of tide pools.pdf').filter({ hasText: `Already in your library as “${TIDE_POOLS.title}”` }).waitFor();
    await libraryItem(page, 'notes.pdf').filter({ hasText: 'Failed: not a PDF file' }).waitFor();
    await libraryItem(page, 'empty.pdf').filter({ hasText: 'Failed: the file is empty' }).waitFor();
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();

    await page.reload();
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    expect(await page.getByRole('list', { name: 'Library' }).getByRole('listitem').count()).toBe(2);
  });

  it('deletes a document with its search entries, for good', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();

    await page.getByRole('button', { name: `Delete ${COMPOSTING.title}` }).click();
    await page.getByRole('button', { name: `Really delete ${COMPOSTING.title}` }).click();
    await libraryItem(page, COMPOSTING.fileName).waitFor({ state: 'detached' });
    const search = page.getByRole('searchbox', { name: 'Search your library' });
    await search.fill('compost heap');
    await page.getByText('Nothing found for “compost heap”.').waitFor();

    await page.reload();
    await libraryItem(page, TIDE_POOLS.fileName).waitFor();
    expect(await libraryItem(page, COMPOSTING.fileName).count()).toBe(0);
    await search.fill('compost heap');
    await page.getByText('Nothing found for “compost heap”.').waitFor();
  });

  it('ingests a PDF of thousands of pages with page progress, and finds a fact on any page', async () => {
    const { page } = await openApp(browser(), appUrl);
    const pageCount = 2000;
    const bytes = await ledgerPdf(pageCount);
    const started = Date.now();
    await addFiles(page, [pdfFile('ledger.pdf', bytes)]);
    const item = libraryItem(page, 'ledger.pdf');
    await item.filter({ hasText: /page \d+ of 2000/ }).waitFor();
    await item.filter({ hasText: 'Ready' }).waitFor({ timeout: 180_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`ingested ${pageCount} pages (${(bytes.length / 1024).toFixed(0)} KiB) in ${seconds.toFixed(2)} s: ${(pageCount / seconds).toFixed(0)} pages/s`);
    expect(await item.innerText()).toContain('2,000 pages');

    const search = page.getByRole('searchbox', { name: 'Search your library' });
    await search.fill('anemometer struck by lightning');
    await expect.poll(() => searchResults(page).first().innerText()).toContain(`page ${pageCount - 10}`);
    // Read alone, a long PDF is shared by two workers, odd pages and even: each page keeps its own text and number.
    for (const n of [1377, 1378]) {
      await search.fill(`station ${n} week ${n}`);
      await expect.poll(() => searchResults(page).first().innerText()).toMatch(new RegExp(`page ${n}\\b[\\s\\S]*Station ${n} recorded`));
    }
  });

  it('reads a long PDF added with others right, once a second worker joins it as the others finish', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf()), pdfFile('harbour ledger.pdf', await ledgerPdf(600, 'Harbour'))]);
    await libraryItem(page, 'harbour ledger.pdf').filter({ hasText: 'Ready' }).waitFor({ timeout: 120_000 });
    // A reader per import lane (one per core, four at most, here one per file), and the helper that joined.
    const lanes = Math.min(3, 4, await page.evaluate(() => navigator.hardwareConcurrency));
    expect(page.workers().filter((w) => w.url().includes('pdf-reader.worker')).length).toBe(lanes + 1);
    const search = page.getByRole('searchbox', { name: 'Search your library' });
    for (const n of [551, 552]) {
      await search.fill(`harbour ${n} week ${n}`);
      await expect.poll(() => searchResults(page).first().innerText()).toMatch(new RegExp(`page ${n}\\b[\\s\\S]*Harbour ${n} recorded`));
    }
  });

  it('starts a file added while a long one is being read, without waiting for it', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('long ledger.pdf', await ledgerPdf(2000, 'Harbour'))]);
    const long = libraryItem(page, 'long ledger.pdf');
    await long.filter({ hasText: /page \d+ of 2000/ }).waitFor();
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    expect(await long.innerText()).toMatch(/page \d+ of 2000/);
    await long.filter({ hasText: 'Ready' }).waitFor({ timeout: 180_000 });
  });

  it('cancels an import; a reload mid-import leaves nothing searchable half-written, and the import can be resumed', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('first ledger.pdf', await ledgerPdf(400, 'Outpost'))]);
    const first = libraryItem(page, 'first ledger.pdf');
    await first.filter({ hasText: /page \d+ of 400/ }).waitFor();
    await page.getByRole('button', { name: 'Cancel adding first ledger.pdf' }).click();
    await first.filter({ hasText: 'Cancelled' }).waitFor();

    await addFiles(page, [pdfFile('second ledger.pdf', await ledgerPdf(400, 'Lighthouse'))]);
    await libraryItem(page, 'second ledger.pdf').filter({ hasText: /page [1-9]\d* of 400/ }).waitFor();
    await page.reload();
    const interrupted = libraryItem(page, 'second ledger.pdf');
    await interrupted.filter({ hasText: 'when the page was closed' }).waitFor();
    const search = page.getByRole('searchbox', { name: 'Search your library' });
    await search.fill('lighthouse rainfall');
    await page.getByText('Nothing found for “lighthouse rainfall”.').waitFor();
    // No chunk of the half-written document is left; only its record and bytes wait to be resumed.
    const counts = await countRecords(page, ['documents', 'chunks', 'files']);
    expect(counts).toEqual({ documents: 1, chunks: 0, files: 1 });

    await page.getByRole('button', { name: 'Resume adding second ledger.pdf' }).click();
    await libraryItem(page, 'second ledger.pdf').filter({ hasText: 'Ready' }).waitFor({ timeout: 120_000 });
    await search.fill('lighthouse rainfall ledger');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('second ledger.pdf');
  });

  it('asks before a reload mid-import, and afterwards names the files it never got to', async () => {
    const { page } = await openApp(browser(), appUrl);
    // More long files than there are import lanes (at most 4): some are still waiting.
    const names = ['north', 'south', 'east', 'west', 'centre'].map((station) => `${station} ledger.pdf`);
    const files = await Promise.all(names.map(async (name) => pdfFile(name, await ledgerPdf(300, name.split(' ')[0]))));
    await page.getByRole('heading', { name: 'Library' }).click();
    await addFiles(page, files);
    await libraryItem(page, names[0]).filter({ hasText: /page [1-9]\d* of 300/ }).waitFor();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page.reload();
    expect(dialogs).toEqual(['beforeunload']);

    // Each file is either kept to resume, or named as not added; none is lost without a word.
    await libraryItem(page, names[0]).filter({ hasText: 'when the page was closed' }).waitFor();
    const notAdded = page.getByRole('list', { name: 'Files not added' });
    await notAdded.waitFor();
    const listed = await notAdded.getByRole('listitem').allInnerTexts();
    expect(listed.length).toBeGreaterThan(0);
    for (const name of names) {
      const resumable = await page.getByRole('button', { name: `Resume adding ${name}` }).count();
      const named = listed.filter((text) => text.startsWith(name)).length;
      expect(resumable + named, name).toBe(1);
    }
    await page.getByRole('heading', { name: /files? not added/ }).waitFor();

    // Said once: after another reload the list is gone, and the kept imports are still there.
    await page.getByRole('button', { name: 'Dismiss the list of files not added' }).click();
    await page.reload();
    await libraryItem(page, names[0]).filter({ hasText: 'when the page was closed' }).waitFor();
    expect(await notAdded.count()).toBe(0);
  });

  it('adding an interrupted file again finishes it, and leaves no stale Remove that could delete it', async () => {
    const { page } = await openApp(browser(), appUrl);
    const bytes = await ledgerPdf(400, 'Harbour');
    await addFiles(page, [pdfFile('harbour ledger.pdf', bytes)]);
    await libraryItem(page, 'harbour ledger.pdf').filter({ hasText: /page [1-9]\d* of 400/ }).waitFor();
    await page.reload();
    await libraryItem(page, 'harbour ledger.pdf').filter({ hasText: 'when the page was closed' }).waitFor();

    await addFiles(page, [pdfFile('harbour ledger.pdf', bytes)]);
    await libraryItem(page, 'harbour ledger.pdf').filter({ hasText: 'Ready' }).waitFor({ timeout: 120_000 });
    expect(await libraryItem(page, 'harbour ledger.pdf').filter({ hasText: 'when the page was closed' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove harbour ledger.pdf' }).count()).toBe(0);
    await page.reload();
    await libraryItem(page, 'harbour ledger.pdf').filter({ hasText: 'Ready' }).waitFor();
    expect((await search(page, 'harbour rainfall'))[0]).toContain('harbour ledger.pdf');
  });
});
