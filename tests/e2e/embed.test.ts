import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { listFiles } from '../../embed/dist-files';
import { findLlamaServer, startLlamaServer } from '../../embed/llama-server';
import { openZip } from '../../embed/zip-entries';
import { addFiles, launchBrowser, libraryItem, openApp, pdfFile, searchResults } from './browser';
import { TIDE_POOLS, tidePoolsPdf } from '../support/corpus';
import { openedBrowser, unpackedDir, writeFakeLlamafile, writeFakeZipalign, zipalignCallsOf, type FakeVersion } from '../support/fake-llamafile';
import { freePort, runProcess, startProcess } from '../support/processes';

/**
 * `npm run embed` against a stand-in llamafile (tests/support/fake-llamafile.ts: a program,
 * then a zip holding `.args` and the generated GGUF model), checked with Info-ZIP's unzip,
 * then the app unpacked from the result served by the real llama-server.
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = join(root, 'dist');
// As npm run embed runs it: node itself with tsx's loader.
const node = [process.execPath, '--import', 'tsx'];
const modelPath = inject('modelPath');
let work: string;
let source: string;
let programBytes: number;
let browser: Browser;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function embed(...args: string[]) {
  return runProcess(node[0], [...node.slice(1), 'embed/embed.ts', ...args], { cwd: root });
}

function unzip(...args: string[]): string {
  return execFileSync('unzip', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'embed-test-'));
  source = join(work, 'in.llamafile');
  const llamaServer = findLlamaServer();
  if (!llamaServer) throw new Error('llama-server is missing: bash embed/setup-llama-server.sh');
  programBytes = writeFakeLlamafile(source, {
    version: '0.9.3',
    llamaServer,
    files: { '.args': '-m\ntest-model.gguf\n...\n', 'test-model.gguf': readFileSync(modelPath) },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm run embed', () => {
  const out = () => join(work, 'memory-cache.llamafile');
  const unpacked = () => join(work, 'unpacked');

  it('copies the llamafile, adds the app and a .args that serves it, and leaves the llamafile as it was', async () => {
    const before = { hash: sha256(source), mtime: statSync(source).mtimeMs };
    const { code, output } = await embed('--llamafile', source, '--out', out(), '--', '--ctx-size', '2048');
    expect(output).toContain('Checking the result');
    expect(code, output).toBe(0);
    expect(output).toContain(`${out()} --server`);
    expect(output).toMatch(/0\.9\.x needs --server on the command line/);

    // The whole llamafile, program and zip, comes first, byte for byte.
    const original = readFileSync(source);
    const result = readFileSync(out());
    expect(result.subarray(0, programBytes).equals(original.subarray(0, programBytes))).toBe(true);
    expect(result.subarray(0, original.length).equals(original)).toBe(true);
    expect(statSync(out()).mode & 0o111).toBe(0o111);
    expect({ hash: sha256(source), mtime: statSync(source).mtimeMs }).toEqual(before);

    unzip('-t', out());
    const built = listFiles(dist);
    const names = unzip('-Z1', out()).split('\n').filter(Boolean).sort();
    expect(names).toEqual(['.args', ...built.map((file) => `memory-cache/${file}`), 'test-model.gguf'].sort());
    expect(unzip('-p', out(), '.args')).toBe('-m\ntest-model.gguf\n--path\n/zip/memory-cache\n--ctx-size\n2048\n...\n');

    unzip('-qq', out(), '-d', unpacked());
    for (const file of built) {
      expect(readFileSync(join(unpacked(), 'memory-cache', file)).equals(readFileSync(join(dist, file))), file).toBe(true);
    }
  });

  it('works as shipped: the unpacked app, served by the real llama-server, reads a PDF, finds it, and answers', async () => {
    const server = await startLlamaServer({ model: join(unpacked(), 'test-model.gguf'), staticDir: join(unpacked(), 'memory-cache'), ctxSize: 4096 });
    try {
      const { page, errors, cspViolations } = await openApp(browser, `${server.url}/`);
      const failed: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      await page.getByRole('status').filter({ hasText: 'Model connected' }).waitFor();
      await addFiles(page, [pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
      await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
      await page.getByRole('searchbox', { name: 'Search your library' }).fill('spring tide');
      await expect.poll(() => searchResults(page).first().innerText()).toContain('page 3');

      const answered = page.waitForResponse((response) => response.url().endsWith('/completion'));
      await page.getByRole('textbox', { name: 'Ask your library' }).fill('When do spring tides come?');
      await page.getByRole('button', { name: 'Send' }).click();
      expect((await answered).status()).toBe(200);
      await page.getByRole('log', { name: 'Conversation' }).getByRole('button', { name: 'Regenerate' }).waitFor();

      expect(errors).toEqual([]);
      expect(cspViolations).toEqual([]);
      expect(failed).toEqual([]);
      await page.close();
    } finally {
      await server.stop();
    }
  });

  for (const version of ['0.9.3', '0.10.0'] as FakeVersion[]) {
    it(`runs as the llamafile ${version} it is: --server on the command line, .args supplies the model and the app`, async () => {
      // Each generation reads .args its own way (0.9: a line is an argument; 0.10: words).
      const input = join(work, `in-${version}.llamafile`);
      writeFakeLlamafile(input, {
        version,
        llamaServer: findLlamaServer() as string,
        files: { '.args': '-m\ntest-model.gguf\n...\n', 'test-model.gguf': readFileSync(modelPath) },
      });
      const built = join(work, `shipped-${version}.llamafile`);
      const made = await embed('--llamafile', input, '--out', built);
      expect(made.code, made.output).toBe(0);
      const port = await freePort();
      const running = startProcess(built, ['--server', '--host', '127.0.0.1', '--port', String(port)]);
      try {
        const url = `http://127.0.0.1:${port}`;
        let ended = false;
        void running.exited.then(() => (ended = true));
        await expect
          .poll(async () => ended || (await fetch(`${url}/health`).catch(() => null))?.status === 200, { timeout: 60_000 })
          .toBe(true);
        expect(ended, running.output()).toBe(false);
        expect(Buffer.from(await (await fetch(`${url}/`)).arrayBuffer()).equals(readFileSync(join(dist, 'index.html')))).toBe(true);
        // What a person sees: 0.9 opens a browser by itself (the stand-in records it), 0.10 does not.
        expect(openedBrowser(built)).toBe(version === '0.9.3');
      } finally {
        running.child.kill('SIGTERM');
        await running.exited;
        rmSync(unpackedDir(built), { recursive: true, force: true });
      }
    });
  }

  it('uses llamafile\u2019s zipalign beside the llamafile: the model in a call of its own, the whole app and .args in one, stored', async () => {
    const folder = join(work, 'release');
    mkdirSync(folder, { recursive: true });
    const input = join(folder, 'llamafile');
    copyFileSync(source, input);
    const zipalign = join(folder, 'zipalign');
    writeFakeZipalign(zipalign);
    const model = join(work, 'Zip Model.gguf');
    copyFileSync(modelPath, model);
    const result = join(work, 'by-zipalign.llamafile');
    const { code, output } = await embed('--llamafile', input, '--model', model, '--out', result);
    expect(code, output).toBe(0);
    expect(output).toContain(`Adding the app with ${zipalign}`);
    expect(readFileSync(result).subarray(0, statSync(input).size).equals(readFileSync(input))).toBe(true);

    unzip('-t', result);
    const built = listFiles(dist);
    const app = built.map((file) => `memory-cache/${file}`);
    expect(unzip('-Z1', result).split('\n').filter(Boolean).sort()).toEqual(['.args', ...app, 'Zip_Model.gguf', 'test-model.gguf'].sort());
    expect(unzip('-p', result, '.args')).toBe('-m\n/zip/Zip_Model.gguf\n--path\n/zip/memory-cache\n...\n');

    const calls = zipalignCallsOf(zipalign);
    expect(calls).toHaveLength(2);
    const [modelCall, appCall] = calls;
    // The weights: stored, zipalign's own 64 KiB alignment, named by the name .args gives them.
    expect(modelCall.args.slice(0, 2)).toEqual(['-j', '-0']);
    expect(modelCall.args[2]).toMatch(/\/\.by-zipalign\.llamafile\.partial-\d+$/);
    expect(appCall.args[3]).toBe(modelCall.args[2]);
    expect(modelCall.args[3]).toMatch(/\/Zip_Model\.gguf$/);
    expect(modelCall.args).toHaveLength(4);
    // The app: one call, paths kept (no -j), every file named, small alignment, stored.
    expect(appCall.args.slice(0, 3)).toEqual(['-0', '-a', '64']);
    expect(appCall.args).not.toContain('-j');
    expect(appCall.args.slice(4).sort()).toEqual(['.args', ...app].sort());
    expect(existsSync(appCall.cwd)).toBe(false);

    const zip = await openZip(result);
    try {
      for (const name of [...app, '.args', 'Zip_Model.gguf']) expect(zip.entries.get(name)?.method, name).toBe(0);
      expect((await zip.dataOffset('Zip_Model.gguf')) % 65536).toBe(0);
      // Small alignment: the app's files are not each padded to 64 KiB.
      const offsets = await Promise.all(app.map((name) => zip.dataOffset(name)));
      expect(offsets.every((offset) => offset % 64 === 0)).toBe(true);
      expect(offsets.filter((offset) => offset % 65536 !== 0).length).toBeGreaterThan(app.length / 2);
    } finally {
      zip.close();
    }
  });

  it('ignores a zipalign that is not llamafile\u2019s (Android\u2019s), and writes the entries itself', async () => {
    const folder = join(work, 'android');
    mkdirSync(folder, { recursive: true });
    const input = join(folder, 'in.llamafile');
    copyFileSync(source, input);
    const zipalign = join(folder, 'zipalign');
    writeFakeZipalign(zipalign, 'android');
    const result = join(work, 'not-by-android.llamafile');
    const { code, output } = await embed('--llamafile', input, '--out', result);
    expect(code, output).toBe(0);
    expect(output).toContain('using the built-in zip writer');
    // Asked for its help once, and given nothing to do.
    expect(readFileSync(`${zipalign}.calls`, 'utf8')).toBe('-h\n');
    unzip('-t', result);
  });

  it('adds a model: stored, on a 64 KiB boundary, named in .args under /zip/; --gpu adds -ngl 999', async () => {
    const model = join(work, 'My Model.gguf');
    copyFileSync(modelPath, model);
    const withModel = join(work, 'with-model.llamafile');
    const { code, output } = await embed('--llamafile', source, '--model', model, '--gpu', '--out', withModel);
    expect(code, output).toBe(0);
    unzip('-t', withModel);
    expect(unzip('-p', withModel, '.args')).toBe('-m\n/zip/My_Model.gguf\n--path\n/zip/memory-cache\n-ngl\n999\n...\n');
    const zip = await openZip(withModel);
    try {
      const entry = zip.entries.get('My_Model.gguf');
      expect(entry?.method).toBe(0);
      expect(entry?.size).toBe(statSync(modelPath).size);
      expect((await zip.dataOffset('My_Model.gguf')) % 65536).toBe(0);
    } finally {
      zip.close();
    }

    // Built again from its own output, the app is replaced whole.
    const again = join(work, 'again.llamafile');
    const second = await embed('--llamafile', withModel, '--out', again);
    expect(second.code, second.output).toBe(0);
    const names = unzip('-Z1', again).split('\n').filter(Boolean);
    expect(names.filter((name) => name.startsWith('memory-cache/')).length).toBe(listFiles(dist).length);
    expect(unzip('-p', again, '.args')).toBe('-m\n/zip/My_Model.gguf\n-ngl\n999\n--path\n/zip/memory-cache\n...\n');
  });

  it('builds the app first when dist/ is older than its sources', async () => {
    const index = join(dist, 'index.html');
    const builtByVite = readdirSync(join(dist, 'assets')).sort();
    const longAgo = new Date('2001-01-01T00:00:00Z');
    utimesSync(index, longAgo, longAgo);
    const rebuilt = join(work, 'rebuilt.llamafile');
    const { code, output } = await embed('--llamafile', source, '--out', rebuilt);
    expect(code, output).toBe(0);
    expect(output).toContain('Building the app');
    expect(statSync(index).mtimeMs).toBeGreaterThan(longAgo.getTime());
    // The same production build as \`vite build\` (file names carry content hashes), though
    // this test runs with NODE_ENV=test.
    expect(readdirSync(join(dist, 'assets')).sort()).toEqual(builtByVite);
    expect(unzip('-p', rebuilt, 'memory-cache/index.html')).toBe(readFileSync(index, 'utf8'));
  });

  it('builds the app again when tsconfig.json changed after it', async () => {
    const index = join(dist, 'index.html');
    const tsconfig = join(root, 'tsconfig.json');
    const before = statSync(tsconfig);
    const now = Date.now() / 1000;
    // dist/ newer than every other source, tsconfig.json newer still.
    utimesSync(index, now, now);
    utimesSync(tsconfig, now + 60, now + 60);
    try {
      const { code, output } = await embed('--llamafile', source, '--out', join(work, 'tsconfig.llamafile'));
      expect(code, output).toBe(0);
      expect(output).toContain('Building the app');
    } finally {
      utimesSync(tsconfig, before.atime, before.mtime);
    }
  });

  describe('refuses, changing nothing', () => {
    async function refused(args: string[], message: RegExp, outPath: string, run = embed): Promise<void> {
      const sourceBefore = sha256(source);
      const existed = existsSync(outPath) ? sha256(outPath) : null;
      const { code, output } = await run(...args);
      expect(code, output).toBe(1);
      expect(output).toMatch(message);
      expect(output).toContain('Nothing was changed.');
      expect(sha256(source)).toBe(sourceBefore);
      expect(existsSync(outPath) ? sha256(outPath) : null).toBe(existed);
      expect(readdirSync(resolve(outPath, '..')).filter((name) => name.includes('.partial-'))).toEqual([]);
    }

    it('a file that is not a llamafile, or a plain zip', async () => {
      const text = join(work, 'notes.txt');
      writeFileSync(text, 'not a program\n');
      await refused(['--llamafile', text, '--out', join(work, 'r1')], /is not a llamafile: there is no zip archive/, join(work, 'r1'));
      const plain = join(work, 'plain.zip');
      execFileSync('zip', ['-q', '-j', plain, text]);
      await refused(['--llamafile', plain, '--out', join(work, 'r2')], /plain zip archive, not a llamafile/, join(work, 'r2'));
    });

    it('a GGUF model, or llamafile\u2019s release zip, given as the llamafile, saying what to give instead', async () => {
      await refused(['--llamafile', modelPath, '--out', join(work, 'r5')], /is a GGUF model, not a llamafile: give it with --model/, join(work, 'r5'));
      const release = join(work, 'llamafile-0.10.0.zip');
      mkdirSync(join(work, 'unzipped/llamafile-0.10.0/bin'), { recursive: true });
      writeFileSync(join(work, 'unzipped/llamafile-0.10.0/bin/llamafile'), '#!/bin/sh\n');
      execFileSync('zip', ['-q', '-r', release, 'llamafile-0.10.0'], { cwd: join(work, 'unzipped') });
      await refused(['--llamafile', release, '--out', join(work, 'r6')], /release zip, not a llamafile\. Unpack it: the llamafile is llamafile-0\.10\.0\/bin\/llamafile inside/, join(work, 'r6'));
    });

    it('a llamafile whose .args names a model it does not hold, unless --model gives one', async () => {
      const hollow = join(work, 'hollow.llamafile');
      writeFakeLlamafile(hollow, { version: '0.10.0', llamaServer: '/bin/false', files: { '.args': '-m /zip/gone.gguf\n...\n' } });
      await refused(['--llamafile', hollow, '--out', join(work, 'r7')], /\.args names the model gone\.gguf, which is not inside it: add a model with --model/, join(work, 'r7'));
      const fixed = await embed('--llamafile', hollow, '--model', modelPath, '--out', join(work, 'r7'));
      expect(fixed.code, fixed.output).toBe(0);
    });

    it('a model that is not GGUF', async () => {
      const notModel = join(work, 'model.bin');
      writeFileSync(notModel, 'PK\x03\x04 not weights');
      await refused(['--llamafile', source, '--model', notModel, '--out', join(work, 'r3')], /is not a GGUF model file/, join(work, 'r3'));
    });

    it('an output that exists, unless --force; the llamafile itself, always', async () => {
      const existing = join(work, 'existing.llamafile');
      writeFileSync(existing, 'keep me');
      await refused(['--llamafile', source, '--out', existing], /exists\. Use --force/, existing);
      await refused(['--llamafile', source, '--out', source, '--force'], /--out is the llamafile itself/, source);
      const forced = await embed('--llamafile', source, '--out', existing, '--force');
      expect(forced.code, forced.output).toBe(0);
      unzip('-t', existing);
    });

    it('when there is no room for the result', async () => {
      // A 1 MiB file system of its own, in a mount namespace of its own: gone when it exits.
      const tiny = join(work, 'tiny');
      mkdirSync(tiny);
      const target = join(tiny, 'out.llamafile');
      const inTinyFs = (...args: string[]) =>
        runProcess('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs -o size=1m none "$0" && exec "$@"', tiny, ...node, 'embed/embed.ts', ...args], { cwd: root });
      await refused(['--llamafile', source, '--out', target], /Not enough room in .*tiny/, target, inTinyFs);
    });
  });
});
