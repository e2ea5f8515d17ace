import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/support/chromium';
import { PROBES_SCRIPT } from './probes';

/**
 * Chromium for the benchmark: Debian's, with the tests' flags, but with a persistent
 * profile in a fresh folder for every measurement. The tests' incognito-like contexts keep
 * IndexedDB in memory; a person's browser keeps it on disk, and disk is what the figures
 * must include.
 */

export interface Profile {
  context: BrowserContext;
  /** A new tab with the probes installed. */
  newPage(): Promise<Page>;
  /** Closes the browser and deletes the profile. */
  close(): Promise<void>;
}

export function requireChromium(): string {
  const path = chromiumPath();
  if (!path) throw new Error('Chromium is missing: sudo apt-get install chromium (or set MEMORY_CACHE_CHROMIUM)');
  return path;
}

export function chromiumVersion(): string {
  try {
    // Debian's wrapper script prints shell noise on stderr on some machines: only stdout counts.
    return execFileSync(requireChromium(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export async function openProfile(profilesDir: string): Promise<Profile> {
  mkdirSync(profilesDir, { recursive: true });
  const dir = mkdtempSync(join(profilesDir, 'profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: requireChromium(),
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  // A persistent context opens with one blank tab; measuring in it would share its process.
  const blank = context.pages();
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      await page.addInitScript(PROBES_SCRIPT);
      for (const tab of blank.splice(0)) await tab.close();
      return page;
    },
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Adds files the way a person does, through the "Add PDFs" button and its file chooser (paths, not buffers: the PDFs may be large). */
export async function addFilesByPath(page: Page, paths: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Add PDFs' }).click();
  await (await chooser).setFiles(paths);
}
