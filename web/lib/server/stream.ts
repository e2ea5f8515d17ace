import { ServerError, serverErrorFrom } from './errors';

/**
 * Decodes the streamed answer of `/completion` from either server generation into one
 * sequence of events. Bytes arrive in arbitrary pieces: a line, or a multi-byte character,
 * may be split across network chunks, so decoding is incremental and partial lines wait for
 * their end. Lines starting with ':' are keep-alive comments. Neither generation sends
 * `[DONE]` on this endpoint: the final chunk is the one with `stop: true`.
 */

export type StopReason = 'eos' | 'limit' | 'word' | 'unknown';

export interface CompletionFinal {
  stopReason: StopReason;
  /** llamafile 0.9 cuts an oversized prompt silently and says so only here. */
  truncated: boolean;
  /** Tokens of the whole prompt. */
  promptTokens: number | null;
  /** Tokens of the prompt the server took from its cache instead of processing. */
  cachedTokens: number | null;
  predictedTokens: number | null;
  tokensPerSecond: number | null;
  contextSize: number | null;
}

export type StreamEvent = { type: 'token'; content: string } | { type: 'done'; final: CompletionFinal };

interface Timings {
  prompt_n?: number;
  cache_n?: number;
  predicted_n?: number;
  predicted_per_second?: number;
}

/** The fields either generation may put in a stream chunk. */
interface Chunk {
  content?: string;
  stop?: boolean;
  error?: { code?: number; message?: string; type?: string; n_prompt_tokens?: number; n_ctx?: number } | string;
  stop_type?: string;
  stopped_eos?: boolean;
  stopped_word?: boolean;
  stopped_limit?: boolean;
  truncated?: boolean;
  tokens_evaluated?: number;
  tokens_cached?: number;
  tokens_predicted?: number;
  timings?: Timings;
  generation_settings?: { n_ctx?: number };
}

/** Splits a byte stream into text lines, without the line ends. */
export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  // stream: true keeps the first bytes of a character split across chunks until the rest arrives.
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for (;;) {
      const { value, done } = await reader.read().catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') throw error;
        throw new ServerError('cut-off', 'the connection to the model server was lost before the answer was finished');
      });
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        yield pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    }
    pending += decoder.decode();
    if (pending.length > 0) yield pending.replace(/\r$/, '');
  } finally {
    reader.releaseLock();
  }
}

function stopReason(chunk: Chunk): StopReason {
  const type = chunk.stop_type ?? (chunk.stopped_eos ? 'eos' : chunk.stopped_word ? 'word' : chunk.stopped_limit ? 'limit' : '');
  return type === 'eos' || type === 'word' || type === 'limit' ? type : 'unknown';
}

export function finalFrom(chunk: Chunk): CompletionFinal {
  const timings = chunk.timings ?? {};
  const promptTokens = chunk.tokens_evaluated ?? (timings.prompt_n !== undefined ? timings.prompt_n + (timings.cache_n ?? 0) : null);
  const cachedTokens =
    timings.cache_n ?? (promptTokens !== null && timings.prompt_n !== undefined ? Math.max(0, promptTokens - timings.prompt_n) : null);
  return {
    stopReason: stopReason(chunk),
    truncated: chunk.truncated === true,
    promptTokens,
    cachedTokens,
    predictedTokens: chunk.tokens_predicted ?? timings.predicted_n ?? null,
    tokensPerSecond: timings.predicted_per_second ?? null,
    contextSize: chunk.generation_settings?.n_ctx ?? null,
  };
}

function parseJson(text: string): Chunk {
  try {
    return JSON.parse(text) as Chunk;
  } catch {
    throw new ServerError('malformed', 'the server sent a line that is not part of its protocol');
  }
}

/** The events of one streamed completion. Throws a ServerError for an error line or an early end. */
export async function* completionEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  for await (const line of readLines(body)) {
    if (line.length === 0 || line.startsWith(':')) continue;
    if (line.startsWith('error:')) {
      // A failure inside a stream as its own line: llamafile 0.9 writes `error: {"content":...}`,
      // some llama.cpp builds `error: {"code":400,"message":...,"type":...}`.
      const payload = parseJson(line.slice(6).trim()) as Chunk & { code?: number; message?: string; type?: string; n_prompt_tokens?: number; n_ctx?: number };
      throw serverErrorFrom({ ...payload, message: payload.message ?? payload.content ?? 'the server reported an error' }, payload.code ?? null);
    }
    if (!line.startsWith('data:')) throw new ServerError('malformed', 'the server sent a line that is not part of its protocol');
    const data = line.slice(5).trim();
    if (data === '[DONE]') continue;
    const chunk = parseJson(data);
    if (chunk.error !== undefined) throw serverErrorFrom(chunk.error, typeof chunk.error === 'object' ? (chunk.error.code ?? null) : null);
    if (chunk.content) yield { type: 'token', content: chunk.content };
    if (chunk.stop) {
      yield { type: 'done', final: finalFrom(chunk) };
      return;
    }
  }
  throw new ServerError('cut-off', 'the connection to the model server ended before the answer was finished');
}
