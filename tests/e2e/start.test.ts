import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { findLlamaServer, startLlamaServer } from '../../embed/llama-server';
import { addFiles, launchBrowser, libraryItem, openApp, pdfFile, searchResults } from './browser';
import { TIDE_POOLS, tidePoolsPdf } from '../support/corpus';
import { openedBrowser, writeFakeLlamafile, type FakeVersion } from '../support/fake-llamafile';
import { commandLine, descendants, freePort, isGone, runProcess, startProcess, type Running } from '../support/processes';

/**
 * `npm start` in every setup this machine can run: a GGUF model (real llama-server), a model
 * server already running (the suite's llama-server), none, and a llamafile of each generation
 * (stand-ins that run the real llama-server: tests/support/fake-llamafile.ts). Each is checked
 * with a request for the page and one for /health, and Ctrl-C must leave no process behind.
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
// As npm start runs it: node itself with tsx's loader, so that signals reach it directly.
const TSX = ['--import', 'tsx'];
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
async function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const port = await freePort();
  const running = startProcess(process.execPath, [...TSX, 'embed/start.ts', ...args, '--port', String(port), '--no-open'], {
    cwd: root,
    env: { ...process.env, ...env },
  });
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
    // The hint is printed after the line that says it is running: it may not have arrived yet.
    await expect.poll(() => app.running.output()).toContain('npm start -- --llamafile');
    await expectPage(app.url);
    expect((await fetch(`${app.url}health`)).status).toBe(404);

    const { page } = await openApp(browser, app.url);
    await expect.poll(() => page.getByRole('status').innerText()).toContain('No model server connected');
    // The page says how to connect one, in the words a person types.
    const explanation = page.getByText('Chat needs a model server');
    for (const way of ['npm start -- --llamafile FILE', 'npm start -- --model FILE.gguf', 'npm start -- --server URL', 'Run a llamafile']) {
      expect(await explanation.innerText()).toContain(way);
    }
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

  it('with --server URL: serves the app and passes the server routes on, streaming (MEMORY_CACHE_MODEL set does not stand in its way)', async () => {
    const app = await start(['--server', appUrl], { MEMORY_CACHE_MODEL: modelPath });
    await expectPage(app.url);
    const health = await fetch(`${app.url}health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const completion = await fetch(`${app.url}completion`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // Greedy, so the same bytes come every run (sampled bytes can all be held back as part characters).
      body: JSON.stringify({ prompt: 'Tide pools', n_predict: 16, temperature: 0, ignore_eos: true, stream: true }),
    });
    expect(completion.status).toBe(200);
    const events = (await completion.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)) as { stop: boolean; tokens_predicted?: number });
    // The test model's byte tokens may not form whole UTF-8 characters one by one; the server
    // then holds them back and sends them together, so there is no event per token. What
    // shows the stream passed through whole: more than one event, and the server's own final
    // event saying all sixteen tokens were generated.
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[events.length - 1]).toMatchObject({ stop: true, tokens_predicted: 16 });

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
      // The newer one also loads slowly, as a large model does: the terminal says how it goes.
      const slow = version === '0.10.0';
      writeFakeLlamafile(llamafile, {
        version,
        llamaServer: findLlamaServer() as string,
        files: { '.args': '-m\ntest-model.gguf\n...\n', 'test-model.gguf': readFileSync(modelPath) },
        startDelaySeconds: slow ? 12 : 0,
      });
      const other = join(work, 'other.gguf');
      copyFileSync(modelPath, other);
      // MEMORY_CACHE_MODEL stands for --model alone: the llamafile keeps its own model.
      const app = await start(['--llamafile', llamafile], { MEMORY_CACHE_MODEL: other });
      expect(app.running.output()).toContain(`(llamafile ${version})`);
      expect(serverCommandLine(app)).not.toContain(other);
      expect(openedBrowser(llamafile)).toBe(false);
      if (slow) expect(app.running.output()).toMatch(/Still starting \(1\d s\): llama_model_loader: loading the model \(fake/);
      await expectPage(app.url);
      expect((await fetch(`${app.url}health`)).status).toBe(200);
      // The stand-in refuses the arguments its version would refuse, so it serving at all
      // shows they were right; it also passed on the model from its own .args.
      expect(serverCommandLine(app).join(' ')).toMatch(/-m \S+test-model\.gguf .*--path \S+\/dist/);
      await ctrlC(app);
    });
  }

  it('refuses a GGUF model or llamafile\u2019s release zip given as the llamafile, saying what to do instead', async () => {
    const run = (file: string) => runProcess(process.execPath, [...TSX, 'embed/start.ts', '--llamafile', file, '--no-open'], { cwd: root });
    const asGguf = await run(modelPath);
    expect(asGguf.code).toBe(1);
    expect(asGguf.output).toContain(`${modelPath} is a GGUF model, not a llamafile: npm start -- --model`);
    const release = join(work, 'llamafile-0.9.3.zip');
    mkdirSync(join(work, 'release/llamafile-0.9.3/bin'), { recursive: true });
    writeFileSync(join(work, 'release/llamafile-0.9.3/bin/llamafile'), '#!/bin/sh\n');
    execFileSync('zip', ['-q', '-r', release, 'llamafile-0.9.3'], { cwd: join(work, 'release') });
    const asZip = await run(release);
    expect(asZip.code).toBe(1);
    expect(asZip.output).toContain("is llamafile's release zip, not a llamafile. Unpack it: the llamafile is llamafile-0.9.3/bin/llamafile inside");
  });

  it('reports a model server that fails to start, with its last lines', async () => {
    const broken = join(work, 'broken.gguf');
    writeFileSync(broken, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(64, 0xff)]));
    const port = await freePort();
    const running = startProcess(process.execPath, [...TSX, 'embed/start.ts', '--model', broken, '--port', String(port), '--no-open'], { cwd: root });
    started.push(running);
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('llama-server did not start');
    expect(running.output()).toMatch(/failed to load model/);
  });
});

/** Processes whose process group is `pgid`, from /proc (Linux). */
function groupMembers(pgid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') found.push(Number(name));
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

/**
 * What a person does on a fresh clone: `npm start` (or `npm run dev`) through npm, with no
 * node_modules/, no dist/ and no llama-server, paths typed relative to where they stand, and
 * Ctrl-C from the terminal, which signals the whole process group (npm, its shell, tsx, node,
 * the model server), not one process.
 */
describe('npm start on a fresh clone, through npm', () => {
  let clone: string;
  let cloneEnv: NodeJS.ProcessEnv;
  const groups: number[] = [];

  beforeAll(() => {
    clone = join(work, 'clone');
    // The files a clone has: tracked ones, and new ones not ignored (a symlinked node_modules is neither).
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file && file !== 'node_modules' && !file.startsWith('.cache/') && existsSync(join(root, file)));
    for (const file of files) cpSync(join(root, file), join(clone, file));
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => !existsSync(join(dir, 'llama-server')) && !dir.startsWith(join(root, 'node_modules')))
      .join(delimiter);
    cloneEnv = Object.fromEntries(
      Object.entries({ ...process.env, PATH: path }).filter(([key]) => !/^(npm_|INIT_CWD$|MEMORY_CACHE_|NODE_ENV$)/i.test(key)),
    );
  });

  afterEach(() => {
    for (const pgid of groups.splice(0)) {
      for (const pid of groupMembers(pgid)) process.kill(pid, 'SIGKILL');
    }
  });

  /** `npm ARGS` in `cwd` (a folder of the clone), until it prints `ready`. */
  async function npm(args: string[], cwd: string, ready: (output: string) => boolean): Promise<Running> {
    const running = startProcess('npm', args, { cwd, env: cloneEnv, detached: true });
    groups.push(running.child.pid as number);
    let ended = false;
    void running.exited.then(() => (ended = true));
    await expect.poll(() => ended || ready(running.output()), { timeout: 240_000, interval: 250 }).toBe(true);
    expect(ended, running.output()).toBe(false);
    return running;
  }

  async function start(args: string[], cwd = clone): Promise<Started> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const running = await npm(['start', '--', ...args, '--port', String(port), '--no-open'], cwd, (output) => output.includes(`running at ${url}`));
    return { url, running };
  }

  /** Ctrl-C in the terminal: SIGINT to the whole group; then nothing of it may be left. */
  async function ctrlC({ url, running }: Started): Promise<void> {
    const pgid = running.child.pid as number;
    expect(groupMembers(pgid).length).toBeGreaterThan(1);
    process.kill(-pgid, 'SIGINT');
    await running.exited;
    await expect.poll(() => groupMembers(pgid), { timeout: 10_000 }).toEqual([]);
    // From the moment it ran on: installing packages may print warnings of its own.
    expect(running.output().slice(running.output().indexOf('running at'))).not.toMatch(/\berror\b/i);
    await expect(fetch(url)).rejects.toThrow();
  }

  async function expectClonePage(url: string): Promise<void> {
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(Buffer.from(await page.arrayBuffer()).equals(readFileSync(join(clone, 'dist/index.html')))).toBe(true);
  }

  it('without a model: installs the npm packages, builds the app, serves it, and stops on Ctrl-C', { timeout: 300_000 }, async () => {
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const app = await start([]);
    expect(app.running.output()).toContain('Installing npm packages (first run)');
    expect(app.running.output()).toContain('Building the app');
    await expectClonePage(app.url);
    expect((await fetch(`${app.url}health`)).status).toBe(404);
    await ctrlC(app);
  });

  it('with --model, a path relative to where npm runs: installs llama-server first, then serves the app through it', { timeout: 300_000 }, async () => {
    mkdirSync(join(work, 'models'), { recursive: true });
    copyFileSync(modelPath, join(work, 'models', 'test model.gguf'));
    // Run from a subfolder: npm starts the script in the package folder, the path is the person's.
    const app = await start(['--model', '../../models/test model.gguf'], join(clone, 'web'));
    expect(app.running.output()).toContain('No llama-server found: installing one');
    expect(existsSync(join(clone, '.cache/llama-server/bin/llama-server'))).toBe(true);
    await expectClonePage(app.url);
    expect((await fetch(`${app.url}health`)).status).toBe(200);
    const server = groupMembers(app.running.child.pid as number).find((pid) => commandLine(pid).some((arg) => arg.endsWith('/llama-server')));
    expect(commandLine(server as number).join(' ')).toContain(`-m ${join(work, 'models', 'test model.gguf')}`);
    await ctrlC(app);
  });

  it('with --server URL: serves the app and passes the server routes on', { timeout: 120_000 }, async () => {
    const app = await start(['--server', appUrl]);
    await expectClonePage(app.url);
    expect(await (await fetch(`${app.url}health`)).json()).toEqual({ status: 'ok' });
    await ctrlC(app);
    expect((await fetch(`${appUrl}health`)).status).toBe(200);
  });

  it('with --llamafile (0.9, relative path): runs it as a server that opens no browser', { timeout: 120_000 }, async () => {
    const llamafile = join(work, 'fresh-0.9.llamafile');
    writeFakeLlamafile(llamafile, {
      version: '0.9.3',
      llamaServer: findLlamaServer() as string,
      files: { '.args': '-m\ntest-model.gguf\n...\n', 'test-model.gguf': readFileSync(modelPath) },
    });
    const app = await start(['--llamafile', '../fresh-0.9.llamafile']);
    expect(app.running.output()).toContain('(llamafile 0.9.3)');
    await expectClonePage(app.url);
    expect((await fetch(`${app.url}health`)).status).toBe(200);
    expect(openedBrowser(llamafile)).toBe(false);
    await ctrlC(app);
  });

  it('npm run dev: Vite serves the app and passes the server routes to MEMORY_CACHE_SERVER', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    cloneEnv.MEMORY_CACHE_SERVER = appUrl.replace(/\/$/, '');
    try {
      // Vite colours its output where CI is set (picocolors), which splits the URL with escapes.
      const running = await npm(['run', 'dev', '--', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], clone, (output) => output.replace(/\x1b\[[\d;]*m/g, '').includes(`Local:   ${url}`));
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/@vite/client');
      expect(await (await fetch(`${url}health`)).json()).toEqual({ status: 'ok' });
      await ctrlC({ url, running });
    } finally {
      delete cloneEnv.MEMORY_CACHE_SERVER;
    }
  });
});
