import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Passes a request on to the model server at `upstream` and streams its answer back as it
 * comes (completions are server-sent events). A client that goes away cancels the upstream
 * request, which is how llama.cpp learns to stop generating.
 */
export function forwarder(upstream: URL): (req: IncomingMessage, res: ServerResponse) => void {
  const request = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  const prefix = upstream.pathname.replace(/\/+$/, '');
  return (req, res) => {
    const outgoing = request(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname.replace(/^\[|\]$/g, ''),
        port: upstream.port || undefined,
        method: req.method,
        path: prefix + (req.url ?? '/'),
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', (error) => {
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The model server at ${upstream.href} did not answer: ${error.message}\n`);
    });
    res.on('close', () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    req.pipe(outgoing);
  };
}
