import { createServer, request, type IncomingMessage, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy in front of a real llama-server that speaks as one server generation:
 *
 * - '0.10': llama-server itself (llamafile 0.10 runs it); everything passes through.
 * - '0.9': llamafile 0.9's own 2024 server, as ../../../shared/notes/llama-servers.md and its
 *   source (llama.cpp/server/server.cpp in Mozilla-Ocho/llamafile) describe it: /props without
 *   a chat template or model path; no /apply-template (404, text/plain "File Not Found");
 *   /tokenize reads `content` alone and answers ids; stream chunks `{content, stop, slot_id}`,
 *   the last with stopped_eos / stopped_word / stopped_limit, truncated, tokens_predicted and
 *   generation_settings.n_ctx; no keep-alive comments; a failure in a stream as an
 *   `error: {"content":...}` line; errors as text/plain, the body of 400, 401 and 404
 *   overwritten; and a prompt longer than the context cut silently (truncated: true) the way
 *   0.9 cuts it, where llama-server refuses it with a 400.
 *
 * The model still runs in llama-server: generation, tokenizing and cancelling are real.
 * Some things can be changed while it runs, for tests of what a real model and server do but
 * the generated test model and a healthy server do not:
 * - `claimContext`: the context size /props reports, larger than the server's own, so the page
 *   sends a prompt that overflows, and the server (or the 0.9 emulation) reacts as it does;
 * - `citations`: text written into the answer's stream before the model's first token, so an
 *   answer cites passages as [n] the way an instructed model does;
 * - `streamError`: a failure reported inside the stream once text has gone out;
 * - `paceMs`: a pause after each piece of the stream, for an answer that arrives as slowly as
 *   a large model writes (the test model writes a thousand tokens a second);
 * - `apiKey` (0.9): the key its --api-key would ask for on /completion.
 */

export type Generation = '0.9' | '0.10';

// Every request to llama-server goes on a connection of its own (agent: false): Node's default
// agent keeps connections alive and may reuse one the server has just closed ("socket hang up").

export interface LlamafileProxy {
  url: string;
  generation: Generation;
  claimContext: number | null;
  citations: string | null;
  /** A failure the server reports inside the stream once some text has gone out, in the generation's way. */
  streamError: string | null;
  paceMs: number;
  /** An API key 0.9 asks for on /completion (its --api-key); it answers 401 "Unauthorized" without it. */
  apiKey: string | null;
  /** The JSON bodies of every /completion request, in order. */
  completions: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface LlamafileProxyOptions {
  /** The model name /props reports in 0.9's shape (its file name decides the built-in template). */
  modelName?: string;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** 0.9 answers these statuses with a fixed phrase, whatever went wrong (its httplib error handler). */
const OVERWRITTEN: Record<number, string> = { 400: 'Invalid request', 401: 'Unauthorized', 404: 'File Not Found' };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

/** The stream chunk that stands for text written into the answer, in a generation's shape. */
function textChunk(generation: Generation, content: string): string {
  const chunk = generation === '0.9' ? { content, stop: false, slot_id: 0, multimodal: false } : { index: 0, content, tokens: [], stop: false, id_slot: -1 };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** 0.9's cut of a prompt of `tokens` that does not fit `nCtx`: keep n_keep, drop whole blocks of half the rest. */
export function truncateLike09(tokens: number[], nCtx: number, nKeep = 0): number[] {
  const nLeft = nCtx - nKeep;
  const blockSize = Math.floor(nLeft / 2);
  const erasedBlocks = Math.floor((tokens.length - nKeep - blockSize) / blockSize);
  return [...tokens.slice(0, nKeep), ...tokens.slice(nKeep + erasedBlocks * blockSize)];
}

/** A final chunk of llama-server rewritten the way 0.9 writes it. */
function finalChunk09(chunk: Record<string, unknown>, truncated: boolean, nCtx: number, model: string): Record<string, unknown> {
  const stopType = chunk.stop_type;
  const settings = (chunk.generation_settings ?? {}) as Record<string, unknown>;
  return {
    content: '',
    slot_id: 0,
    stop: true,
    model,
    tokens_predicted: chunk.tokens_predicted,
    tokens_evaluated: chunk.tokens_evaluated,
    generation_settings: { ...settings, n_ctx: nCtx, model },
    prompt: chunk.prompt,
    truncated: truncated || chunk.truncated === true,
    stopped_eos: stopType === 'eos',
    stopped_word: stopType === 'word',
    stopped_limit: stopType === 'limit',
    stopping_word: chunk.stopping_word ?? '',
    tokens_cached: chunk.tokens_cached,
    timings: chunk.timings,
  };
}

export async function startLlamafileProxy(upstreamUrl: string, generation: Generation, options: LlamafileProxyOptions = {}): Promise<LlamafileProxy> {
  const target = new URL(upstreamUrl);
  const proxy: LlamafileProxy = { url: '', generation, claimContext: null, citations: null, streamError: null, paceMs: 0, apiKey: null, completions: [], close: () => Promise.resolve() };

  const call = (method: string, path: string, headers: IncomingHttpHeaders, body?: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      // The page's own headers describe the page's request, not this one: only its key goes on.
      const sent: Record<string, string> = { 'content-type': 'application/json' };
      if (headers.authorization) sent.authorization = headers.authorization;
      if (body) sent['content-length'] = String(body.length);
      const outgoing = request({ host: target.hostname, port: target.port, path, method, headers: sent, agent: false }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (part: Buffer) => parts.push(part));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(parts) }));
        answer.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const upstreamProps = async (headers: IncomingHttpHeaders) => {
    const answer = await call('GET', '/props', headers);
    return JSON.parse(answer.body.toString('utf8')) as { default_generation_settings: { n_ctx: number }; model_path: string; total_slots: number };
  };

  const pipe = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const headers = body ? { ...req.headers, 'content-length': String(body.length) } : req.headers;
    const outgoing = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.on('close', () => answer.destroy());
      answer.pipe(res);
    });
    outgoing.on('error', () => res.destroy());
    if (body) outgoing.end(body);
    else req.pipe(outgoing);
  };

  /**
   * Streams a completion from llama-server to the page, rewritten for the generation, with the
   * citations (if any) before the first token. A page that hangs up reaches the server.
   */
  const streamCompletion = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, truncated: boolean, nCtx: number, model: string) => {
    const payload = Buffer.from(JSON.stringify(body));
    const outgoing = request(
      { host: target.hostname, port: target.port, path: '/completion', method: 'POST', headers: { ...req.headers, 'content-length': String(payload.length) }, agent: false },
      (answer) => {
        res.on('close', () => answer.destroy());
        const status = answer.statusCode ?? 502;
        if (status !== 200) {
          const parts: Buffer[] = [];
          answer.on('data', (part: Buffer) => parts.push(part));
          answer.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            if (generation === '0.10') {
              res.writeHead(status, answer.headers);
              res.end(text);
            } else sendText(res, status, OVERWRITTEN[status] ?? errorMessage(text));
          });
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        let citationsSent = proxy.citations === null;
        let pending = '';
        let visible = 0;
        let failed = false;
        answer.setEncoding('utf8');
        answer.on('data', (data: string) => {
          if (failed) return;
          if (proxy.paceMs > 0) {
            answer.pause();
            setTimeout(() => answer.resume(), proxy.paceMs);
          }
          pending += data;
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            if (proxy.streamError !== null && visible > 0) {
              // 0.9 writes the failure as its own line and ends; llama-server as a data line.
              failed = true;
              const message = proxy.streamError;
              res.end(generation === '0.9' ? `error: ${JSON.stringify({ content: message })}\n\n` : `data: ${JSON.stringify({ error: { code: 500, message, type: 'server_error' } })}\n\n`);
              answer.destroy();
              return;
            }
            if (line.startsWith('data: ')) visible += String((JSON.parse(line.slice(6)) as { content?: unknown }).content ?? '').trim().length;
            if (!line.startsWith('data: ')) {
              // 0.9 sends no keep-alive comments; blank lines separate events and are written with them.
              if (generation === '0.10' && line.length > 0) res.write(`${line}\n`);
              continue;
            }
            const chunk = JSON.parse(line.slice(6)) as Record<string, unknown>;
            if (!citationsSent) {
              citationsSent = true;
              res.write(textChunk(generation, proxy.citations ?? ''));
            }
            if (generation === '0.10') {
              res.write(`${line}\n\n`);
              continue;
            }
            if (chunk.error !== undefined) {
              res.write(`error: ${JSON.stringify({ content: errorMessage(JSON.stringify(chunk)) })}\n\n`);
              continue;
            }
            const rewritten = chunk.stop === true ? finalChunk09(chunk, truncated, nCtx, model) : { content: chunk.content, stop: false, slot_id: 0, multimodal: false };
            res.write(`data: ${JSON.stringify(rewritten)}\n\n`);
          }
        });
        answer.on('end', () => {
          if (!failed) res.end();
        });
      },
    );
    outgoing.on('error', () => res.destroy());
    outgoing.end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/props') {
      const props = (await upstreamProps(req.headers)) as Record<string, unknown> & Awaited<ReturnType<typeof upstreamProps>>;
      const nCtx = proxy.claimContext ?? props.default_generation_settings.n_ctx;
      if (generation === '0.10') {
        sendJson(res, 200, { ...props, default_generation_settings: { ...props.default_generation_settings, n_ctx: nCtx } });
        return;
      }
      sendJson(res, 200, {
        user_name: 'User',
        assistant_name: 'Llama',
        default_generation_settings: { n_ctx: nCtx, model: options.modelName ?? props.model_path, n_predict: -1, temperature: 0.8, top_p: 0.95, stream: false },
        total_slots: props.total_slots,
      });
      return;
    }
    if (generation === '0.10' && path !== '/completion') return pipe(req, res);
    if (path === '/apply-template') {
      await readBody(req);
      sendText(res, 404, OVERWRITTEN[404]);
      return;
    }
    if (path === '/tokenize' && req.method === 'POST') {
      let content: unknown;
      try {
        content = (JSON.parse((await readBody(req)).toString('utf8')) as { content?: unknown }).content;
      } catch {
        sendText(res, 500, 'bad JSON');
        return;
      }
      // 0.9 reads `content` alone: no with_pieces, and never the start token.
      const answer = await call('POST', '/tokenize', req.headers, Buffer.from(JSON.stringify({ content, add_special: false })));
      if (answer.status !== 200) return sendText(res, answer.status, OVERWRITTEN[answer.status] ?? errorMessage(answer.body.toString('utf8')));
      const { tokens } = JSON.parse(answer.body.toString('utf8')) as { tokens: number[] };
      sendJson(res, 200, { tokens });
      return;
    }
    if (path === '/completion' && req.method === 'POST') {
      const raw = await readBody(req);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        if (generation === '0.9') sendText(res, 500, '[json.exception.parse_error.101] parse error');
        else pipe(req, res, raw);
        return;
      }
      proxy.completions.push(body);
      if (generation === '0.9' && proxy.apiKey !== null && req.headers.authorization !== `Bearer ${proxy.apiKey}`) {
        sendText(res, 401, OVERWRITTEN[401]);
        return;
      }
      const props = await upstreamProps(req.headers);
      const nCtx = props.default_generation_settings.n_ctx;
      const model = options.modelName ?? props.model_path;
      if (generation === '0.10') return streamCompletion(req, res, body, false, nCtx, model);
      // 0.9 cuts a prompt that fills the context and goes on: n_keep tokens, then the last blocks.
      const counted = await call('POST', '/tokenize', req.headers, Buffer.from(JSON.stringify({ content: body.prompt, add_special: true })));
      const { tokens } = JSON.parse(counted.body.toString('utf8')) as { tokens: number[] };
      if (tokens.length < nCtx) return streamCompletion(req, res, body, false, nCtx, model);
      return streamCompletion(req, res, { ...body, prompt: truncateLike09(tokens, nCtx, typeof body.n_keep === 'number' ? Math.max(0, body.n_keep) : 0) }, true, nCtx, model);
    }
    // Static files and the rest: 0.9 serves them much as llama-server does.
    pipe(req, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 502, `proxy: ${String(error)}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** The message of a llama-server JSON error, or the text itself. */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    return parsed.error?.message ?? text;
  } catch {
    return text;
  }
}
