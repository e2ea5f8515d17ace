import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { distDir, repoRoot } from '../embed/build-app';
import { openProfile, requireChromium } from './lib/browser';
import { pdfCorpus, type PdfCorpus } from './lib/corpus';
import { benchQueries, benchQuestions, seedWords } from './lib/fixtures';
import { ingestOnce, type IngestRun } from './lib/ingest';
import { libraryPhase, type LibraryPhaseResult } from './lib/library';
import { describeMachine, machineLines } from './lib/machine';
import { timePdftotext } from './lib/pdftotext';
import { timePdfjsAlone } from './lib/pdfjs-alone';
import { formatValue, renderTable, verdict, type Figure } from './lib/report';
import { buildSite, serveSite } from './lib/site';
import { distSizes, firstVisitScripts, type SizeTotals } from './lib/sizes';
import { median, percentile } from './lib/stats';

/**
 * `npm run bench`: builds the app, serves it as the tests do, drives it in headless
 * Chromium over generated corpora, and prints one table of figures (medians of several
 * runs) with the machine they were measured on; the same figures, with every run, go to
 * bench/results/<time>.json. Benchmarks print figures: nothing here passes or fails on a time.
 */

const USAGE = `Usage: npm run bench -- [options]

  --docs N           PDFs in the ingest corpus (default 40)
  --pages N          pages in each of them (default 25)
  --book-pages N     pages of the single PDF whose ingest is watched for heap (default 1000)
  --chunks A,B,C     library sizes, in chunks, to time searches at (default 1000,10000,50000);
                     Send-to-request is measured at the largest
  --library-pages N  library size, in pages, for reload-to-searchable (default 10000; 0 skips it)
  --runs N           runs of each figure; the table shows the median (default 5)
  --quick            a smoke run of about a minute: 4 × 10 pages, a 200-page book,
                     1,000 and 5,000 chunks, 1,000 pages, 1 run (flags given also apply)
  --help             this text

Generated PDFs are cached in .cache/bench/pdfs/. Results: bench/results/<time>.json.`;

const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string' },
    pages: { type: 'string' },
    'book-pages': { type: 'string' },
    chunks: { type: 'string' },
    'library-pages': { type: 'string' },
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

function count(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min}, not ${value}\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const quick = flags.quick ?? false;
const options = {
  docs: count('docs', flags.docs, quick ? 4 : 40),
  pages: count('pages', flags.pages, quick ? 10 : 25),
  bookPages: count('book-pages', flags['book-pages'], quick ? 200 : 1000),
  chunks: (flags.chunks ?? (quick ? '1000,5000' : '1000,10000,50000')).split(',').map((c) => count('chunks', c.trim(), 0)),
  libraryPages: count('library-pages', flags['library-pages'], quick ? 1000 : 10_000, 0),
  runs: count('runs', flags.runs, quick ? 1 : 5),
  quick,
};

const cacheDir = join(repoRoot, '.cache', 'bench');
const profilesDir = join(cacheDir, 'profiles');
const resultsDir = join(repoRoot, 'bench', 'results');
const started = Date.now();
const log = (line: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const fmt = (n: number) => n.toLocaleString('en-US');

requireChromium();
rmSync(profilesDir, { recursive: true, force: true });

log('Building the app and the bench page …');
const siteDir = await buildSite(cacheDir, log);

const words = seedWords();
const corpus = await pdfCorpus(cacheDir, 'corpus', options.docs, options.pages, words, log);
const book = await pdfCorpus(cacheDir, 'book', 1, options.bookPages, words, log);
const paths = (c: PdfCorpus) => c.files.map((f) => f.path);

// pdftotext first, alone: the browser and the model server must not share the cores with it.
const machineNow = describeMachine('');
const pdftotext = { sequential: [] as number[], parallel: [] as number[], book: [] as number[] };
const pdfjsAlone: number[] = [];
if (machineNow.pdftotext) {
  log(`pdftotext on the same PDFs, ${options.runs} run${options.runs === 1 ? '' : 's'} …`);
  await timePdftotext(paths(corpus).slice(0, 2)); // warms the page cache and the binary
  for (let run = 0; run < options.runs; run++) {
    pdftotext.sequential.push(corpus.pages / ((await timePdftotext(paths(corpus))) / 1000));
    pdftotext.parallel.push(corpus.pages / ((await timePdftotext(paths(corpus), machineNow.cores)) / 1000));
    pdftotext.book.push(book.pages / ((await timePdftotext(paths(book))) / 1000));
  }
  log(`pdf.js alone (Node, one thread) on the same PDFs, ${options.runs} run${options.runs === 1 ? '' : 's'} …`);
  await timePdfjsAlone(paths(corpus).slice(0, 2)); // loads and compiles pdf.js
  for (let run = 0; run < options.runs; run++) pdfjsAlone.push(corpus.pages / ((await timePdfjsAlone(paths(corpus))) / 1000));
}

const site = await serveSite(siteDir, log);
const machine = describeMachine(site.server, machineNow.chromium);
machine.loadAtStart = machineNow.loadAtStart;
machine.freeMemoryBytes = machineNow.freeMemoryBytes;

let firstVisit: SizeTotals;
const dist: SizeTotals = distSizes(distDir);
const ingestRuns: IngestRun[] = [];
const bookRuns: IngestRun[] = [];
let library: LibraryPhaseResult;
try {
  log('First visit: the scripts the page loads …');
  const profile = await openProfile(profilesDir);
  try {
    firstVisit = await firstVisitScripts(profile, site.url, siteDir);
  } finally {
    await profile.close();
  }

  for (let run = 1; run <= options.runs; run++) {
    log(`Ingest ${run}/${options.runs}: ${options.docs} PDFs × ${options.pages} pages through "Add PDFs" …`);
    ingestRuns.push(await ingestOnce({ appUrl: site.url, profilesDir, files: paths(corpus), pages: corpus.pages, sampleHeap: false }));
  }
  for (let run = 1; run <= options.runs; run++) {
    log(`Ingest ${run}/${options.runs}: one ${fmt(options.bookPages)}-page PDF, sampling the heap …`);
    bookRuns.push(await ingestOnce({ appUrl: site.url, profilesDir, files: paths(book), pages: book.pages, sampleHeap: true }));
  }

  library = await libraryPhase({
    appUrl: site.url,
    profilesDir,
    seedWords: words,
    queries: benchQueries(),
    questions: benchQuestions(),
    chunkSizes: options.chunks,
    reloadPages: options.libraryPages,
    runs: options.runs,
    log,
  });
} finally {
  await site.stop();
  rmSync(profilesDir, { recursive: true, force: true });
}
machine.loadAtEnd = loadavg()[0];

// ---- Figures -------------------------------------------------------------------------

const figures: Figure[] = [];
const medianOf = (values: number[]) => (values.length > 0 ? median(values) : null);
const corpusLabel = `${fmt(options.docs)} PDFs × ${fmt(options.pages)} pages = ${fmt(corpus.pages)} pages, ${formatValue(corpus.bytes, 'bytes')}`;
/** A long task is one over 50 ms: a run without any has 0 as its longest. */
const longestText = (runs: IngestRun[]) => (runs.every((r) => r.longTasks === 0) ? 'none over 50 ms' : undefined);

const appRate = medianOf(ingestRuns.map((r) => r.pagesPerSecond));
const toolRate = medianOf(pdftotext.sequential);
figures.push({ key: 'ingestRate', label: `ingest rate, app (${corpusLabel})`, unit: 'pages/s', median: appRate, runs: ingestRuns.map((r) => r.pagesPerSecond) });
if (machineNow.pdftotext) {
  figures.push({ key: 'pdftotextRate', label: 'pdftotext, same PDFs, one process at a time', unit: 'pages/s', median: toolRate, runs: pdftotext.sequential });
  figures.push({ key: 'pdftotextParallelRate', label: `pdftotext, same PDFs, ${machine.cores} processes at a time`, unit: 'pages/s', median: medianOf(pdftotext.parallel), runs: pdftotext.parallel });
  figures.push({ key: 'pdfjsAloneRate', label: 'pdf.js alone, same PDFs: text only, one thread, in Node', unit: 'pages/s', median: medianOf(pdfjsAlone), runs: pdfjsAlone });
  figures.push({ key: 'pdfjsAloneRatio', label: 'ratio pdf.js alone / pdftotext (one process)', unit: 'ratio', median: pdfjsAlone.length > 0 && toolRate ? median(pdfjsAlone) / toolRate : null, runs: [] });
  figures.push({
    key: 'ingestRatio',
    label: 'ratio app / pdftotext (one process)',
    unit: 'ratio',
    median: appRate !== null && toolRate ? appRate / toolRate : null,
    runs: [],
    target: { op: '>=', value: 0.5 },
  });
} else {
  figures.push({ key: 'pdftotextRate', label: 'pdftotext, same PDFs', unit: 'pages/s', median: null, runs: [], text: 'pdftotext missing: sudo apt-get install poppler-utils' });
}
figures.push({
  key: 'longestTask',
  label: `longest main-thread task while ingesting (${fmt(corpus.pages)} pages)`,
  unit: 'ms',
  median: medianOf(ingestRuns.map((r) => r.longestTaskMs)),
  runs: ingestRuns.map((r) => r.longestTaskMs),
  text: longestText(ingestRuns),
  target: { op: '<=', value: 100 },
});
figures.push({
  key: 'longestTaskBook',
  label: `longest main-thread task while ingesting one ${fmt(options.bookPages)}-page PDF`,
  unit: 'ms',
  median: medianOf(bookRuns.map((r) => r.longestTaskMs)),
  runs: bookRuns.map((r) => r.longestTaskMs),
  text: longestText(bookRuns),
  target: { op: '<=', value: 100 },
});
const heapTotals = bookRuns.map((r) => r.heap?.peakTotal ?? Number.NaN);
const heapMain = medianOf(bookRuns.map((r) => r.heap?.peakMain ?? Number.NaN));
const heapWorkers = medianOf(bookRuns.map((r) => r.heap?.peakWorkers ?? Number.NaN));
figures.push({
  key: 'peakHeap',
  label: `peak JS heap, one ${fmt(options.bookPages)}-page PDF (page + workers)`,
  unit: 'bytes',
  median: medianOf(heapTotals),
  runs: heapTotals,
  text: heapMain === null || heapWorkers === null ? undefined : `${formatMb(medianOf(heapTotals) ?? Number.NaN)} (peaks: page ${formatMb(heapMain)}, workers ${formatMb(heapWorkers)})`,
  target: { op: '<', value: 300e6, otherSize: options.bookPages === 1000 ? undefined : 'a 1,000-page PDF' },
});
figures.push({
  key: 'bookRate',
  label: `ingest rate, app, one ${fmt(options.bookPages)}-page PDF`,
  unit: 'pages/s',
  median: medianOf(bookRuns.map((r) => r.pagesPerSecond)),
  runs: bookRuns.map((r) => r.pagesPerSecond),
});

const largestSearch = library.search[library.search.length - 1];
for (const size of library.search) {
  const p50 = size.timings.full.map((run) => percentile(run, 50));
  const p95 = size.timings.full.map((run) => percentile(run, 95));
  const indexP95 = median(size.timings.index.map((run) => percentile(run, 95)));
  const isLargest = size === largestSearch;
  figures.push({ key: `searchP50@${size.library.chunks}`, label: `search p50 at ${fmt(size.library.chunks)} chunks`, unit: 'ms', median: median(p50), runs: p50 });
  figures.push({
    key: `searchP95@${size.library.chunks}`,
    label: `search p95 at ${fmt(size.library.chunks)} chunks`,
    unit: 'ms',
    median: median(p95),
    runs: p95,
    text: `${formatValue(median(p95), 'ms')} (index alone ${formatValue(indexP95, 'ms')})`,
    target: isLargest ? { op: '<=', value: 10, otherSize: size.library.chunks >= 50_000 ? undefined : '50,000 chunks' } : undefined,
  });
}
if (library.reload) {
  const r = library.reload;
  figures.push({
    key: 'reloadToSearchable',
    label: `reload to searchable, ${fmt(r.library.pages)} pages (${fmt(r.library.chunks)} chunks, index ${fmt(Math.round(r.index.jsonChars / 1e6))} MB of JSON)`,
    unit: 'ms',
    median: median(r.runs),
    runs: r.runs,
    target: { op: '<=', value: 1500, otherSize: r.library.pages >= 10_000 ? undefined : 'a library of 10,000 pages' },
  });
}
if (library.send) {
  const s = library.send;
  const otherSize = s.library.chunks >= 50_000 ? undefined : '50,000 chunks';
  figures.push(
    s.kind === 'measured'
      ? { key: 'sendToRequest', label: `Send to /completion request, ${fmt(s.library.chunks)} chunks`, unit: 'ms', median: median(s.runs), runs: s.runs, target: { op: '<=', value: 50, otherSize } }
      : { key: 'sendToRequest', label: `Send to /completion request, ${fmt(s.library.chunks)} chunks`, unit: 'ms', median: null, runs: [], text: `n/a (${s.reason})`, target: { op: '<=', value: 50, otherSize } },
  );
  const tokenLabel = `Send to first token on screen, ${fmt(s.library.chunks)} chunks`;
  const tokenRuns = s.kind === 'measured' ? s.firstToken.filter((t): t is number => t !== null) : [];
  figures.push(
    s.kind !== 'measured'
      ? { key: 'sendToFirstToken', label: tokenLabel, unit: 'ms', median: null, runs: [], text: `n/a (${s.reason})` }
      : tokenRuns.length === 0
        ? { key: 'sendToFirstToken', label: tokenLabel, unit: 'ms', median: null, runs: [], text: 'n/a (no answer showed text within 60 s)' }
        : { key: 'sendToFirstToken', label: tokenLabel, unit: 'ms', median: median(tokenRuns), runs: tokenRuns },
  );
}
figures.push({
  key: 'firstVisitJs',
  label: `first-visit JavaScript, gzipped (${firstVisit.files.length} file${firstVisit.files.length === 1 ? '' : 's'}, ${formatValue(firstVisit.bytes, 'bytes')} raw)`,
  unit: 'bytes',
  median: firstVisit.gzip,
  runs: [],
  target: { op: '<=', value: 150e3 },
});
figures.push({ key: 'distGzip', label: `everything in dist/, gzipped (${fmt(dist.files.length)} files, ${(dist.bytes / 1e6).toFixed(1)} MB raw)`, unit: 'bytes', median: dist.gzip, runs: [] });

function formatMb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

for (const figure of figures) figure.verdict = verdict(figure);

// ---- Output --------------------------------------------------------------------------

const finished = new Date();
const table = renderTable(figures, options.runs);
const header = [`Memory Cache benchmark, ${finished.toISOString()}${options.quick ? ' (--quick: smoke run, sizes below the targets)' : ''}`, ...machineLines(machine)];
console.log(`\n${header.join('\n')}\n\n${table}\n`);

mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, `${finished.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  resultsFile,
  JSON.stringify(
    {
      finishedAt: finished.toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine,
      options,
      figures,
      details: {
        corpus: { docs: options.docs, pagesPerDoc: options.pages, pages: corpus.pages, bytes: corpus.bytes },
        book: { pages: book.pages, bytes: book.bytes },
        pdftotext,
        ingestRuns,
        bookRuns,
        library,
        firstVisit,
        dist: { bytes: dist.bytes, gzip: dist.gzip, files: dist.files.length },
      },
    },
    null,
    2,
  ),
);
log(`Figures written to ${resultsFile}`);
