import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addFiles, libraryItem, openApp, pdfFile, useBrowser } from './browser';
import { COMPOSTING, compostingPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

/**
 * The chat settings a person sets persist across reloads and reach the server in every
 * request; the API key stays only for the tab's session unless "remember" is ticked.
 */

const browser = useBrowser();
const appUrl = inject('appUrl');
const SYSTEM_PROMPT = 'You are the test librarian. Answer from the passages and cite them as [n].';

function settingsDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Settings' });
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = settingsDialog(page);
  await dialog.getByRole('spinbutton', { name: 'Temperature' }).waitFor();
  return dialog;
}

async function readSettings(page: Page) {
  const dialog = await openSettings(page);
  const values = {
    temperature: await dialog.getByRole('spinbutton', { name: 'Temperature' }).inputValue(),
    topP: await dialog.getByRole('spinbutton', { name: 'Top-p' }).inputValue(),
    answer: await dialog.getByRole('spinbutton', { name: 'Longest answer (tokens)' }).inputValue(),
    passages: await dialog.getByRole('spinbutton', { name: 'Passages per question' }).inputValue(),
    template: await dialog.getByRole('combobox', { name: 'Chat template' }).inputValue(),
    systemPrompt: await dialog.getByRole('textbox', { name: 'System prompt' }).inputValue(),
    apiKey: await dialog.getByLabel(/^API key/).inputValue(),
    remember: await dialog.getByRole('checkbox', { name: /Remember the API key/ }).isChecked(),
  };
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  return values;
}

describe('chat settings', () => {
  it('persist, reach the /completion request, and keep the API key only when asked to', async () => {
    const { page, context } = await openApp(browser(), appUrl);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();

    const dialog = await openSettings(page);
    await dialog.getByRole('spinbutton', { name: 'Temperature' }).fill('0.7');
    await dialog.getByRole('spinbutton', { name: 'Top-p' }).fill('0.8');
    await dialog.getByRole('spinbutton', { name: 'Longest answer (tokens)' }).fill('24');
    await dialog.getByRole('spinbutton', { name: 'Passages per question' }).fill('2');
    await dialog.getByRole('combobox', { name: 'Chat template' }).selectOption({ label: 'Phi-4' });
    await dialog.getByRole('textbox', { name: 'System prompt' }).fill(SYSTEM_PROMPT);
    await dialog.getByLabel(/^API key/).fill('session-key');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const sent = page.waitForRequest((r) => r.url().endsWith('/completion'));
    await page.getByRole('textbox', { name: 'Ask your library' }).fill('What do starfish eat, and what goes into a compost heap?');
    await page.getByRole('button', { name: 'Send' }).click();
    const request = await sent;
    const body = JSON.parse(request.postData() ?? '{}') as { prompt: string; temperature: number; top_p: number; n_predict: number; stop: string[] };
    expect(body.temperature).toBe(0.7);
    expect(body.top_p).toBe(0.8);
    expect(body.n_predict).toBe(24);
    // The Phi-4 template chosen, with the system prompt as written.
    expect(body.prompt.startsWith(`<|im_start|>system<|im_sep|>${SYSTEM_PROMPT}\n\n`)).toBe(true);
    expect(body.prompt.endsWith('<|im_start|>assistant<|im_sep|>')).toBe(true);
    expect(body.stop).toContain('<|im_end|>');
    const passages = (body.prompt.match(/^\[\d+\] "/gm) ?? []).length;
    expect(passages).toBeGreaterThanOrEqual(1);
    expect(passages).toBeLessThanOrEqual(2);
    expect(request.headers().authorization).toBe('Bearer session-key');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByRole('button', { name: 'Regenerate' }).waitFor();
    await log.getByText('Template: built-in Phi-4 (chosen in Settings)').waitFor();

    const chosen = { temperature: '0.7', topP: '0.8', answer: '24', passages: '2', template: 'phi4', systemPrompt: SYSTEM_PROMPT };
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    // The same tab keeps its session's key.
    expect(await readSettings(page)).toEqual({ ...chosen, apiKey: 'session-key', remember: false });

    // Another tab: the settings are there, the key that was not to be remembered is not.
    const other = await context.newPage();
    await other.goto(appUrl);
    await other.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    expect(await readSettings(other)).toEqual({ ...chosen, apiKey: '', remember: false });

    const again = await openSettings(other);
    await again.getByLabel(/^API key/).fill('remembered-key');
    await again.getByRole('checkbox', { name: /Remember the API key/ }).check();
    await again.getByRole('button', { name: 'Save' }).click();
    await again.waitFor({ state: 'hidden' });
    const third = await context.newPage();
    await third.goto(appUrl);
    await third.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    expect(await readSettings(third)).toEqual({ ...chosen, apiKey: 'remembered-key', remember: true });
  });
});
