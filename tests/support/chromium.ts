import { existsSync } from 'node:fs';

/** Debian's Chromium, or the one named by MEMORY_CACHE_CHROMIUM. */
export function chromiumPath(): string | null {
  const path = process.env.MEMORY_CACHE_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

/**
 * Flags for a headless Chromium on a machine with no network and no GPU: without the
 * background-networking ones it keeps trying to reach Google's hosts.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
