import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * The native yardstick: Poppler's pdftotext on the same files. It writes to /dev/null, so
 * the figure is parsing and text extraction, as the app's is (the app also chunks, stores
 * and indexes, which is the point of the comparison).
 */

export function pdftotextVersion(): string | null {
  const result = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  if (result.error) return null;
  const line = `${result.stderr}${result.stdout}`.split('\n').find((l) => /pdftotext version/i.test(l));
  return line?.trim() ?? 'pdftotext (version unknown)';
}

function runOne(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pdftotext', ['-q', '-enc', 'UTF-8', path, '/dev/null'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pdftotext exited with ${code} on ${path}`))));
  });
}

/** Milliseconds to extract every file, with at most `parallel` pdftotext processes at a time. */
export async function timePdftotext(paths: string[], parallel = 1): Promise<number> {
  const queue = [...paths];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.max(1, parallel) }, async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) await runOne(path);
    }),
  );
  return performance.now() - started;
}
