import { describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { addFiles, ask, useBrowser, libraryItem, newContext, pdfFile, readRecords, searchResults, setAnswerLength } from './browser';
import type { StoredConversation } from '../../web/lib/storage/schema';
import { COMPOSTING, compostingPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';
import { startFaultProxy } from '../support/fault-proxy';

const appUrl = inject('appUrl');
const browser = useBrowser();

describe('two tabs of the app at once', () => {
  it('keep the library, the search index and the conversations in step', async () => {
    const context = await newContext(browser());
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
    // The tab that lost the race also lists its copy as "Already in your library as …", which
    // names the same title: the document itself is the item that is not that notice.
    for (const page of [first, second]) await libraryItem(page, COMPOSTING.title).filter({ hasText: 'Ready', hasNotText: 'Already in' }).waitFor();
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

  it('answer in one conversation one tab at a time, and keep what each tab wrote to it', async () => {
    // The model is slow to start answering, so the other tab acts while the answer is on its way.
    const proxy = await startFaultProxy(new URL(appUrl).origin);
    const context = await newContext(browser());
    try {
      const [first, second] = [await context.newPage(), await context.newPage()];
      for (const page of [first, second]) await page.goto(`${proxy.url}/`);
      await addFiles(first, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
      await libraryItem(second, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
      await first.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      await setAnswerLength(first, 24);
      proxy.fault = 'slow';
      proxy.delayMs = 6000;
      const question = 'Where do hermit crabs live?';
      await first.getByRole('textbox', { name: 'Ask your library' }).fill(question);
      await first.getByRole('button', { name: 'Send' }).click();

      // The other tab sees the answer coming, cannot answer in the same conversation meanwhile,
      // and renames it.
      const conversations = second.getByRole('list', { name: 'Conversations' });
      await conversations.getByRole('button', { name: question, exact: true }).click();
      const secondLog = second.getByRole('log', { name: 'Conversation' });
      await secondLog.getByText('This answer is arriving in another tab.').waitFor();
      expect(await secondLog.getByRole('button', { name: /Retry|Regenerate/ }).count()).toBe(0);
      await second.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      await second.getByRole('textbox', { name: 'Ask your library' }).fill('And what do they eat?');
      await second.getByRole('button', { name: 'Send' }).click();
      await second.getByRole('alert').filter({ hasText: 'This conversation is getting an answer in another tab' }).waitFor();
      // The question that could not be asked is not lost.
      expect(await second.getByRole('textbox', { name: 'Ask your library' }).inputValue()).toBe('And what do they eat?');
      await conversations.getByRole('button', { name: `Rename conversation ${question}` }).click();
      await second.getByRole('textbox', { name: 'New name for the conversation' }).fill('Hermit crabs');
      await second.getByRole('button', { name: 'Save' }).click();

      // The answer lands, and the rename stays: neither tab wrote over the other.
      await first.getByRole('log', { name: 'Conversation' }).getByRole('button', { name: 'Regenerate' }).waitFor({ timeout: 30_000 });
      proxy.fault = 'none';
      for (const page of [first, second]) {
        await page.reload();
        await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'Hermit crabs', exact: true }).click();
        const log = page.getByRole('log', { name: 'Conversation' });
        await log.getByRole('button', { name: 'Regenerate' }).waitFor();
        expect(await log.getByText(question).count()).toBe(1);
        expect(await log.getByText('And what do they eat?').count()).toBe(0);
        expect(await log.getByRole('group', { name: 'Answer text' }).count()).toBe(1);
        expect((await log.getByRole('group', { name: 'Answer text' }).innerText()).length).toBeGreaterThan(0);
      }
    } finally {
      await context.close();
      await proxy.close();
    }
  });

  it('tell an answer whose tab was closed from one still arriving', async () => {
    const proxy = await startFaultProxy(new URL(appUrl).origin);
    const context = await newContext(browser());
    try {
      const [first, second] = [await context.newPage(), await context.newPage()];
      for (const page of [first, second]) await page.goto(`${proxy.url}/`);
      await first.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      proxy.fault = 'slow';
      proxy.delayMs = 30_000;
      await first.getByRole('textbox', { name: 'Ask your library' }).fill('Where do hermit crabs live?');
      await first.getByRole('button', { name: 'Send' }).click();
      await second.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'Where do hermit crabs live?', exact: true }).click();
      const log = second.getByRole('log', { name: 'Conversation' });
      await log.getByText('This answer is arriving in another tab.').waitFor();

      // The tab writing the answer is closed mid-answer: the other tab says so, and offers Retry.
      await first.close();
      await log.getByRole('alert').filter({ hasText: 'This answer was cut off: the page was closed while this answer was arriving' }).waitFor({ timeout: 10_000 });
      await log.getByRole('button', { name: 'Retry' }).waitFor();
      expect(await log.getByText('This answer is arriving in another tab.').count()).toBe(0);
    } finally {
      proxy.fault = 'none';
      await context.close();
      await proxy.close();
    }
  });

  it('keep a question asked while the page still reads its conversations, with its answer', async () => {
    const context = await newContext(browser());
    try {
      await openLibraryOnce(context);
      // The next page's first look at its conversations waits until the question is asked
      // and its answer begun.
      const release = await holdStores(context, ['conversations']);
      const page = await context.newPage();
      await page.goto(appUrl);
      await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      await ask(page, 'Where do hermit crabs live?');
      await release();

      // The page's first read of its conversations ran before the question was saved: the
      // conversation and its answer must stay on the page all the same, and be stored.
      const log = page.getByRole('log', { name: 'Conversation' });
      await log.getByRole('button', { name: 'Regenerate' }).waitFor();
      expect(await log.getByText('This answer is arriving in another tab.').count()).toBe(0);
      await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'Where do hermit crabs live?', exact: true }).waitFor();
      await expectStoredAfterReload(page, 'Where do hermit crabs live?');
    } finally {
      await context.close();
    }
  });

  it('answer and keep a question asked before the page has opened its library', async () => {
    const context = await newContext(browser());
    try {
      await openLibraryOnce(context, async (first) => {
        await addFiles(first, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
        await libraryItem(first, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
      });
      // As a large library after a reload: the page is usable (and the model connected) while
      // its library, search index and stored settings are still being read.
      const release = await holdStores(context, ['documents', 'conversations', 'settings']);
      const page = await context.newPage();
      await page.goto(appUrl);
      await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      const asking = ask(page, 'Where do hermit crabs live?');
      await page.getByRole('log', { name: 'Conversation' }).getByText('Where do hermit crabs live?').waitFor();
      await release();

      // The answer waited for the library: it was given the passage, not an empty index.
      const body = await asking;
      expect(body.prompt).toContain(TIDE_POOLS.title);
      expect(body.prompt).toContain('Anemones, hermit crabs, sculpins and periwinkles live in them');
      await page.getByRole('log', { name: 'Conversation' }).getByRole('button', { name: 'Regenerate' }).waitFor();
      await expectStoredAfterReload(page, 'Where do hermit crabs live?');
    } finally {
      await context.close();
    }
  });

  it('stop a question that waits for the library to open, and keep it', async () => {
    const context = await newContext(browser());
    try {
      await openLibraryOnce(context);
      const release = await holdStores(context, ['documents', 'conversations', 'settings']);
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await page.goto(appUrl);
      await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      await page.getByRole('textbox', { name: 'Ask your library' }).fill('Where do hermit crabs live?');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const log = page.getByRole('log', { name: 'Conversation' });
      await log.getByText('Reading your documents…').waitFor();
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      // Stopped at once, though the library is still opening; nothing was asked of the model.
      await log.getByText('Stopped.').waitFor({ timeout: 5000 });
      expect(requests).not.toContain('/completion');
      // The focus is where the next question is written, not lost with the Stop button.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Ask your library');
      // The conversation is free for the next question at once, and can be renamed.
      const asking = ask(page, 'And what do they eat?');
      await log.getByText('And what do they eat?').waitFor();
      await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'Rename conversation Where do hermit crabs live?' }).click();
      await page.getByRole('textbox', { name: 'New name for the conversation' }).fill('Hermit crabs');
      await page.getByRole('button', { name: 'Save' }).click();
      await release();
      await asking;
      await log.getByRole('button', { name: 'Regenerate' }).waitFor();
      expect(await page.getByRole('alert').filter({ hasText: 'getting an answer in another tab' }).count()).toBe(0);
      const stored = async () => (await readRecords<StoredConversation>(page, 'conversations')).map((c) => [c.title, ...c.messages.map((m) => m.status ?? m.role)]);
      await expect.poll(stored).toEqual([['Hermit crabs', 'user', 'stopped', 'user', 'done']]);
    } finally {
      await context.close();
    }
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

/** Opens the app in a page of its own, so that its library exists (and holds what `fill` adds), then closes it. */
async function openLibraryOnce(context: BrowserContext, fill?: (page: Page) => Promise<void>): Promise<void> {
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.getByRole('searchbox', { name: 'Search your library' }).waitFor();
  await fill?.(page);
  await page.close();
}

/**
 * Keeps the named stores of the library busy from another page of the origin (a transaction
 * of its own, kept alive), so the app's reads of them wait; the returned function lets go.
 * That page is not the app, whose own writes would queue behind the transaction too, and
 * hold up more than the named stores.
 */
async function holdStores(context: BrowserContext, stores: string[]): Promise<() => Promise<void>> {
  const holder = await context.newPage();
  await holder.goto(new URL('favicon.svg', appUrl).href);
  await holder.evaluate(
    (names) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('memory-cache');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction(names, 'readwrite').objectStore(names[0]);
          const flags = window as unknown as { releaseStores?: boolean };
          const keepBusy = () => {
            if (!flags.releaseStores) store.count().onsuccess = keepBusy;
            else open.result.close();
          };
          keepBusy();
          resolve();
        };
      }),
    stores,
  );
  return () =>
    holder.evaluate(() => {
      (window as unknown as { releaseStores?: boolean }).releaseStores = true;
    });
}

/** The conversation of this question is stored with its finished answer, and is there after a reload. */
async function expectStoredAfterReload(page: Page, question: string): Promise<void> {
  const stored = async () => (await readRecords<StoredConversation>(page, 'conversations')).find((c) => c.messages[0]?.content === question)?.messages.map((m) => m.status ?? m.role);
  await expect.poll(stored).toEqual(['user', 'done']);
  await page.reload();
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: question, exact: true }).click();
  await page.getByRole('log', { name: 'Conversation' }).getByRole('button', { name: 'Regenerate' }).waitFor();
}
