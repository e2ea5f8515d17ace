import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerClient } from '../../web/lib/server/client';

/**
 * The server client against both /props shapes and both error styles, with fetch answered
 * from recorded responses: llama-server's (0.10) and llamafile 0.9's (its own 2024 server).
 */

interface Call {
  path: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

let calls: Call[] = [];

function serve(routes: Record<string, () => Response>): void {
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const path = new URL(url).pathname.slice(1);
    calls.push({ path, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) }, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const route = routes[path];
    if (!route) return new Response('File Not Found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return route();
  });
}

const json = (value: unknown, status = 200) => () => new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });
const text = (value: string, status: number) => () => new Response(value, { status, headers: { 'Content-Type': 'text/plain' } });

// llama-server build 11669, trimmed to the fields the client reads and a few beside them.
const PROPS_UPSTREAM = {
  default_generation_settings: { params: { temperature: 0.8 }, n_ctx: 4096 },
  total_slots: 1,
  model_alias: '/models/Qwen2.5-7B-Instruct-Q4_K_M.gguf',
  model_path: '/models/Qwen2.5-7B-Instruct-Q4_K_M.gguf',
  chat_template: "{% for m in messages %}{{ '<|im_start|>' + m.role + '\\n' + m.content + '<|im_end|>\\n' }}{% endfor %}",
  bos_token: '<|endoftext|>',
  eos_token: '<|im_end|>',
  build_info: 'b11669-Debian',
};
// llamafile 0.9: names and the generation settings, no template, no model path.
const PROPS_09 = {
  assistant_name: '',
  default_generation_settings: { model: '/zip/Meta-Llama-3.1-8B-Instruct.Q4_K_M.gguf', n_ctx: 8192, n_predict: -1, temperature: 0.8 },
  total_slots: 1,
  user_name: '',
};

beforeEach(() => {
  calls = [];
  vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:8080/' });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the server status', () => {
  it("reads llama-server's /props: model file name, context, template, end token, modern", async () => {
    serve({ health: json({ status: 'ok' }), props: json(PROPS_UPSTREAM) });
    expect(await new ServerClient().status()).toEqual({
      state: 'connected',
      info: { model: 'Qwen2.5-7B-Instruct-Q4_K_M.gguf', contextSize: 4096, chatTemplate: PROPS_UPSTREAM.chat_template, modern: true, eosToken: '<|im_end|>' },
    });
  });

  it("reads llamafile 0.9's /props: the model from the generation settings, no template, not modern", async () => {
    serve({ health: json({ status: 'ok' }), props: json(PROPS_09) });
    expect(await new ServerClient().status()).toEqual({
      state: 'connected',
      info: { model: 'Meta-Llama-3.1-8B-Instruct.Q4_K_M.gguf', contextSize: 8192, chatTemplate: null, modern: false, eosToken: undefined },
    });
  });

  it('says loading while /health answers 503, and needs a key when /props answers 401', async () => {
    serve({ health: json({ error: { code: 503, message: 'Loading model', type: 'unavailable_error' } }, 503) });
    expect(await new ServerClient().status()).toEqual({ state: 'loading' });
    serve({ health: json({ status: 'ok' }), props: json({ error: { code: 401, message: 'Invalid API Key', type: 'authentication_error' } }, 401) });
    expect(await new ServerClient().status()).toEqual({ state: 'needs-key' });
    serve({ health: json({ status: 'ok' }), props: text('Unauthorized', 401) });
    expect(await new ServerClient().status()).toEqual({ state: 'needs-key' });
  });

  it('says unreachable when nothing answers, and when the page is served without a model server', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect((await new ServerClient().status()).state).toBe('unreachable');
    serve({});
    expect(await new ServerClient().status()).toEqual({ state: 'unreachable', reason: 'the page is served without one' });
  });
});

describe('the routes', () => {
  it("falls back where /apply-template is missing (0.9's 404 \"File Not Found\"), and asks only once", async () => {
    serve({});
    const client = new ServerClient();
    expect(await client.applyTemplate([{ role: 'user', content: 'Hi' }])).toBeNull();
    expect(await client.applyTemplate([{ role: 'user', content: 'Hi' }])).toBeNull();
    expect(calls.filter((c) => c.path === 'apply-template')).toHaveLength(1);
  });

  it('uses /apply-template where it exists', async () => {
    serve({ 'apply-template': json({ prompt: '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n' }) });
    expect(await new ServerClient().applyTemplate([{ role: 'user', content: 'Hi' }])).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
  });

  it("counts each text apart where /tokenize sends ids only (0.9), and stops asking for pieces", async () => {
    serve({
      tokenize: () => {
        const { content } = calls[calls.length - 1].body as { content: string };
        return json({ tokens: Array.from(content, (_, i) => i) })();
      },
    });
    const client = new ServerClient();
    expect(await client.countTokensEach(['ab', 'cde'])).toEqual([2, 3]);
    expect(calls.map((c) => (c.body as { with_pieces?: boolean }).with_pieces ?? false)).toEqual([true, false, false]);
    calls = [];
    expect(await client.countTokensEach(['ab', 'cde'])).toEqual([2, 3]);
    expect(calls).toHaveLength(2);
  });

  it('sends the API key as a bearer token on every route', async () => {
    const stream = 'data: {"content":"Hi","stop":false,"slot_id":0}\n\ndata: {"content":"","stop":true,"stopped_limit":true,"slot_id":0}\n\n';
    serve({
      health: json({ status: 'ok' }),
      props: json(PROPS_UPSTREAM),
      tokenize: json({ tokens: [{ id: 1, piece: 'a' }, { id: 2, piece: 'b' }] }),
      'apply-template': json({ prompt: 'p' }),
      completion: () => new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } }),
    });
    const client = new ServerClient();
    client.apiKey = 'sk-test';
    await client.status();
    await client.countTokens('ab');
    await client.countTokensEach(['a', 'b']);
    await client.applyTemplate([{ role: 'user', content: 'Hi' }]);
    const events = [];
    for await (const event of client.complete({ prompt: 'p', n_predict: 4, temperature: 0, top_p: 1, stop: [], cache_prompt: true, stream: true }, new AbortController().signal)) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['token', 'done']);
    expect(new Set(calls.map((c) => c.path))).toEqual(new Set(['health', 'props', 'tokenize', 'apply-template', 'completion']));
    for (const call of calls) expect(call.headers.Authorization, call.path).toBe('Bearer sk-test');
  });
});
