import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addFiles, ask, libraryItem, openApp, pdfFile, useBrowser } from './browser';
import { COMPOSTING, compostingPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

const appUrl = inject('appUrl');
const browser = useBrowser();

/** The accessible name of the control that has the keyboard focus ("" for the page itself). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return '';
    return element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '';
  });
}

describe('the keyboard focus', () => {
  it('goes where the person works next, never back to the page, when a control goes away', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    for (const name of [TIDE_POOLS.fileName, COMPOSTING.fileName]) await libraryItem(page, name).filter({ hasText: 'Ready' }).waitFor();

    // A document opened from the library turns its pages with the arrow keys at once.
    const library = page.getByRole('list', { name: 'Library' });
    await library.getByRole('button', { name: TIDE_POOLS.title, exact: true }).focus();
    await page.keyboard.press('Enter');
    const viewer = page.getByRole('dialog', { name: TIDE_POOLS.title });
    await viewer.getByText('Page 1 of 3').waitFor();
    await page.keyboard.press('ArrowRight');
    await viewer.getByText('Page 2 of 3').waitFor();
    // Zoomed by key at once after a page turn (the document is not opened again for it), and by
    // button: the page is drawn wider, and back.
    const drawnWidth = () => viewer.evaluate((dialog) => dialog.querySelector('canvas')?.getBoundingClientRect().width ?? 0);
    await expect.poll(drawnWidth).toBeGreaterThan(0);
    const fitted = await drawnWidth();
    await page.keyboard.press('+');
    await viewer.getByRole('group', { name: 'Zoom' }).getByText('125%').waitFor();
    await expect.poll(drawnWidth).toBeGreaterThan(fitted * 1.2);
    await viewer.getByRole('button', { name: 'Zoom out' }).click();
    await viewer.getByRole('group', { name: 'Zoom' }).getByText('Fit to width').waitFor();
    await expect.poll(drawnWidth).toBeLessThan(fitted * 1.05);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });

    // Keep: back to Delete. Delete: to the document now in its place.
    const [first, second] = (await library.getByRole('listitem').allInnerTexts()).map((text) => (text.includes(TIDE_POOLS.title) ? TIDE_POOLS.title : COMPOSTING.title));
    await library.getByRole('button', { name: `Delete ${first}`, exact: true }).click();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Keep');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe(`Delete ${first}`);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe(`Really delete ${first}`);
    await page.keyboard.press('Enter');
    await libraryItem(page, first).waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toBe(second);

    // A conversation: Rename and Escape, Rename and Enter, Delete and Keep, Delete.
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    const question = 'What should go into a compost heap?';
    await ask(page, question);
    await page.getByRole('log', { name: 'Conversation' }).getByRole('button', { name: 'Regenerate' }).waitFor();
    const conversations = page.getByRole('list', { name: 'Conversations' });
    await conversations.getByRole('button', { name: `Rename conversation ${question}` }).click();
    expect(await focused(page)).toBe('New name for the conversation');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe(`Rename conversation ${question}`);
    await page.keyboard.press('Enter');
    await page.keyboard.type(' (kept)');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe(`Rename conversation ${question} (kept)`);
    await conversations.getByRole('button', { name: `Delete conversation ${question} (kept)` }).click();
    await conversations.getByRole('button', { name: 'Keep' }).click();
    expect(await focused(page)).toBe(`Delete conversation ${question} (kept)`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await conversations.getByRole('listitem').waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toBe('New conversation');
  });
});
