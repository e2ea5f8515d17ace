import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startLlamaServer, type LlamaServer } from '../../embed/llama-server';
import { addFiles, ask, launchBrowser, libraryItem, openApp, reportOnFailure, pdfFile, readRecords, setAnswerLength, slotsIdle } from './browser';
import { COMPOSTING, compostingPdf, ledgerPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

/**
 * Chat against real llama-servers of this file's own, so their logs can be read and their
 * context sizes chosen. The generated test model never ends an answer by itself, so every
 * answer runs to the length asked for.
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const model = inject('modelPath');
let browser: Browser;
let server: LlamaServer;
let serverLog: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startLlamaServer({ model, staticDir: join(root, 'dist'), ctxSize: 8192, log: (line) => serverLog.push(line) });
  reportOnFailure('llama-server\'s last lines', () => server.output());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('chat with the library', () => {
  it('streams an answer built from the passages, with sources that open the viewer, kept after a reload', async () => {
    const { page, errors, cspViolations, requests } = await openApp(browser, `${server.url}/`);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await setAnswerLength(page, 48);

    const calls = (route: string) => requests.filter((url) => url.endsWith(route)).length;
    const [tokenizeBefore, templatesBefore] = [calls('/tokenize'), calls('/apply-template')];
    const body = await ask(page, 'How many mussels can a starfish eat in a year?');
    // One count for the passages, one for the question's prompt (the final prompt is their sum);
    // one rendering of the conversation, where the passages then take their place.
    expect(calls('/tokenize') - tokenizeBefore).toBe(2);
    expect(calls('/apply-template') - templatesBefore).toBe(1);
    expect(body.stream).toBe(true);
    expect(body.cache_prompt).toBe(true);
    expect(body.n_predict).toBe(48);
    expect(body.prompt).toContain('A single ochre star can eat eighty mussels in a year');
    expect(body.prompt).toMatch(/\[1\] "Tide Pools of the Northern Coast" \(tide-pools\.pdf, saved [^)]+\), page 2:/);
    // The passages come before the question, for the server's prompt cache.
    expect(body.prompt.indexOf('eighty mussels')).toBeLessThan(body.prompt.lastIndexOf('How many mussels'));

    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await log.innerText()).toContain('How many mussels can a starfish eat in a year?');
    expect(await log.innerText()).toMatch(/48 tokens answered/);
    expect(await log.innerText()).toMatch(/tokens\/s/);
    const [conversation] = await readRecords<{ messages: { stats?: unknown }[] }>(page, 'conversations');
    const stats = conversation.messages[1].stats;
    console.log('answer timings (ms from Send):', JSON.stringify(stats));

    const source = log.getByRole('link', { name: /Tide Pools of the Northern Coast, page 2/ });
    await source.first().click();
    const viewer = page.getByRole('dialog', { name: TIDE_POOLS.title });
    await viewer.getByText('Page 2 of 3').waitFor();
    await viewer.getByRole('button', { name: 'Close' }).click();
    await page.waitForURL((url) => url.hash === '');

    await page.reload();
    await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'How many mussels can a starfish eat in a year?', exact: true }).click();
    await log.getByRole('link', { name: /Tide Pools of the Northern Coast, page 2/ }).first().waitFor();
    expect(await log.innerText()).toMatch(/48 tokens answered/);

    // The document deleted: its sources say so, and open nothing.
    const library = page.getByRole('list', { name: 'Library' });
    await library.getByRole('button', { name: `Delete ${TIDE_POOLS.title}`, exact: true }).click();
    await library.getByRole('button', { name: `Really delete ${TIDE_POOLS.title}`, exact: true }).click();
    await log.getByText(`${TIDE_POOLS.title} (no longer in your library)`).first().waitFor();
    expect(await log.getByRole('link', { name: /Tide Pools of the Northern Coast/ }).count()).toBe(0);
    expect(errors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('stops at once when asked: the answer keeps what arrived and the server stops generating', async () => {
    const { page } = await openApp(browser, `${server.url}/`);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await setAnswerLength(page, 6000);
    serverLog = [];

    const body = await ask(page, 'Tell me everything about tide pools');
    expect(body.n_predict).toBe(6000);
    const log = page.getByRole('log', { name: 'Conversation' });
    const answerText = log.getByRole('group', { name: 'Answer text' });
    // Stop once text has arrived: it is what the answer must keep.
    // The generated model's first bytes may take a while to make a visible character.
    await expect.poll(async () => (await answerText.innerText()).trim().length, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop' }).click();
    await log.getByText('Stopped.').waitFor();
    const kept = await answerText.innerText();
    // (The generated model's text is random bytes, some of which Markdown hides, so any visible text will do.)
    expect(kept.trim().length).toBeGreaterThan(0);
    await expect.poll(() => slotsIdle(server.url)).toBe(true);
    expect(await answerText.innerText()).toBe(kept);
    // The server released the slot long before the 6000 tokens it was asked for.
    const released = serverLog.map((line) => /stop processing: n_tokens = (\d+)/.exec(line)?.[1]).filter(Boolean);
    expect(released).toHaveLength(1);
    expect(Number(released[0])).toBeLessThan(6000);
    await page.getByRole('button', { name: 'Send' }).waitFor();
  });

  it('deletes a conversation while its answer streams, for good', async () => {
    const { page } = await openApp(browser, `${server.url}/`);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await setAnswerLength(page, 6000);
    await ask(page, 'Tell me a very long story');
    await page.getByRole('button', { name: 'Stop' }).waitFor();
    await page.getByRole('button', { name: 'Delete conversation Tell me a very long story' }).click();
    await page.getByRole('button', { name: 'Really delete conversation Tell me a very long story' }).click();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    await expect.poll(() => slotsIdle(server.url)).toBe(true);
    await page.reload();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Ask your documents').waitFor();
    expect(await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').count()).toBe(0);
  });

  it('follows up in the same conversation, regenerates, and starts, renames and deletes conversations', async () => {
    const { page } = await openApp(browser, `${server.url}/`);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await addFiles(page, [pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await setAnswerLength(page, 16);
    const log = page.getByRole('log', { name: 'Conversation' });

    await ask(page, 'What should go into a compost heap?');
    await log.getByRole('button', { name: 'Regenerate' }).waitFor();
    const followUp = await ask(page, 'How often should I turn it?');
    // The earlier turn is part of the prompt, before the new question.
    expect(followUp.prompt).toContain('What should go into a compost heap?');
    expect(followUp.prompt.lastIndexOf('How often should I turn it?')).toBeGreaterThan(followUp.prompt.indexOf('What should go into a compost heap?'));
    await expect.poll(() => log.getByRole('button', { name: 'Regenerate' }).count()).toBe(2);

    const again = page.waitForRequest((r) => r.url().endsWith('/completion'));
    await log.getByRole('button', { name: 'Regenerate' }).last().click();
    expect((await again).postData()).toContain('How often should I turn it?');
    await expect.poll(() => log.getByRole('button', { name: 'Regenerate' }).count()).toBe(2);
    // cache_prompt at work: the regenerated answer's prompt is the same, so the server reads
    // nearly all of it from its cache, and the follow-up before it reused the start it shared.
    const cacheFigures = async () =>
      [...(await log.innerText()).matchAll(/([\d,]+) prompt tokens \(([\d,]+) from the server's cache\)/g)].map((m) => [m[1], m[2]].map((n) => Number(n.replace(/,/g, ''))));
    await expect.poll(async () => (await cacheFigures()).length).toBe(2);
    const [, [promptTokens, cachedTokens]] = await cacheFigures();
    expect(cachedTokens).toBeGreaterThan(promptTokens * 0.9);

    const conversations = page.getByRole('list', { name: 'Conversations' });
    await page.getByRole('button', { name: 'New conversation' }).click();
    await log.getByText('Ask your documents').waitFor();
    await ask(page, 'Which browns keep a heap from smelling?');
    await log.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await conversations.getByRole('listitem').count()).toBe(2);

    await page.getByRole('button', { name: 'Rename conversation Which browns keep a heap from smelling?' }).click();
    await page.getByRole('textbox', { name: 'New name for the conversation' }).fill('Compost browns');
    await page.getByRole('button', { name: 'Save' }).click();
    await conversations.getByRole('button', { name: 'Compost browns', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Delete conversation What should go into a compost heap?' }).click();
    await page.getByRole('button', { name: 'Really delete conversation What should go into a compost heap?' }).click();
    await conversations.getByRole('button', { name: 'What should go into a compost heap?', exact: true }).waitFor({ state: 'detached' });
    await page.reload();
    await conversations.getByRole('button', { name: 'Compost browns', exact: true }).waitFor();
    expect(await conversations.getByRole('listitem').count()).toBe(1);
  });

  it('fills a small context with as many passages as fit, never more', async () => {
    // 1,024 tokens: the generated model spends about a token per character, so the system
    // prompt and the question take half, and one or two of the passages fit beside them, not all.
    const small = await startLlamaServer({ model, staticDir: join(root, 'dist'), ctxSize: 1024 });
    try {
      const { page } = await openApp(browser, `${small.url}/`);
      await page.getByRole('status').filter({ hasText: 'context 1,024 tokens' }).waitFor();
      await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf()), pdfFile('ledger.pdf', await ledgerPdf(30))]);
      for (const name of ['ledger.pdf', TIDE_POOLS.fileName, COMPOSTING.fileName]) await libraryItem(page, name).filter({ hasText: 'Ready' }).waitFor();
      await setAnswerLength(page, 32);
      const log = page.getByRole('log', { name: 'Conversation' });

      for (const question of ['How much rain did the stations record, and how high did the river rise?', 'What do starfish eat, and when is the best time to visit tide pools?']) {
        const body = await ask(page, question);
        // The server's own count of the prompt as it will process it (with the start token).
        const { tokens } = (await (await fetch(`${small.url}/tokenize`, { method: 'POST', body: JSON.stringify({ content: body.prompt, add_special: true }) })).json()) as { tokens: number[] };
        expect(tokens.length + body.n_predict).toBeLessThanOrEqual(1024);
        const passages = (body.prompt.match(/^\[\d+\] "/gm) ?? []).length;
        expect(passages).toBeGreaterThanOrEqual(1);
        expect(passages).toBeLessThan(6);
        await log.getByRole('button', { name: 'Regenerate' }).last().waitFor();
        expect(await log.getByRole('list', { name: 'Sources' }).last().getByRole('listitem').count()).toBe(passages);
      }
      expect(await log.getByRole('alert').count()).toBe(0);
      expect(await log.getByText(/None of the matching passages fit/).count()).toBe(0);
    } finally {
      await small.stop();
    }
  });
});
