import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addFiles, useBrowser, libraryItem, openApp, pdfFile, search, setAnswerLength } from './browser';
import { COMPOSTING, compostingPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

const appUrl = inject('appUrl');
const browser = useBrowser();


/** SHA-256 of every stored original, computed in the page from the bytes IndexedDB holds. */
function storedHashes(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('memory-cache');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('files').objectStore('files').getAll();
          read.onsuccess = async () => {
            const files = read.result as { bytes: ArrayBuffer }[];
            const hashes = await Promise.all(files.map(async (f) => Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', f.bytes)), (b) => b.toString(16).padStart(2, '0')).join('')));
            resolve(hashes.sort());
          };
        };
      }),
  );
}

describe('backup and restore', () => {
  it('exports everything to one file and restores it elsewhere: same bytes, same search results, same conversations', async () => {
    const source = await openApp(browser(), appUrl);
    const tide = await tidePoolsPdf();
    await addFiles(source.page, [pdfFile(TIDE_POOLS.fileName, tide), pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(source.page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(source.page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await source.page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await setAnswerLength(source.page, 77);
    await source.page.getByRole('textbox', { name: 'Ask your library' }).fill('What do starfish eat?');
    await source.page.getByRole('button', { name: 'Send' }).click();
    await source.page.getByRole('log', { name: 'Conversation' }).getByRole('button', { name: 'Regenerate' }).waitFor();

    const downloading = source.page.waitForEvent('download');
    await source.page.getByRole('button', { name: 'Export backup' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^memory-cache-backup-\d{4}-\d{2}-\d{2}\.zip$/);
    const backupPath = await download.path();
    const queries = ['ochre star mussels', 'coffee grounds browns', 'spring tide'];
    const before: string[][] = [];
    for (const query of queries) before.push(await search(source.page, query));
    expect(before.every((results) => results.length > 0)).toBe(true);
    const hashesBefore = await storedHashes(source.page);

    // A fresh browser profile: an empty library.
    const target = await openApp(browser(), appUrl);
    await target.page.getByText('Your library is empty.').waitFor();
    const chooser = target.page.waitForEvent('filechooser');
    await target.page.getByRole('button', { name: 'Import backup' }).click();
    await (await chooser).setFiles({ name: 'backup.zip', mimeType: 'application/zip', buffer: readFileSync(backupPath) });
    await target.page.getByText('Restored 2 documents').waitFor();
    await libraryItem(target.page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    expect(await storedHashes(target.page)).toEqual(hashesBefore);
    for (const [i, query] of queries.entries()) expect(await search(target.page, query)).toEqual(before[i]);
    await target.page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'What do starfish eat?', exact: true }).click();
    await target.page.getByRole('log', { name: 'Conversation' }).getByRole('link', { name: /Tide Pools of the Northern Coast/ }).first().waitFor();
    // The restored settings are in force at once, not only after a reload.
    await target.page.getByRole('button', { name: 'Settings' }).click();
    expect(await target.page.getByRole('dialog', { name: 'Settings' }).getByRole('spinbutton', { name: 'Longest answer (tokens)' }).inputValue()).toBe('77');
    await target.page.keyboard.press('Escape');

    // Restoring the same backup again adds nothing.
    const again = target.page.waitForEvent('filechooser');
    await target.page.getByRole('button', { name: 'Import backup' }).click();
    await (await again).setFiles({ name: 'backup.zip', mimeType: 'application/zip', buffer: readFileSync(backupPath) });
    await target.page.getByText('Restored 0 documents, 2 documents already here').waitFor();
    await target.page.reload();
    await libraryItem(target.page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    expect(await target.page.getByRole('list', { name: 'Library' }).getByRole('listitem').count()).toBe(2);
    await expect.poll(() => target.page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').count()).toBe(1);

    // Something that is not a backup is refused, and nothing changes.
    const wrong = target.page.waitForEvent('filechooser');
    await target.page.getByRole('button', { name: 'Import backup' }).click();
    await (await wrong).setFiles({ name: 'tide.zip', mimeType: 'application/zip', buffer: Buffer.from(tide) });
    await target.page.getByRole('alert').filter({ hasText: 'Nothing was restored: this file is not a Memory Cache backup' }).waitFor();
    expect(await target.page.getByRole('list', { name: 'Library' }).getByRole('listitem').count()).toBe(2);
  });
});
