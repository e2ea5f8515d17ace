import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../embed/build-app';
import { vocabularyOf } from './synthetic-text';

/**
 * The real text the synthetic corpora start from: the search-evaluation fixtures of the
 * tests. Their words (most frequent first) head the vocabulary of the generated text, and
 * their 80 queries (questions, keywords, other word forms, partial words, typos) are the
 * queries whose latency is measured.
 */

const FIXTURES = join(repoRoot, 'tests', 'fixtures', 'search-eval');

interface FixtureDoc {
  pages: string[];
}

interface FixtureQuery {
  query: string;
  kind: string;
}

export function seedWords(): string[] {
  const texts: string[] = [];
  for (let i = 1; i <= 6; i++) {
    const docs = JSON.parse(readFileSync(join(FIXTURES, `docs-${i}.json`), 'utf8')) as FixtureDoc[];
    for (const doc of docs) texts.push(...doc.pages);
  }
  return vocabularyOf(texts);
}

function fixtureQueries(): FixtureQuery[] {
  return JSON.parse(readFileSync(join(FIXTURES, 'queries.json'), 'utf8')) as FixtureQuery[];
}

export function benchQueries(): string[] {
  return fixtureQueries().map((q) => q.query);
}

/** The queries written as questions: what a person types into the chat. */
export function benchQuestions(): string[] {
  return fixtureQueries()
    .filter((q) => q.kind === 'question')
    .map((q) => q.query);
}
