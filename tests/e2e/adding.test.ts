import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../support/scratch-dir';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addFiles, libraryItem, openApp, pdfFile, search, searchResults, useBrowser } from './browser';
import { COMPOSTING, compostingPdf, ledgerPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

const appUrl = inject('appUrl');

/** Presses Tab until the control with this accessible name has the focus, as a keyboard user does. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      return element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '';
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}
const browser = useBrowser();

describe('adding files every way a person can', () => {
  it('adds the same file picked twice in one batch once, and says the copy is already there', async () => {
    const { page, errors } = await openApp(browser(), appUrl);
    const bytes = await tidePoolsPdf();
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, bytes), pdfFile('tide pools (1).pdf', bytes), pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    // Whichever copy came first is the document; the other is reported, not added.
    const ready = page.getByRole('list', { name: 'Library' }).getByRole('listitem').filter({ hasText: /\bReady\b/ });
    await expect.poll(() => ready.count()).toBe(2);
    await page.getByText(`Already in your library as “${TIDE_POOLS.title}”`).waitFor();
    expect(await page.getByText('another tab').count()).toBe(0);
    await search(page, 'ochre star');
    expect(await searchResults(page).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('says a copy waits for the same file while that one is being added', async () => {
    const { page } = await openApp(browser(), appUrl);
    const bytes = await ledgerPdf(300, 'Weir');
    await addFiles(page, [pdfFile('weir ledger.pdf', bytes), pdfFile('weir ledger (1).pdf', bytes)]);
    const copies = page.getByRole('list', { name: 'Library' }).getByRole('listitem');
    await copies.filter({ hasText: 'Waiting for the same file, being added just before or in another tab' }).waitFor();
    await copies.filter({ hasText: 'Already in your library as' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => copies.filter({ hasText: /\bReady\b/ }).count()).toBe(1);
  });

  it('adds the documents of a folder, and only the kinds it reads', async () => {
    const folder = scratchDir('memory-cache-folder-');
    writeFileSync(join(folder, TIDE_POOLS.fileName), await tidePoolsPdf());
    writeFileSync(join(folder, COMPOSTING.fileName), await compostingPdf());
    writeFileSync(join(folder, 'shopping list.txt'), 'Eggs, flour and milk for the pancakes.');
    writeFileSync(join(folder, 'holiday.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]));

    const { page } = await openApp(browser(), appUrl);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add folder' }).click();
    await (await chooser).setFiles(folder);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, 'shopping list.txt').filter({ hasText: 'Ready' }).waitFor();
    expect(await page.getByRole('list', { name: 'Library' }).getByRole('listitem').count()).toBe(3);
  });

  it('adds files dropped anywhere on the page', async () => {
    const { page } = await openApp(browser(), appUrl);
    const base64 = Buffer.from(await compostingPdf()).toString('base64');
    const dataTransfer = await page.evaluateHandle(
      ({ name, data }) => {
        const transfer = new DataTransfer();
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], name, { type: 'application/pdf' }));
        return transfer;
      },
      { name: COMPOSTING.fileName, data: base64 },
    );
    await page.dispatchEvent('main', 'dragenter', { dataTransfer });
    await page.getByText(/^Drop PDFs, saved web pages, Markdown or text files, or folders/).waitFor();
    await page.dispatchEvent('main', 'drop', { dataTransfer });
    await page.getByText(/^Drop PDFs, saved web pages, Markdown or text files, or folders/).waitFor({ state: 'detached' });
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search your library' }).fill('coffee grounds');
    await expect.poll(() => searchResults(page).first().innerText()).toContain(COMPOSTING.title);
  });

  it('works by keyboard alone: add, search, open a result, turn pages, close', async () => {
    const { page } = await openApp(browser(), appUrl);
    const chooser = page.waitForEvent('filechooser');
    await tabTo(page, 'Add PDFs');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles([{ name: TIDE_POOLS.fileName, mimeType: 'application/pdf', buffer: Buffer.from(await tidePoolsPdf()) }]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();

    await tabTo(page, 'Search your library');
    await page.keyboard.type('ochre star mussels');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('page 2');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const viewer = page.getByRole('dialog', { name: TIDE_POOLS.title });
    await viewer.getByText('Page 2 of 3').waitFor();
    await page.keyboard.press('ArrowRight');
    await viewer.getByText('Page 3 of 3').waitFor();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
  });
});
