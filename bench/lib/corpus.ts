import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePdf } from '../../tests/support/pdfs';
import { TextGenerator } from './synthetic-text';

/**
 * PDF corpora for the ingest figures, made with the tests' PDF maker (pdf-lib, wrapped
 * paragraphs in Helvetica, a heading and a metadata title) from synthetic text of about
 * 2,400 characters a page, the density of a printed article. They are cached under
 * .cache/bench/pdfs/, keyed by their parameters, because making a thousand pages takes a
 * while and the files are the same every time.
 */

/** Bump when the generated files change, so that old caches are not reused. */
const CORPUS_VERSION = 1;

export interface PdfFile {
  path: string;
  pages: number;
  bytes: number;
}

export interface PdfCorpus {
  name: string;
  files: PdfFile[];
  pages: number;
  bytes: number;
}

export async function pdfCorpus(cacheDir: string, name: string, docs: number, pagesPerDoc: number, seedWords: string[], log: (line: string) => void): Promise<PdfCorpus> {
  const dir = join(cacheDir, 'pdfs', `${name}-v${CORPUS_VERSION}-${docs}x${pagesPerDoc}`);
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as PdfCorpus;

  log(`Generating ${docs} PDF${docs === 1 ? '' : 's'} of ${pagesPerDoc} pages (cached in ${dir}) …`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const files: PdfFile[] = [];
  for (let i = 0; i < docs; i++) {
    const text = new TextGenerator(seedWords, { seed: 1000 + i });
    const title = `${text.title()} (${name} ${i + 1})`;
    const pages = Array.from({ length: pagesPerDoc }, (_, p) => ({ heading: p === 0 ? title : undefined, paragraphs: text.page() }));
    const bytes = await makePdf({ title, pages });
    const fileName = `${name}-${String(i + 1).padStart(4, '0')}.pdf`;
    writeFileSync(join(partial, fileName), bytes);
    files.push({ path: join(dir, fileName), pages: pagesPerDoc, bytes: bytes.byteLength });
  }
  const corpus: PdfCorpus = { name, files, pages: docs * pagesPerDoc, bytes: files.reduce((total, f) => total + f.bytes, 0) };
  writeFileSync(join(partial, 'manifest.json'), JSON.stringify(corpus, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return corpus;
}
