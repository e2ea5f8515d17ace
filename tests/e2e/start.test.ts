import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { addFiles, launchBrowser, libraryItem, openApp, pdfFile, searchResults } from './browser';
import { TIDE_POOLS, tidePoolsPdf } from '../support/corpus';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('npm start without a model', () => {
  it('serves the app alone: library and search work, and the page says no model is connected', async () => {
    const port = await freePort();
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['embed/start.ts', '--port', String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await expect.poll(() => output, { timeout: 60_000 }).toContain(`http://127.0.0.1:${port}/`);
      const { page } = await openApp(browser, `http://127.0.0.1:${port}/`);
      await expect.poll(() => page.getByRole('status').innerText()).toContain('No model server connected');
      await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
      await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
      await page.getByRole('searchbox', { name: 'Search your library' }).fill('spring tide');
      await expect.poll(() => searchResults(page).first().innerText()).toContain('page 3');
      await page.close();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
