import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy in front of a real llama-server that misbehaves on request, the way networks and
 * servers do: it answers /health with 503, holds a completion back, cuts a streamed answer
 * off, or slips a line into it that is not part of the protocol. Everything else passes through untouched.
 */

export type Fault = 'none' | 'loading' | 'drop-mid-stream' | 'malformed-line' | 'slow';

export interface FaultProxy {
  url: string;
  fault: Fault;
  /** How long 'slow' holds each /completion before passing it on. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const proxy: FaultProxy = { url: '', fault: 'none', delayMs: 0, close: () => Promise.resolve() };

  // A connection of its own per request (agent: false): a kept-alive one the server has just closed fails with "socket hang up".
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const headers = body ? { ...req.headers, 'content-length': String(body.length) } : req.headers;
    const outgoing = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // A page that hangs up must reach the server, as it would without a proxy.
      res.on('close', () => answer.destroy());
      const streaming = req.url === '/completion' && (proxy.fault === 'drop-mid-stream' || proxy.fault === 'malformed-line');
      if (!streaming) {
        answer.pipe(res);
        return;
      }
      // Cut only once the page has text to keep: the first events may carry byte tokens
      // that do not yet make a whole character, or only spaces.
      let visible = 0;
      let pending = '';
      let cut = false;
      answer.setEncoding('utf8');
      answer.on('data', (data: string) => {
        res.write(data);
        if (cut) return;
        pending += data;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) visible += visibleContent(line);
        if (visible < 20) return;
        cut = true;
        if (proxy.fault === 'malformed-line') {
          // The rest still flows: the page must hang up by itself.
          res.write('data: {"content": "this line is cut\n\n');
          return;
        }
        answer.destroy();
        // end() sends what was written before closing, mid-body, as a dropped connection does.
        res.socket?.end();
      });
    });
    outgoing.on('error', () => res.destroy());
    if (body) outgoing.end(body);
    else req.pipe(outgoing);
  };

  /**
   * A completion the proxy will cut must go on long enough to be cut: the generated model may
   * otherwise end its answer (end of text, a stop string) before it has written anything.
   */
  const forwardToBeCut = (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const completion = JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>;
      forward(req, res, Buffer.from(JSON.stringify({ ...completion, ignore_eos: true, stop: [] })));
    });
  };

  const server: Server = createServer((req, res) => {
    if (proxy.fault === 'loading' && req.url === '/health') {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 503, message: 'Loading model', type: 'unavailable_error' } }));
      return;
    }
    if (req.url === '/completion' && proxy.fault === 'slow') {
      // A server busy with another request, or reading a long prompt on a slow CPU.
      setTimeout(() => forward(req, res), proxy.delayMs);
      return;
    }
    if (req.url === '/completion' && (proxy.fault === 'drop-mid-stream' || proxy.fault === 'malformed-line')) forwardToBeCut(req, res);
    else forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}

function visibleContent(line: string): number {
  if (!line.startsWith('data: ')) return 0;
  try {
    const event = JSON.parse(line.slice(6)) as { content?: unknown };
    return typeof event.content === 'string' ? event.content.trim().length : 0;
  } catch {
    return 0;
  }
}
