import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLlamaServer, type LlamaServer } from '../../embed/llama-server';
import { addFiles, useBrowser, libraryItem, openApp, reportOnFailure, pdfFile, setAnswerLength, slotsIdle } from './browser';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const model = inject('modelPath');
const browser = useBrowser();


async function readyToAsk(url: string): Promise<Page> {
  const { page } = await openApp(browser(), url);
  await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
  await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
  await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
  return page;
}

async function ask(page: Page, question: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Ask your library' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
}


describe('when the model server fails', () => {
  let server: LlamaServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    server = await startLlamaServer({ model, staticDir: join(root, 'dist'), ctxSize: 8192 });
    reportOnFailure('llama-server\'s last lines', () => server.output());
    proxy = await startFaultProxy(server.url);
  });

  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('keeps what arrived of an answer cut off by a dropped connection, marks it, and offers Retry', async () => {
    proxy.fault = 'none';
    const page = await readyToAsk(`${proxy.url}/`);
    await setAnswerLength(page, 3000);
    proxy.fault = 'drop-mid-stream';
    await ask(page, 'What lives in a tide pool?');
    const log = page.getByRole('log', { name: 'Conversation' });
    const alert = log.getByRole('alert');
    await alert.filter({ hasText: 'This answer was cut off: the connection to the model server was lost' }).waitFor();
    expect((await log.getByRole('group', { name: 'Answer text' }).last().innerText()).length).toBeGreaterThan(0);

    proxy.fault = 'none';
    await setAnswerLength(page, 16);
    await log.getByRole('button', { name: 'Retry' }).click();
    await log.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await alert.count()).toBe(0);
  });

  it('stops reading at a line that is not the protocol, says so, and hangs up so the server stops', async () => {
    proxy.fault = 'none';
    const page = await readyToAsk(`${proxy.url}/`);
    await setAnswerLength(page, 6000);
    proxy.fault = 'malformed-line';
    await ask(page, 'What lives in a tide pool?');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByRole('alert').filter({ hasText: 'the server sent a line that is not part of its protocol' }).waitFor();
    await expect.poll(() => slotsIdle(server.url)).toBe(true);
    await log.getByRole('button', { name: 'Retry' }).waitFor();
  });

  it('says what a slow answer is waiting for, and keeps waiting for it', async () => {
    proxy.fault = 'none';
    const page = await readyToAsk(`${proxy.url}/`);
    await setAnswerLength(page, 16);
    proxy.fault = 'slow';
    proxy.delayMs = 4500;
    await ask(page, 'What lives in a tide pool?');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText(/^Waiting for the model: [2-4] s\. It reads the prompt \([\d,]+ tokens\) before it writes\.$/).waitFor();
    // Slow is not broken: the answer comes, and nothing says it failed.
    await log.getByRole('button', { name: 'Regenerate' }).waitFor({ timeout: 20_000 });
    expect(await log.getByRole('alert').count()).toBe(0);
    expect((await log.getByRole('group', { name: 'Answer text' }).last().innerText()).length).toBeGreaterThan(0);
    expect(await log.getByText('Waiting for the model').count()).toBe(0);
  });

  it('says the model is still loading (503) and waits with chat disabled, while search keeps working', async () => {
    proxy.fault = 'loading';
    const { page } = await openApp(browser(), `${proxy.url}/`);
    await page.getByRole('status').filter({ hasText: 'loading the model' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Ask your library' }).isDisabled()).toBe(true);
    await page.getByText('The model is still loading').waitFor();
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    proxy.fault = 'none';
    // It checks again by itself and enables chat once the model is there.
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('textbox', { name: 'Ask your library' }).isDisabled()).toBe(false);
  });
});

describe('when the model server dies', () => {
  it('keeps the partial answer of a server killed mid-stream, and says the server is gone', async () => {
    const doomed = await startLlamaServer({ model, staticDir: join(root, 'dist'), ctxSize: 8192 });
    try {
      const page = await readyToAsk(`${doomed.url}/`);
      await setAnswerLength(page, 6000);
      await ask(page, 'Tell me everything about tide pools');
      await page.getByRole('button', { name: 'Stop' }).waitFor();
      const log = page.getByRole('log', { name: 'Conversation' });
      await expect.poll(async () => (await log.getByRole('group', { name: 'Answer text' }).last().innerText()).length).toBeGreaterThan(0);
      doomed.child.kill('SIGKILL');
      await log.getByRole('alert').filter({ hasText: 'This answer was cut off' }).waitFor();
      expect((await log.getByRole('group', { name: 'Answer text' }).last().innerText()).length).toBeGreaterThan(0);
      // The status line learns at once that the server is gone (its own check is 30 s apart).
      await page.getByRole('status').filter({ hasText: 'No model server connected' }).waitFor({ timeout: 5000 });
      expect(await page.getByRole('textbox', { name: 'Ask your library' }).isDisabled()).toBe(true);
      // The page's own files are gone with the server, but the open page keeps working.
      await page.getByRole('button', { name: 'Send' }).waitFor();
      await page.getByRole('searchbox', { name: 'Search your library' }).fill('ochre star');
      await page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first().waitFor();
    } finally {
      await doomed.stop();
    }
  });
});
