import { describe, expect, it } from 'vitest';
import { completionEvents, type StreamEvent } from '../../web/lib/server/stream';
import { ServerError, serverErrorFromResponse } from '../../web/lib/server/errors';

/** A response body that delivers the given byte pieces one by one, as a network would. */
function body(pieces: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      controller.close();
    },
  });
}

async function collect(pieces: (string | Uint8Array)[]): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of completionEvents(body(pieces))) events.push(event);
  return events;
}

const tokens = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join('');
const final = (events: StreamEvent[]) => {
  const last = events[events.length - 1];
  if (last.type !== 'done') throw new Error('no final event');
  return last.final;
};

// Recorded from llama-server (llama.cpp, Debian build 11669): tokens, then the final chunk.
const UPSTREAM = [
  'data: {"index":0,"content":" Once","tokens":[425],"stop":false,"id_slot":-1,"tokens_predicted":1,"tokens_evaluated":12}\n\n',
  ': keep-alive\n\n',
  'data: {"index":0,"content":" upon","tokens":[443],"stop":false,"id_slot":-1,"tokens_predicted":2,"tokens_evaluated":12}\n\n',
  'data: {"index":0,"content":"","tokens":[],"id_slot":0,"stop":true,"model":"m.gguf","tokens_predicted":2,"tokens_evaluated":12,"prompt":"<s> Hello","truncated":false,"stop_type":"limit","stopping_word":"","tokens_cached":13,"timings":{"cache_n":8,"prompt_n":4,"prompt_ms":2.5,"predicted_n":2,"predicted_ms":0.4,"predicted_per_second":4576.6}}\n\n',
];

// As llamafile 0.9's server writes it (llama.cpp/server/server.cpp in Mozilla-Ocho/llamafile):
// "data: " + nlohmann::json::dump(-1, ' ', false, replace) + "\n\n", keys in the sorted order of
// nlohmann::json; slot_id, stopped_* flags, generation_settings.n_ctx, no stop_type, no keep-alives.
const LLAMAFILE_09 = [
  'data: {"content":" Once","multimodal":false,"slot_id":0,"stop":false}\n\n',
  'data: {"content":" upon","multimodal":false,"slot_id":0,"stop":false}\n\n',
  'data: {"content":"","generation_settings":{"n_ctx":2048,"n_predict":-1},"model":"m.gguf","prompt":"Hello","slot_id":0,"stop":true,"stopped_eos":true,"stopped_limit":false,"stopped_word":false,"stopping_word":"","timings":{"predicted_ms":5.1,"predicted_n":2,"predicted_per_second":392.1,"prompt_ms":3.2,"prompt_n":12},"tokens_cached":14,"tokens_evaluated":12,"tokens_predicted":2,"truncated":true}\n\n',
];

describe('the /completion stream', () => {
  it('reads llama-server: tokens, keep-alive comments, and the final timings', async () => {
    const events = await collect(UPSTREAM);
    expect(tokens(events)).toBe(' Once upon');
    expect(final(events)).toEqual({ stopReason: 'limit', truncated: false, promptTokens: 12, cachedTokens: 8, predictedTokens: 2, tokensPerSecond: 4576.6, contextSize: null });
  });

  it('reads llamafile 0.9: stop flags, silent truncation, and its context size', async () => {
    const events = await collect(LLAMAFILE_09);
    expect(tokens(events)).toBe(' Once upon');
    expect(final(events)).toMatchObject({ stopReason: 'eos', truncated: true, promptTokens: 12, cachedTokens: 0, predictedTokens: 2, contextSize: 2048 });
  });

  it('joins lines split across network chunks', async () => {
    const whole = UPSTREAM.join('');
    const pieces = Array.from({ length: Math.ceil(whole.length / 7) }, (_, i) => whole.slice(i * 7, i * 7 + 7));
    expect(tokens(await collect(pieces))).toBe(' Once upon');
  });

  it('keeps a multi-byte character split between two chunks whole', async () => {
    const line = new TextEncoder().encode('data: {"content":"café 東京","stop":false}\n\ndata: {"content":"","stop":true,"stop_type":"eos"}\n\n');
    const cut = line.indexOf(0xa9); // the second byte of é
    const events = await collect([line.slice(0, cut), line.slice(cut, cut + 10), line.slice(cut + 10)]);
    expect(tokens(events)).toBe('café 東京');
  });

  it('accepts CRLF line ends', async () => {
    const events = await collect(['data: {"content":"a","stop":false}\r\n\r\n', 'data: {"content":"","stop":true,"stop_type":"eos"}\r\n\r\n']);
    expect(tokens(events)).toBe('a');
  });

  it("turns llama-server's error line into a context error with its counts", async () => {
    const line = 'data: {"error":{"code":400,"message":"request (6002 tokens) exceeds the available context size (2048 tokens)","type":"exceed_context_size_error","n_prompt_tokens":6002,"n_ctx":2048}}\n\n';
    const error = await collect([line]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ kind: 'context', promptTokens: 6002, contextSize: 2048 });
  });

  it("turns llamafile 0.9's separate error line into an error", async () => {
    // Its send_error result is {"content": message}, written as its own "error: " line.
    const tokensBefore: string[] = [];
    const error = await (async () => {
      for await (const event of completionEvents(body([LLAMAFILE_09[0], 'error: {"content":"slot unavailable"}\n\n']))) if (event.type === 'token') tokensBefore.push(event.content);
    })().catch((e: unknown) => e);
    expect(tokensBefore).toEqual([' Once']);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ kind: 'other', message: 'slot unavailable' });
  });

  it('reads an error line in the {code, message, type} form, keeping a context error a context error', async () => {
    const line = 'error: {"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error","n_prompt_tokens":900,"n_ctx":512}\n\n';
    const error = await collect([line]).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'context', message: 'the request exceeds the available context size', promptTokens: 900, contextSize: 512 });
  });

  it('reports an abrupt end as a cut-off answer', async () => {
    const error = await collect([UPSTREAM[0]]).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'cut-off' });
  });

  it('reports a malformed line', async () => {
    const error = await collect(['data: {"content": "half\n\n']).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'malformed' });
  });
});

describe('errors that are not streamed', () => {
  it('reads the JSON error of llama-server', async () => {
    const response = new Response(JSON.stringify({ error: { code: 400, message: 'request (900 tokens) exceeds the available context size (512 tokens)', type: 'exceed_context_size_error', n_prompt_tokens: 900, n_ctx: 512 } }), { status: 400 });
    expect(await serverErrorFromResponse(response)).toMatchObject({ kind: 'context', promptTokens: 900, contextSize: 512, status: 400 });
  });

  it('reads the plain-text errors of llamafile 0.9', async () => {
    expect(await serverErrorFromResponse(new Response('Unauthorized', { status: 401 }))).toMatchObject({ kind: 'auth' });
    expect(await serverErrorFromResponse(new Response('Loading model', { status: 503 }))).toMatchObject({ kind: 'loading' });
    expect(await serverErrorFromResponse(new Response('Invalid request', { status: 400 }))).toMatchObject({ kind: 'other', message: 'Invalid request' });
  });
});
