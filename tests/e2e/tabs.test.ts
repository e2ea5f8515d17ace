import { describe, expect, inject, it } from 'vitest';
import { addFiles, useBrowser, libraryItem, pdfFile, searchResults } from './browser';
import { COMPOSTING, compostingPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

const appUrl = inject('appUrl');
const browser = useBrowser();

describe('two tabs of the app at once', () => {
  it('keep the library, the search index and the conversations in step', async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const [first, second] = [await context.newPage(), await context.newPage()];
    await first.goto(appUrl);
    await second.goto(appUrl);

    // Both tabs ingest at the same time.
    await Promise.all([
      addFiles(first, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]),
      addFiles(second, [pdfFile(COMPOSTING.fileName, await compostingPdf())]),
    ]);
    for (const page of [first, second]) {
      await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
      await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    }
    // Each tab finds what the other added.
    await second.getByRole('searchbox', { name: 'Search your library' }).fill('ochre star mussels');
    await expect.poll(() => searchResults(second).first().innerText()).toContain(TIDE_POOLS.fileName);
    await first.getByRole('searchbox', { name: 'Search your library' }).fill('coffee grounds');
    await expect.poll(() => searchResults(first).first().innerText()).toContain(COMPOSTING.fileName);

    // A deletion in one tab disappears from the other's list and search.
    await first.getByRole('button', { name: `Delete ${COMPOSTING.title}` }).click();
    await first.getByRole('button', { name: `Really delete ${COMPOSTING.title}` }).click();
    await libraryItem(second, COMPOSTING.fileName).waitFor({ state: 'detached' });
    await second.getByRole('searchbox', { name: 'Search your library' }).fill('compost heap');
    await second.getByText('Nothing found for “compost heap”.').waitFor();

    // The same file added in both tabs at once ends up in the library once.
    const dupe = await compostingPdf();
    await Promise.all([addFiles(first, [pdfFile('again.pdf', dupe)]), addFiles(second, [pdfFile('again.pdf', dupe)])]);
    for (const page of [first, second]) await libraryItem(page, COMPOSTING.title).filter({ hasText: 'Ready' }).waitFor();
    await first.reload();
    await libraryItem(first, COMPOSTING.title).filter({ hasText: 'Ready' }).waitFor();
    expect(await libraryItem(first, COMPOSTING.title).count()).toBe(1);

    // A conversation held in one tab appears in the other's list.
    await first.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await first.getByRole('textbox', { name: 'Ask your library' }).fill('Where do hermit crabs live?');
    await first.getByRole('button', { name: 'Send' }).click();
    await first.getByRole('log', { name: 'Conversation' }).getByRole('button', { name: 'Regenerate' }).waitFor();
    await second.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'Where do hermit crabs live?', exact: true }).click();
    await second.getByRole('log', { name: 'Conversation' }).getByText('Where do hermit crabs live?').waitFor();
    await context.close();
  });

  it('step aside when another tab upgrades the database, instead of blocking it', async () => {
    const context = await browser().newContext();
    const [old, fresh] = [await context.newPage(), await context.newPage()];
    await old.goto(appUrl);
    await old.getByRole('searchbox', { name: 'Search your library' }).waitFor();
    // The newer release's tab, played by a plain page of the same origin.
    await fresh.goto(new URL('favicon.svg', appUrl).href);
    const reloaded = old.waitForEvent('load');
    // What a newer release does when it opens the library: ask for a higher schema version.
    const outcome = await fresh.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const open = indexedDB.open('memory-cache', 1000);
          open.onblocked = () => resolve('blocked');
          open.onerror = () => resolve(`error: ${open.error?.message}`);
          open.onsuccess = () => {
            open.result.close();
            resolve('upgraded');
          };
        }),
    );
    expect(outcome).toBe('upgraded');
    // The older tab let go of its connection and reloaded, to run the newer code.
    await reloaded;
    await context.close();
  });
});
