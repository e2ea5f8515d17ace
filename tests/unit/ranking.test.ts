import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_FEATURES, buildLibrary, byKind, evalDocs, evalQueries, indexFor, rankAll, table, type EvalLibrary, type Features, type Summary } from '../support/ranking-eval';

/**
 * Ranking quality on the evaluation set (tests/support/ranking-eval.ts): 33 real-prose
 * documents, several on each topic, one of twelve pages, and 168 queries of eight kinds. Many
 * queries are told apart from the wrong documents only by the feature their kind measures: a
 * typo, a partial word, another word form, an accent, a compound, words side by side. So each feature is also
 * turned off here, and the thresholds must then fail: an evaluation that passes without the
 * feature it measures measures nothing.
 */

/** Lowest page MRR allowed, overall and per kind. */
const THRESHOLDS: Record<string, number> = {
  all: 0.94,
  question: 0.92,
  keywords: 0.95,
  'word-form': 0.9,
  typo: 0.93,
  prefix: 0.92,
  accent: 0.9,
  compound: 0.9,
  phrase: 0.85,
};
const DOC_AT_1 = 0.96;

/** The thresholds a run misses: kind names, and "doc@1". */
function missed(rows: Map<string, Summary>): string[] {
  const misses = [...rows].filter(([kind, s]) => s.pageMRR < THRESHOLDS[kind]).map(([kind]) => kind);
  if ((rows.get('all')?.docAt1 ?? 0) < DOC_AT_1) misses.push('doc@1');
  return misses;
}

let library: EvalLibrary;

beforeAll(async () => {
  library = await buildLibrary();
});

async function run(features: Partial<Features> = {}): Promise<Map<string, Summary>> {
  const all = { ...ALL_FEATURES, ...features };
  return byKind(await rankAll(library, await indexFor(library, all), undefined, all));
}

describe('search ranking on the evaluation set', () => {
  it('finds the answering page for real questions', async () => {
    const ranked = await rankAll(library, await indexFor(library));
    const rows = byKind(ranked);
    console.log(`${evalDocs.length} documents, ${evalQueries.length} queries\n${table(rows)}`);
    for (const miss of ranked.filter((r) => r.pageRank !== 1)) console.log(`  page rank ${miss.pageRank ?? '>10'}, doc rank ${miss.docRank ?? '>10'}: ${miss.query.kind}: ${miss.query.query}`);
    // Measured when these thresholds were set: page MRR 0.960 overall, doc@1 97%; see README.
    expect(missed(rows)).toEqual([]);
    expect(rows.get('all')?.docAt5).toBe(1);
  });

  // Each feature off, the kind of query it serves falls below its threshold.
  it.each<[string, Partial<Features>, string[]]>([
    ['stemming', { stemming: false }, ['word-form']],
    ['accent folding', { accentFolding: false }, ['accent']],
    ['compounds joined', { joinedCompounds: false }, ['compound']],
    ['typo correction', { typos: false }, ['typo']],
    ['typos in short words and swapped letters', { shortTyposAndSwaps: false }, ['typo']],
    ['completing the word being typed', { prefix: false }, ['prefix']],
    ['completing a word typed past its stem', { stemCompletion: false }, ['prefix']],
    ['the title', { titleBoost: 0 }, ['all', 'typo', 'prefix']],
    ['the title boosted too much', { titleBoost: 2 }, ['typo']],
    ['weighing words side by side', { phrases: false }, ['phrase']],
  ])('notices when %s is off', async (_name, features, kinds) => {
    const rows = await run(features);
    expect(missed(rows)).toEqual(expect.arrayContaining(kinds));
  });
});
