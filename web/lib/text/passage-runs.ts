import { normalizeLine } from './normalize';

/** Runs shorter than this (spaces, brackets, "len") are in most passages: they say nothing. */
const MIN_JUDGED = 4;

/**
 * Which of a page's text runs, in reading order, show a cited passage. A run is taken when
 * its text is in the passage; but short runs ("Returns:", "[Function]") are in many passages,
 * and a reference manual repeats whole sentences from one entry to the next. The passage is
 * one stretch of the page, so only the stretch of taken runs that holds the most of its text
 * is kept. A stretch goes on across runs too short to judge, and across one run that is not
 * in the passage (a word hyphenated at a line's end reads otherwise in the chunk); two such
 * runs in a row end it.
 */
export function passageRuns(texts: string[], passage: string): number[] {
  const wanted = normalizeLine(passage).toLowerCase();
  let best: number[] = [];
  let bestChars = 0;
  let stretch: number[] = [];
  let chars = 0;
  let misses = 0;
  const endStretch = () => {
    if (chars > bestChars) [best, bestChars] = [stretch, chars];
    [stretch, chars, misses] = [[], 0, 0];
  };
  texts.forEach((text, i) => {
    const normalized = normalizeLine(text).toLowerCase();
    if (normalized.length < MIN_JUDGED) return;
    if (wanted.includes(normalized)) {
      stretch.push(i);
      chars += normalized.length;
      misses = 0;
    } else if (stretch.length > 0 && ++misses >= 2) {
      endStretch();
    }
  });
  endStretch();
  return best;
}
