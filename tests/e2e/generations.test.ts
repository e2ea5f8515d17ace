import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startLlamaServer, type LlamaServer } from '../../embed/llama-server';
import { addFiles, ask, launchBrowser, libraryItem, openApp, reportOnFailure, pdfFile, setAnswerLength, slotsIdle } from './browser';
import { COMPOSTING, compostingPdf, ledgerPdf, TIDE_POOLS, tidePoolsPdf } from '../support/corpus';
import { startLlamafileProxy, type Generation, type LlamafileProxy } from '../support/llamafile-proxy';
import { singleFilePage } from '../support/saved-pages';

/**
 * The chat against both server generations in people's hands: llamafile 0.10 (upstream
 * llama-server, which these tests run) and llamafile 0.9 (its own older server, emulated by
 * tests/support/llamafile-proxy.ts in front of the same llama-server: its /props, its missing
 * /apply-template, its /tokenize, its stream, its errors and its silent truncation).
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const model = inject('modelPath');
/** The name 0.9's /props reports: its file name is all 0.9 says about the template. */
const MODEL_NAME_09 = 'Meta-Llama-3.1-8B-Instruct.Q4_K_M.gguf';
const CONTEXT = 2048;
let browser: Browser;
let server: LlamaServer;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startLlamaServer({ model, staticDir: join(root, 'dist'), ctxSize: CONTEXT });
  reportOnFailure('llama-server\'s last lines', () => server.output());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** How many passages a prompt carries: each starts a line with its number and quoted title. */
function passagesIn(prompt: string): number {
  return (prompt.match(/^\[\d+\] "/gm) ?? []).length;
}

describe.each<Generation>(['0.9', '0.10'])('chat through llamafile %s', (generation) => {
  let proxy: LlamafileProxy;

  beforeAll(async () => {
    proxy = await startLlamafileProxy(server.url, generation, { modelName: MODEL_NAME_09 });
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('streams an answer from the passages in the right template, with citations that open the viewer, kept after a reload', async () => {
    const { page, errors, requests } = await openApp(browser, `${proxy.url}/`);
    await page.getByRole('status').filter({ hasText: `context ${CONTEXT.toLocaleString('en')} tokens` }).waitFor();
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
    await setAnswerLength(page, 40);
    // An instructed model cites as [n]; the test model does not, so the proxy writes the citations
    // into the stream: one that names a passage, one that names none.
    proxy.citations = 'Ochre stars eat mussels [1], says a source the prompt never had [9]. ';

    const body = await ask(page, 'How many mussels can a starfish eat in a year?');
    expect(body).toMatchObject({ stream: true, cache_prompt: true, n_predict: 40 });
    expect(body.prompt).toContain('A single ochre star can eat eighty mussels in a year');
    expect(body.prompt.indexOf('eighty mussels')).toBeLessThan(body.prompt.lastIndexOf('How many mussels'));
    if (generation === '0.9') {
      // No template from the server: the built-in one guessed from the model's name.
      expect(body.prompt.startsWith('<|start_header_id|>system<|end_header_id|>\n\n')).toBe(true);
      expect(body.stop).toContain('<|eot_id|>');
      // Its /tokenize sends no pieces: the passages were counted one request each.
      expect(requests.filter((url) => url.endsWith('/tokenize')).length).toBeGreaterThan(2);
    } else {
      // The model's own template, from /apply-template.
      expect(body.prompt.startsWith('<|im_start|>system\n')).toBe(true);
      expect(requests.filter((url) => url.endsWith('/apply-template')).length).toBe(1);
    }

    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByRole('button', { name: 'Regenerate' }).waitFor();
    const text = await log.innerText();
    expect(text).toMatch(/40 tokens answered/);
    expect(text).toMatch(/tokens\/s/);
    expect(text).toContain('[9]');
    expect(text).toContain(generation === '0.9' ? "Template: built-in Llama 3 (guessed from the model's name)" : "Template: the model's own (applied by the server)");

    const sources = log.getByRole('list', { name: 'Sources' }).getByRole('link');
    const first = (await sources.first().getAttribute('aria-label')) ?? '';
    const [, title, page_] = /^Source 1: (.+), page (\d+)$/.exec(first) ?? [];
    expect(title).toBeTruthy();
    const answerText = log.getByRole('group', { name: 'Answer text' });
    // [9] names no passage: it stays text.
    expect(await answerText.getByRole('link').count()).toBe(1);
    const citation = answerText.getByRole('link', { name: `Source 1: ${title}, page ${page_}` });
    expect(await citation.innerText()).toBe('[1]');
    await citation.click();
    const viewer = page.getByRole('dialog', { name: title });
    await viewer.getByText(new RegExp(`^Page ${page_} of \\d+$`)).waitFor();
    // The cited passage is marked on the page (role "mark": Playwright finds it by role, though its getByRole types do not list it yet).
    const marked = viewer.locator('role=mark');
    await expect.poll(() => marked.count()).toBeGreaterThan(0);
    // Passage 1's text in the prompt: after its heading line, up to the next passage or the end of the system turn.
    const cited = /^\[1\] "[^\n]*\n([\s\S]*?)(?:\n\n\[2\] "|<\|)/m.exec(body.prompt)?.[1] ?? '';
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    for (const run of await marked.allInnerTexts()) expect(squash(cited)).toContain(squash(run));
    await viewer.getByRole('button', { name: 'Close' }).click();
    await page.waitForURL((url) => url.hash === '');

    proxy.citations = null;
    await page.reload();
    await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'How many mussels can a starfish eat in a year?', exact: true }).click();
    await answerText.getByRole('link', { name: `Source 1: ${title}, page ${page_}` }).waitFor();
    expect(await log.innerText()).toMatch(/40 tokens answered/);
    expect(errors).toEqual([]);
  });

  // Only where that generation behaves so: registered for it alone, so no run reports it skipped.
  if (generation === '0.10') {
    it('a citation of a saved web page opens its section with the passage marked', async () => {
      const { page } = await openApp(browser, `${proxy.url}/`);
      await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      await addFiles(page, [{ name: 'otters.html', mimeType: 'text/html', buffer: Buffer.from(singleFilePage()) }]);
      await libraryItem(page, 'otters.html').filter({ hasText: 'Ready' }).waitFor();
      await setAnswerLength(page, 16);
      proxy.citations = 'In holts [1]. ';
      try {
        const body = await ask(page, 'Where do otters den?');
        const log = page.getByRole('log', { name: 'Conversation' });
        await log.getByRole('button', { name: 'Regenerate' }).waitFor();
        const label = (await log.getByRole('list', { name: 'Sources' }).getByRole('link').first().getAttribute('aria-label')) ?? '';
        // A section's label may carry its heading: "section 2: Cold brew".
        const [, title, section] = /^Source 1: (.+), section (\d+)(?:: .+)?$/.exec(label) ?? [];
        expect(title).toBeTruthy();
        await log.getByRole('group', { name: 'Answer text' }).getByRole('link', { name: label }).click();
        const viewer = page.getByRole('dialog', { name: title });
        const marked = viewer.locator('role=mark');
        await expect.poll(() => marked.count()).toBeGreaterThan(0);
        const cited = /^\[1\] "[^\n]*\n([\s\S]*?)(?:\n\n\[2\] "|<\|)/m.exec(body.prompt)?.[1] ?? '';
        const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
        for (const run of await marked.allInnerTexts()) expect(squash(cited)).toContain(squash(run));
        expect(await viewer.getByText(new RegExp(`Section ${section}\\b`)).count()).toBeGreaterThan(0);
      } finally {
        proxy.citations = null;
      }
    });
  }

  it('shows an answer holding HTML, script and a javascript: link as text: nothing in it runs', async () => {
    const { page, errors, cspViolations } = await openApp(browser, `${proxy.url}/`);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await setAnswerLength(page, 16);
    // What a model might write after reading a hostile page: the proxy puts it in the stream.
    proxy.citations = 'See <img src="x" onerror="window.pwned = 1"> and <script>window.pwned = 2</script> or [this link](javascript:window.pwned=3) **now**. ';
    try {
      await ask(page, 'What does the page say?');
      const log = page.getByRole('log', { name: 'Conversation' });
      await log.getByRole('button', { name: 'Regenerate' }).waitFor();
      const answer = log.getByRole('group', { name: 'Answer text' });
      await answer.getByText('now', { exact: true }).waitFor();
      expect(await answer.locator('img, script, iframe, [onerror]').count()).toBe(0);
      for (const href of await answer.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))) expect(href).not.toMatch(/^\s*javascript:/i);
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      // Chromium reports an inline handler as blocked even in the inert document the sanitiser
      // parses into (it never runs there either): the policy's second line of defence at work.
      expect(cspViolations.every((v) => v.startsWith('Executing inline event handler violates'))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      proxy.citations = null;
    }
  });

  it('stops at once: the answer keeps what arrived and the server slot goes idle', async () => {
    const { page } = await openApp(browser, `${proxy.url}/`);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await setAnswerLength(page, 6000);
    // The test model writes a thousand tokens a second, and its first bytes may take a while to
    // make a visible character: the proxy starts the answer with words and lets the rest come
    // at a large model's pace, so Stop comes with most of the answer still to come.
    const log = page.getByRole('log', { name: 'Conversation' });
    const answerText = log.getByRole('group', { name: 'Answer text' });
    proxy.citations = 'Once upon a time, ';
    proxy.paceMs = 40;
    try {
      await ask(page, 'Tell me a very long story');
      await answerText.getByText('Once upon a time', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Stop' }).click();
    } finally {
      proxy.citations = null;
      proxy.paceMs = 0;
    }
    await log.getByText('Stopped.').waitFor();
    const kept = await answerText.innerText();
    // (The generated model's text is random bytes, some of which Markdown hides, so any visible text will do.)
    expect(kept.trim().length).toBeGreaterThan(0);
    await expect.poll(() => slotsIdle(server.url)).toBe(true);
    expect(await answerText.innerText()).toBe(kept);
  });

  it('keeps what arrived when the page is reloaded in the middle of an answer', async () => {
    const { page } = await openApp(browser, `${proxy.url}/`);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await setAnswerLength(page, 6000);
    const log = page.getByRole('log', { name: 'Conversation' });
    // The person confirms leaving while the answer arrives.
    page.on('dialog', (dialog) => void dialog.accept());
    proxy.citations = 'Once upon a time, ';
    proxy.paceMs = 40;
    try {
      await ask(page, 'Tell me a very long story');
      // Reloaded well before the next partial save (every few seconds).
      await log.getByRole('group', { name: 'Answer text' }).getByText('Once upon a time', { exact: false }).waitFor();
      await page.reload();
    } finally {
      proxy.citations = null;
      proxy.paceMs = 0;
    }
    await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: 'Tell me a very long story', exact: true }).click();
    await log.getByRole('alert').filter({ hasText: 'This answer was cut off' }).waitFor();
    expect(await log.getByRole('group', { name: 'Answer text' }).innerText()).toContain('Once upon a time');
    await log.getByRole('button', { name: 'Retry' }).waitFor();
  });

  it('keeps what arrived when the server reports a failure inside the stream, and says why', async () => {
    const { page } = await openApp(browser, `${proxy.url}/`);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await setAnswerLength(page, 400);
    proxy.streamError = 'the model ran out of memory';
    try {
      await ask(page, 'Tell me a story about the sea');
      const log = page.getByRole('log', { name: 'Conversation' });
      await log.getByRole('alert').filter({ hasText: 'This answer was cut off: the model ran out of memory.' }).waitFor();
      await log.getByRole('button', { name: 'Retry' }).waitFor();
      await expect.poll(() => slotsIdle(server.url)).toBe(true);
    } finally {
      proxy.streamError = null;
    }
  });

  // Only where that generation behaves so: registered for it alone, so no run reports it skipped.
  if (generation === '0.9') {
    it('asks for the API key that 0.9 wants on /completion (a plain-text 401), then answers with it', async () => {
      proxy.apiKey = 'sk-09';
      try {
        const { page } = await openApp(browser, `${proxy.url}/`);
        // 0.9 checks the key on /completion only: the status cannot know.
        await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
        await setAnswerLength(page, 16);
        await ask(page, 'What is a tide pool?');
        const log = page.getByRole('log', { name: 'Conversation' });
        await log.getByRole('alert').filter({ hasText: 'No answer: the server needs an API key (set it in Settings), or the key is wrong.' }).waitFor();
        await page.getByRole('button', { name: 'Settings' }).click();
        const dialog = page.getByRole('dialog', { name: 'Settings' });
        await dialog.getByLabel(/^API key/).fill('sk-09');
        await dialog.getByRole('button', { name: 'Save' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await log.getByRole('button', { name: 'Retry' }).click();
        await log.getByRole('button', { name: 'Regenerate' }).waitFor();
        expect(await log.getByRole('alert').count()).toBe(0);
      } finally {
        proxy.apiKey = null;
      }
    });
  }

  it('retries with fewer passages when the server says the prompt overflowed, and says so', async () => {
    const { page } = await openApp(browser, `${proxy.url}/`);
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf()), pdfFile(COMPOSTING.fileName, await compostingPdf()), pdfFile('ledger.pdf', await ledgerPdf(8))]);
    for (const name of [TIDE_POOLS.fileName, COMPOSTING.fileName, 'ledger.pdf']) await libraryItem(page, name).filter({ hasText: 'Ready' }).waitFor();
    await setAnswerLength(page, 32);
    // /props claims a context four times the server's: the page packs for it, and the server
    // (0.10: a 400 exceed_context_size_error; 0.9: a prompt cut silently, truncated: true) says it did not fit.
    proxy.claimContext = CONTEXT * 4;
    try {
      await page.reload();
      await page.getByRole('status').filter({ hasText: `context ${(CONTEXT * 4).toLocaleString('en')} tokens` }).waitFor();
      const before = proxy.completions.length;
      await ask(page, 'What do starfish eat, how much rain did the stations record, and what goes into a compost heap?');
      const log = page.getByRole('log', { name: 'Conversation' });
      await log.getByRole('button', { name: 'Regenerate' }).waitFor();
      const sent = proxy.completions.slice(before).map((c) => passagesIn(String(c.prompt)));
      expect(sent.length).toBeGreaterThan(1);
      expect(sent[0]).toBeGreaterThan(sent[sent.length - 1]);
      const last = sent[sent.length - 1];
      const previous = sent[sent.length - 2];
      await log.getByText(`this answer uses ${last} passage${last === 1 ? '' : 's'} instead of ${previous}.`).waitFor();
      expect(await log.getByRole('alert').count()).toBe(0);
      expect(await log.getByRole('list', { name: 'Sources' }).getByRole('listitem').count()).toBe(last);
    } finally {
      proxy.claimContext = null;
    }
  });
});
