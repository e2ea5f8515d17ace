import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { buildAppIfStale, distDir, repoRoot } from '../../embed/build-app';
import { findLlamaServer, startLlamaServer } from '../../embed/llama-server';
import { serveStatic } from '../../embed/static-server';
import { testModelPath } from '../../tests/e2e/global-setup';

/**
 * What the browser loads: the built app exactly as in dist/, with the bench page beside it
 * in bench/ so that both share one origin and so one IndexedDB. Served as the tests serve
 * the app: by a real llama-server with `--path` and the generated test model, so that
 * /completion exists; without a llama-server, by the static server of `npm start`.
 */

export const BENCH_PAGE_PATH = 'bench/index.html';

export interface Site {
  /** Where the app is served, ending in '/'. */
  url: string;
  dir: string;
  /** Which server serves it, for the report. */
  server: string;
  stop(): Promise<void>;
}

/** Builds dist/ when stale (as `npm start` does) and the bench page, and copies both into one folder. */
export async function buildSite(cacheDir: string, log: (line: string) => void): Promise<string> {
  await buildAppIfStale(log);
  if (!existsSync(join(distDir, 'index.html'))) throw new Error('dist/ was not built');
  const dir = resolve(cacheDir, 'site');
  rmSync(dir, { recursive: true, force: true });
  cpSync(distDir, dir, { recursive: true });
  await build({
    configFile: false,
    root: join(repoRoot, 'bench', 'page'),
    base: './',
    logLevel: 'warn',
    publicDir: false,
    build: { outDir: join(dir, 'bench'), emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  });
  return dir;
}

/** The llama-server to use, installing one as `npm test` does when there is none (null if that fails). */
function ensureLlamaServer(log: (line: string) => void): string | null {
  const found = findLlamaServer();
  if (found) return found;
  log('No llama-server found: installing one with embed/setup-llama-server.sh …');
  try {
    execFileSync('bash', [join(repoRoot, 'embed', 'setup-llama-server.sh')], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    return null;
  }
  return findLlamaServer();
}

export async function serveSite(dir: string, log: (line: string) => void): Promise<Site> {
  if (ensureLlamaServer(log)) {
    const model = await testModelPath();
    const server = await startLlamaServer({ model, staticDir: dir, ctxSize: 4096 });
    return { url: `${server.url}/`, dir, server: 'llama-server (generated test model)', stop: () => server.stop() };
  }
  log('No llama-server found (bash embed/setup-llama-server.sh installs one): serving the app without a model.');
  const server = await serveStatic(dir, '127.0.0.1', 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    dir,
    server: 'static server (no llama-server: no /completion)',
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
