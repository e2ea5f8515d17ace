import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { addFiles, countRecords, libraryItem, pdfFile, search } from './browser';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk';
import { COMPOSTING, compostingPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';
import { makePdf } from '../support/pdfs';

const appUrl = inject('appUrl');
let disk: SmallDisk;
let context: BrowserContext;

beforeAll(async () => {
  disk = mountSmallDisk(48);
  context = await chromium.launchPersistentContext(join(disk.dir, 'profile'), { executablePath: chromiumPath() ?? undefined, args: [...CHROMIUM_ARGS, '--disk-cache-size=1048576'] });
});

afterAll(async () => {
  await context?.close();
  disk?.unmount();
});

describe('a full disk', () => {
  it('rolls back the document that did not fit, says how much space is used, loses nothing else, and keeps working', async () => {
    const page = await context.newPage();
    await page.goto(appUrl);
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();

    // A file larger than the room left: Chromium refuses it as over quota when the
    // transaction aborts (QuotaExceededError), as it does on a disk running out of space.
    const big = await makePdf({ title: 'Reservoir scans', pages: [{ paragraphs: ['The reservoir rainfall gauges, scanned.'] }], padding: 40 << 20 });
    await addFiles(page, [pdfFile('big ledger.pdf', big)]);
    await libraryItem(page, 'big ledger.pdf').filter({ hasText: /Failed: the browser has no storage space left \(this site uses [\d.]+ [KMG]B of the [\d.]+ [KMG]B the browser allows\); free some space or delete documents, then add it again/ }).waitFor({ timeout: 120_000 });
    expect(await search(page, 'reservoir rainfall')).toEqual([]);
    expect((await search(page, 'ochre star mussels'))[0]).toContain(TIDE_POOLS.fileName);

    disk.makeRoom();
    // Nothing of the failed document is left behind.
    expect(await countRecords(page, ['documents', 'files', 'chunks'])).toEqual({ documents: 1, files: 1, chunks: TIDE_POOLS.pages.length });

    // With room again the app goes on as before.
    await addFiles(page, [pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await page.reload();
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
  });

  it('says so when a conversation cannot be saved, and keeps the answer on the page', async () => {
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    // Storage refuses every write to the conversations, the way it does when it is full: the
    // transaction aborts. (A real full disk does not refuse small writes reliably enough to test.)
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const request = put.apply(this, args);
        if (this.name === 'conversations') this.transaction.abort();
        return request;
      };
    });
    await page.getByRole('textbox', { name: 'Ask your library' }).fill('What do starfish eat?');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByRole('button', { name: 'Regenerate' }).waitFor();
    await page.getByRole('alert').filter({ hasText: /^This conversation could not be saved: .+\.$/ }).waitFor();
    expect((await log.getByRole('group', { name: 'Answer text' }).innerText()).length).toBeGreaterThan(0);
  });
});
