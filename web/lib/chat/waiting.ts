import { plural } from '../format';

/**
 * What the person is told while an answer is slow to come. A model on a CPU can take a minute
 * to read a long prompt before its first word, and a busy server makes a request wait: the
 * answer is never cut for being slow, but the page says what it is waiting for, and when the
 * wait looks like a stuck server, what to do.
 */

/** Before this, "Reading your documents…" is all that is said. */
export const WAIT_SHOWN_MS = 2000;
/** A pause this long in the middle of an answer is worth a word. */
export const PAUSE_SHOWN_MS = 8000;
/** From here on the wait looks like a busy or stuck server. */
export const STUCK_MS = 60_000;

export interface Wait {
  /** Since Send. */
  elapsedMs: number;
  /** Since the last words arrived, or since Send when none has. */
  quietMs: number;
  hasText: boolean;
  promptTokens: number | null;
}

export function describeWait({ elapsedMs, quietMs, hasText, promptTokens }: Wait): string | null {
  const seconds = (ms: number) => `${Math.floor(ms / 1000)} s`;
  const stuck = quietMs >= STUCK_MS ? ' It may be busy with another request, or stuck: Stop, then Retry, or keep waiting.' : '';
  if (!hasText) {
    if (elapsedMs < WAIT_SHOWN_MS) return null;
    const reading = promptTokens ? ` It reads the prompt (${plural(promptTokens, 'token')}) before it writes.` : '';
    return `Waiting for the model: ${seconds(elapsedMs)}.${stuck || reading}`;
  }
  if (quietMs < PAUSE_SHOWN_MS) return null;
  return `The model has paused for ${seconds(quietMs)}.${stuck}`;
}
