/**
 * How many passages fit the context window. Everything is counted in real tokens: the
 * context size from the server, the prompt without passages, and each passage.
 */

export interface Budget {
  contextSize: number;
  /** Tokens kept free for the answer. */
  answerReserve: number;
  /** Tokens of the whole prompt without any passage. */
  baseTokens: number;
}

/** Room left for passages; never negative. A few tokens of slack cover joins between pieces. */
export function passageRoom({ contextSize, answerReserve, baseTokens }: Budget): number {
  const slack = 8;
  return Math.max(0, contextSize - answerReserve - baseTokens - slack);
}

/**
 * Picks passages in rank order while they fit: a passage too large for the room left is
 * skipped, and a smaller one after it may still go in. Returns the chosen indexes.
 */
export function packPassages(tokenCounts: number[], room: number, maxCount: number): number[] {
  const chosen: number[] = [];
  let used = 0;
  for (let i = 0; i < tokenCounts.length && chosen.length < maxCount; i++) {
    if (used + tokenCounts[i] <= room) {
      chosen.push(i);
      used += tokenCounts[i];
    }
  }
  return chosen;
}

/**
 * The uncounted passages worth counting: each that would fit the room the counted ones leave
 * at its place, if it were as small as its guess. All are counted together, so one more
 * count settles it: counted passages only take room, and guesses that did not fit before fit
 * less. A guess that errs small costs a count; packing itself uses real counts.
 */
export function worthCounting(counts: (number | null)[], guesses: number[], room: number, maxCount: number): number[] {
  const wanted: number[] = [];
  let used = 0;
  let chosen = 0;
  for (let i = 0; i < counts.length && chosen < maxCount; i++) {
    const count = counts[i];
    if (count === null) {
      if (used + guesses[i] <= room) wanted.push(i);
    } else if (used + count <= room) {
      used += count;
      chosen++;
    }
  }
  return wanted;
}

/** Tokens to keep for the answer: what the person asked for, but never more than a third of a small context. */
export function answerReserve(contextSize: number, maxAnswerTokens: number): number {
  return Math.max(32, Math.min(maxAnswerTokens, Math.floor(contextSize / 3)));
}
