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

/** Tokens to keep for the answer: what the person asked for, but never more than a third of a small context. */
export function answerReserve(contextSize: number, maxAnswerTokens: number): number {
  return Math.max(32, Math.min(maxAnswerTokens, Math.floor(contextSize / 3)));
}
