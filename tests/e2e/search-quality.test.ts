import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../support/scratch-dir';
import { describe, expect, inject, it } from 'vitest';
import { addFiles, libraryItem, openApp, pdfFile, search, useBrowser } from './browser';
import { makePdf } from '../support/pdfs';

/**
 * Search as a new user tries it, in the real app: words typed part of the way, without their
 * accents or hyphens, questions made only of common words; titles set on two lines; a folder
 * with nothing to add.
 */

const appUrl = inject('appUrl');
const browser = useBrowser();

// The heading wraps onto two lines at the test PDFs' heading size; there is no metadata title.
const TITLE = 'A Practical Handbook of Vegetable Fermentation for Small Kitchens';

function handbookPdf(): Promise<Uint8Array> {
  return makePdf({
    pages: [
      {
        heading: TITLE,
        paragraphs: [
          'Lactic fermentation preserves cabbage, cucumbers and carrots with nothing but salt and time.',
          'Keep the jar below the brine and away from the Wi-Fi router, which warms the shelf it sits on.',
        ],
      },
      { paragraphs: ['Send your résumé to the café that hosts our naïve pickling workshops every spring.'] },
    ],
  });
}

// A contents page names every section, so it matches a query about any of them.
function sourdoughHandbookPdf(): Promise<Uint8Array> {
  return makePdf({
    pages: [
      {
        heading: 'Sourdough Handbook',
        paragraphs: [
          'Contents',
          'Feeding the sourdough starter . . . . . . . . . . . . . . . 2',
          'Sourdough starter troubleshooting . . . . . . . . . . . 3',
          'Starter feeding schedule . . . . . . . . . . . . . . . . . . 3',
          'Shaping the loaf . . . . . . . . . . . . . . . . . . . . . . . . 4',
        ],
      },
      {
        paragraphs: [
          'Feed the starter with equal weights of flour and water once or twice a day; a sourdough starter that is fed on a schedule rises predictably.',
          'Discard half before each feed, and keep the jar somewhere warm. A starter that does not rise is too cold, or its flour too fine.',
        ],
      },
      { paragraphs: ['Troubleshooting: a sluggish culture needs warmth, whole grain flour and patience. Hooch on top means it is hungry.'] },
      { paragraphs: ['Shaping: pre-shape the dough into a round, rest it, then shape the loaf tightly and proof it in a basket.'] },
    ],
  });
}

describe('search as a new user tries it', () => {
  it('finds partial words past their stem, words without accents or hyphens, and takes a two-line title whole', async () => {
    const { page, errors } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('ferment.pdf', await handbookPdf())]);
    await libraryItem(page, 'ferment.pdf').filter({ hasText: 'Ready' }).waitFor();
    await expect(libraryItem(page, 'ferment.pdf').innerText()).resolves.toContain(TITLE);

    for (const typed of ['fermentat', 'fermentatio']) {
      const results = await search(page, typed);
      expect(results.length, typed).toBeGreaterThan(0);
      expect(results[0]).toContain('page 1');
    }
    for (const [query, onPage] of [['resume', 'page 2'], ['cafe workshops', 'page 2'], ['naive', 'page 2'], ['wifi', 'page 1']]) {
      const results = await search(page, query);
      expect(results[0] ?? '', query).toContain(onPage);
    }
    // The snippet marks the word as the document writes it.
    await search(page, 'resume');
    await expect(page.getByRole('list', { name: 'Search results' }).locator('mark').first().innerText()).resolves.toBe('résumé');
    expect(errors).toEqual([]);
  });

  it('explains a question made only of common words instead of saying nothing was found', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('ferment.pdf', await handbookPdf())]);
    await libraryItem(page, 'ferment.pdf').filter({ hasText: 'Ready' }).waitFor();
    await search(page, 'how do I do it');
    await page.getByText(/has only words that search leaves out/).waitFor();
    await expect(page.getByText(/Nothing found/).count()).resolves.toBe(0);
  });

  it('shows why a search failed instead of staying busy', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('ferment.pdf', await handbookPdf())]);
    await libraryItem(page, 'ferment.pdf').filter({ hasText: 'Ready' }).waitFor();
    expect((await search(page, 'brine')).length).toBeGreaterThan(0);
    // The disk goes away under the app: every read of IndexedDB fails, in the page and in its workers.
    const breakReads = () => {
      const fail = () => {
        throw new DOMException('the disk is gone', 'UnknownError');
      };
      for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype] as unknown as Record<string, unknown>[]) {
        for (const name of ['get', 'getAll', 'getAllKeys', 'openCursor', 'count']) proto[name] = fail;
      }
    };
    await page.evaluate(breakReads);
    for (const worker of page.workers()) await worker.evaluate(breakReads);
    await search(page, 'cabbage');
    await page.getByRole('alert').filter({ hasText: /The search failed/ }).waitFor();
  });

  it('says so when a chosen folder holds nothing it can add', async () => {
    const folder = scratchDir('memory-cache-empty-folder-');
    writeFileSync(join(folder, 'holiday.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]));
    const { page } = await openApp(browser(), appUrl);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add folder' }).click();
    await (await chooser).setFiles(folder);
    await page.getByRole('status').filter({ hasText: 'No PDFs, saved web pages, Markdown or text files in that folder.' }).waitFor();
  });

  it('finds the page a table of contents points to before the contents', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('sourdough.pdf', await sourdoughHandbookPdf())]);
    await libraryItem(page, 'sourdough.pdf').filter({ hasText: 'Ready' }).waitFor();
    const results = await search(page, 'feeding the sourdough starter');
    expect(results[0]).toContain('page 2');
    // The contents are still found, below the page they list.
    expect(results.slice(1).some((r) => r.includes('page 1'))).toBe(true);
  });
});
