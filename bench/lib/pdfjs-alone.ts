import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../../embed/build-app';

/**
 * The engine's own pace: pdf.js (the app's version, its build for Node) reading the text of
 * the same files in one thread, with nothing else to do: no chunks, no storage, no index,
 * no browser. It shows how much of the distance to pdftotext is pdf.js's own, and how much
 * the rest of an import adds.
 */

const PDFJS = join(repoRoot, 'node_modules', 'pdfjs-dist');

export async function timePdfjsAlone(paths: string[]): Promise<number> {
  const pdfjs = await import(join(PDFJS, 'legacy', 'build', 'pdf.mjs'));
  // The parser in this thread, as the app's import workers run it.
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(join(PDFJS, 'legacy', 'build', 'pdf.worker.mjs'));
  const options = { standardFontDataUrl: `${join(PDFJS, 'standard_fonts')}/`, cMapUrl: `${join(PDFJS, 'cmaps')}/`, cMapPacked: true, isEvalSupported: false, verbosity: 0 };
  const started = performance.now();
  for (const path of paths) {
    const pdf = await pdfjs.getDocument({ data: new Uint8Array(await readFile(path)), ...options }).promise;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      await page.getTextContent();
      page.cleanup();
    }
    await pdf.destroy();
  }
  return performance.now() - started;
}
