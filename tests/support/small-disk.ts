import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real small disk for a browser profile: a tmpfs mounted for the test. When it fills,
 * Chromium's IndexedDB fails the way it does on a full disk (QuotaExceededError when the
 * transaction aborts). Chromium's quota override (CDP Storage.overrideQuotaForOrigin) has
 * no effect in the headless Chromium these tests use, so a full disk it is. Needs root,
 * as the tests have in CI and on these machines.
 */

export interface SmallDisk {
  dir: string;
  /** Fills the disk until only `bytes` are free. */
  leaveFree(bytes: number): void;
  /** Frees what leaveFree took. */
  makeRoom(): void;
  unmount(): void;
}

export function mountSmallDisk(megabytes: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'memory-cache-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  } catch (error) {
    throw new Error(`mounting a ${megabytes} MB tmpfs for the full-disk test needs root: ${String(error)}`);
  }
  const filler = join(dir, 'filler');
  const free = () => {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  };
  return {
    dir,
    leaveFree(bytes) {
      mkdirSync(filler, { recursive: true });
      for (let i = 0; free() > bytes + 4096; i++) writeFileSync(join(filler, String(i)), Buffer.alloc(Math.max(4096, Math.min(free() - bytes, 1 << 20))));
    },
    makeRoom() {
      rmSync(filler, { recursive: true, force: true });
    },
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
