import { ALL_FEATURES, buildLibrary, evalQueries, indexFor, rankAll, summarise, type Summary } from '../tests/support/ranking-eval';
import { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../web/lib/text/chunk';

/**
 * Ranking quality of the evaluation set (tests/support/ranking-eval.ts) for a few chunk
 * sizes and overlaps: how DEFAULT_CHUNK_OPTIONS was chosen. Run: npm run bench:chunk-sizes
 * Prints a Markdown table. Quality only: chunk size also sets how many passages fit a small
 * model's context, which is why sizes far above a paragraph or two are not tried.
 */

const sizes: ChunkOptions[] = [];
for (const targetChars of [400, 600, 900, 1200, 1600]) {
  for (const overlapChars of [0, 250]) {
    sizes.push({ targetChars, maxChars: Math.round(targetChars * 1.55), overlapChars, pageBreakChars: Math.round(targetChars * 0.4) });
  }
}

// The evaluation's pages hold about 1,000 characters; printed pages two or three times that.
const PAGES_JOINED = [1, 3];
const rows: [ChunkOptions, Summary[], number[]][] = [];
for (const options of sizes) {
  const summaries: Summary[] = [];
  const chunkCounts: number[] = [];
  for (const joined of PAGES_JOINED) {
    const library = await buildLibrary(options, joined);
    summaries.push(summarise(await rankAll(library, await indexFor(library, ALL_FEATURES))));
    chunkCounts.push(library.chunks.length);
  }
  rows.push([options, summaries, chunkCounts]);
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const isDefault = (o: ChunkOptions) => o.targetChars === DEFAULT_CHUNK_OPTIONS.targetChars && o.overlapChars === DEFAULT_CHUNK_OPTIONS.overlapChars;
console.log(`${evalQueries.length} queries; the app's default is marked *\n`);
const heads = PAGES_JOINED.map((j) => `~${j},000-char pages: chunks, page MRR, page@1, doc@1`);
console.log(`| target chars | max | overlap | ${heads.join(' | ')} |`);
console.log(`| ---: | ---: | ---: | ${heads.map(() => '---').join(' | ')} |`);
for (const [o, summaries, chunks] of rows) {
  const cells = summaries.map((s, i) => `${chunks[i]}, ${s.pageMRR.toFixed(3)}, ${pct(s.pageAt1)}, ${pct(s.docAt1)}`);
  console.log(`| ${o.targetChars}${isDefault(o) ? ' *' : ''} | ${o.maxChars} | ${o.overlapChars} | ${cells.join(' | ')} |`);
}
