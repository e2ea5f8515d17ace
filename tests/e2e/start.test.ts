import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { findLlamaServer, startLlamaServer } from '../../embed/llama-server';
import { addFiles, launchBrowser, libraryItem, openApp, pdfFile, searchResults } from './browser';
import { TIDE_POOLS, tidePoolsPdf } from '../support/corpus';
import { writeFakeLlamafile, type FakeVersion } from '../support/fake-llamafile';
import { commandLine, descendants, freePort, isGone, startProcess, type Running } from '../support/processes';

/**
 * `npm start` in every setup this machine can run: a GGUF model (real llama-server), a model
 * server already running (the suite's llama-server), none, and a llamafile of each generation
 * (stand-ins that run the real llama-server: tests/support/fake-llamafile.ts). Each is checked
 * with a request for the page and one for /health, and Ctrl-C must leave no process behind.
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const indexHtml = () => readFileSync(join(root, 'dist/index.html'));
const appUrl = inject('appUrl');
const modelPath = inject('modelPath');
let browser: Browser;
let work: string;
const started: Running[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  work = mkdtempSync(join(tmpdir(), 'start-test-'));
});

afterEach(() => {
  // A failed test must not leave its servers running; the tests themselves stop them.
  for (const running of started.splice(0)) {
    for (const pid of [...descendants(running.child.pid ?? -1), running.child.pid ?? -1]) {
      if (pid > 0 && !isGone(pid)) process.kill(pid, 'SIGKILL');
    }
  }
});

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Started {
  url: string;
  running: Running;
}

/** `npm start -- ARGS --port P --no-open`, waiting until it says where it runs. */
async function start(args: string[]): Promise<Started> {
  const port = await freePort();
  const running = startProcess(join(root, 'node_modules/.bin/tsx'), ['embed/start.ts', ...args, '--port', String(port), '--no-open'], { cwd: root });
  started.push(running);
  const url = `http://127.0.0.1:${port}/`;
  let ended = false;
  void running.exited.then(() => (ended = true));
  await expect.poll(() => ended || running.output().includes(`running at ${url}`), { timeout: 90_000 }).toBe(true);
  expect(ended, running.output()).toBe(false);
  return { url, running };
}

/** Ctrl-C, and then nothing it started may be running, nor anything listening on its port. */
async function ctrlC({ url, running }: Started): Promise<void> {
  const pid = running.child.pid as number;
  const family = descendants(pid);
  running.child.kill('SIGINT');
  expect(await running.exited, running.output()).toBe(0);
  for (const child of family) expect(isGone(child), `process ${child} (${family.length} started) is still running`).toBe(true);
  await expect(fetch(url)).rejects.toThrow();
}

/** The model server `npm start` runs: the llama-server among its descendants. */
function serverCommandLine({ running }: Started): string[] {
  const server = descendants(running.child.pid as number).find((pid) => commandLine(pid).some((arg) => arg.endsWith('/llama-server')));
  expect(server, 'no llama-server among its processes').toBeDefined();
  return commandLine(server as number);
}

async function expectPage(url: string): Promise<void> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(Buffer.from(await page.arrayBuffer()).equals(indexHtml())).toBe(true);
}

describe('npm start', () => {
  it('without a model: serves the app alone; library and search work, and the page says no model is connected', async () => {
    const app = await start([]);
    expect(app.running.output()).toContain('npm start -- --llamafile');
    await expectPage(app.url);
    expect((await fetch(`${app.url}health`)).status).toBe(404);

    const { page } = await openApp(browser, app.url);
    await expect.poll(() => page.getByRole('status').innerText()).toContain('No model server connected');
    await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search your library' }).fill('spring tide');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('page 3');
    await page.close();
    await ctrlC(app);
  });

  it('with --model: runs llama-server with the model and --path dist; --gpu passes -ngl 999', async () => {
    const app = await start(['--model', modelPath, '--gpu']);
    await expectPage(app.url);
    const health = await fetch(`${app.url}health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const args = serverCommandLine(app);
    expect(args.join(' ')).toContain(`-m ${modelPath}`);
    expect(args.join(' ')).toContain(`--path ${join(root, 'dist')}`);
    expect(args.join(' ')).toContain('-ngl 999');
    await ctrlC(app);
  });

  it('with --server URL: serves the app and passes the server routes on, streaming', async () => {
    const app = await start(['--server', appUrl]);
    await expectPage(app.url);
    const health = await fetch(`${app.url}health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const completion = await fetch(`${app.url}completion`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: 'Tide pools', n_predict: 4, stream: true }),
    });
    expect(completion.status).toBe(200);
    const events = (await completion.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)) as { stop: boolean; tokens_predicted?: number });
    // The test model's byte tokens may not form whole UTF-8 characters one by one; the server
    // then holds them back and sends them together, so there is no event per token. What
    // shows the stream passed through whole: more than one event, and the server's own final
    // event saying all four tokens were generated.
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[events.length - 1]).toMatchObject({ stop: true, tokens_predicted: 4 });

    const { page } = await openApp(browser, app.url);
    await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
    await page.close();
    await ctrlC(app);
    // The model server was someone else's: it is still there.
    expect((await fetch(`${appUrl}health`)).status).toBe(200);
  });

  it('with --server URL of a server that wants an API key: the page asks for it, then sends it with every call', async () => {
    const keyed = await startLlamaServer({ model: modelPath, ctxSize: 4096, apiKey: 'tide-key' });
    try {
      const app = await start(['--server', keyed.url]);
      const { page } = await openApp(browser, app.url);
      await page.getByRole('status').filter({ hasText: 'needs an API key' }).waitFor();
      expect(await page.getByRole('textbox', { name: 'Ask your library' }).isDisabled()).toBe(true);

      await page.getByRole('button', { name: 'Settings' }).click();
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await settings.getByLabel(/^API key/).fill('tide-key');
      await settings.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();

      await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
      await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
      const request = page.waitForRequest((r) => r.url().endsWith('/completion'));
      await page.getByRole('textbox', { name: 'Ask your library' }).fill('What do starfish eat?');
      await page.getByRole('button', { name: 'Send' }).click();
      expect((await request).headers().authorization).toBe('Bearer tide-key');
      await page.getByRole('log', { name: 'Conversation' }).getByRole('button', { name: 'Regenerate' }).waitFor();
      // Kept for the session of this tab (not stored unless asked): a reload still has it.
      await page.reload();
      await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      await page.close();
      await ctrlC(app);
    } finally {
      await keyed.stop();
    }
  });

  for (const version of ['0.9.3', '0.10.0'] as FakeVersion[]) {
    it(`with --llamafile (${version}): runs it as a server for dist/, with the arguments that version needs`, async () => {
      const llamafile = join(work, `model-${version}.llamafile`);
      writeFakeLlamafile(llamafile, {
        version,
        llamaServer: findLlamaServer() as string,
        files: { '.args': '-m\ntest-model.gguf\n...\n', 'test-model.gguf': readFileSync(modelPath) },
      });
      const app = await start(['--llamafile', llamafile]);
      expect(app.running.output()).toContain(`(llamafile ${version})`);
      await expectPage(app.url);
      expect((await fetch(`${app.url}health`)).status).toBe(200);
      // The stand-in refuses the arguments its version would refuse, so it serving at all
      // shows they were right; it also passed on the model from its own .args.
      expect(serverCommandLine(app).join(' ')).toMatch(/-m \S+test-model\.gguf .*--path \S+\/dist/);
      await ctrlC(app);
    });
  }

  it('reports a model server that fails to start, with its last lines', async () => {
    const broken = join(work, 'broken.gguf');
    writeFileSync(broken, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(64, 0xff)]));
    const port = await freePort();
    const running = startProcess(join(root, 'node_modules/.bin/tsx'), ['embed/start.ts', '--model', broken, '--port', String(port), '--no-open'], { cwd: root });
    started.push(running);
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('llama-server did not start');
    expect(running.output()).toMatch(/failed to load model/);
  });
});
