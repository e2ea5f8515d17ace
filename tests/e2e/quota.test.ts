import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { addFiles, countRecords, libraryItem, pdfFile, search } from './browser';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk';
import { COMPOSTING, compostingPdf, ledgerPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

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

    disk.leaveFree(200 * 1024);
    await addFiles(page, [pdfFile('big ledger.pdf', await ledgerPdf(900, 'Reservoir'))]);
    await libraryItem(page, 'big ledger.pdf').filter({ hasText: /Failed: the browser (has no storage space left|could not save it: its disk is full or failing) \(this site uses .+ of the .+ the browser allows\)/ }).waitFor({ timeout: 120_000 });
    expect(await search(page, 'reservoir rainfall')).toEqual([]);
    expect((await search(page, 'ochre star mussels'))[0]).toContain(TIDE_POOLS.fileName);

    disk.makeRoom();
    // Nothing of the failed document is left behind.
    expect(await countRecords(page, ['documents', 'files'])).toEqual({ documents: 1, files: 1 });

    // With room again the app goes on as before.
    await addFiles(page, [pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await page.reload();
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
  });
});
