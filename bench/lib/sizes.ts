import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Profile } from './browser';

/**
 * Download sizes. First visit: every script the page requests while it opens, in a fresh
 * profile (nothing cached), until the network is idle; each file gzipped with node:zlib at
 * its default level, as a web server would send it. dist/: every file gzipped on its own.
 */

export interface FileSize {
  path: string;
  bytes: number;
  gzip: number;
}

export interface SizeTotals {
  files: FileSize[];
  bytes: number;
  gzip: number;
}

function sizeOf(root: string, path: string): FileSize {
  const data = readFileSync(path);
  return { path: relative(root, path), bytes: data.byteLength, gzip: gzipSync(data).byteLength };
}

function totals(files: FileSize[]): SizeTotals {
  return { files, bytes: files.reduce((t, f) => t + f.bytes, 0), gzip: files.reduce((t, f) => t + f.gzip, 0) };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function distSizes(distDir: string): SizeTotals {
  return totals(walk(distDir).map((path) => sizeOf(distDir, path)));
}

/** The scripts the app loads on a first visit, measured from the files served (siteDir mirrors dist/). */
export async function firstVisitScripts(profile: Profile, appUrl: string, siteDir: string): Promise<SizeTotals> {
  const page = await profile.newPage();
  const scripts = new Set<string>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === new URL(appUrl).origin && (request.resourceType() === 'script' || /\.m?js$/.test(url.pathname))) scripts.add(url.pathname);
  });
  await page.goto(appUrl, { waitUntil: 'networkidle' });
  await page.getByRole('searchbox', { name: 'Search your library' }).waitFor();
  await page.waitForTimeout(1000);
  await page.close();
  const base = new URL(appUrl).pathname;
  return totals([...scripts].sort().map((path) => sizeOf(siteDir, join(siteDir, decodeURIComponent(path.slice(base.length))))));
}
