import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Builds dist/ when it is missing or older than anything it is built from. */

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const distDir = join(repoRoot, 'dist');

const SOURCES = ['web', 'public', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

export function appIsStale(): boolean {
  const built = join(distDir, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(repoRoot, source)) > builtAt);
}

export async function buildAppIfStale(log: (message: string) => void = console.log): Promise<void> {
  if (!appIsStale()) return;
  log('Building the app…');
  // Built beside dist/ and swapped in whole: a build that fails leaves the last good app.
  const work = join(repoRoot, '.cache');
  mkdirSync(work, { recursive: true });
  const next = join(work, `dist-building-${process.pid}`);
  const old = join(work, `dist-old-${process.pid}`);
  // The caller's NODE_ENV (a test runner's "test", a shell's "development") would make Vite
  // and Svelte build a development app: larger and slower than what `vite build` makes.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(repoRoot, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
    if (existsSync(distDir)) renameSync(distDir, old);
    renameSync(next, distDir);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    rmSync(next, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}
