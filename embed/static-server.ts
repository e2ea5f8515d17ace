import { createServer, type Server } from 'node:http';
import sirv from 'sirv';
import { forwarder } from './forward';

/**
 * Serves the built app as plain static files. Without `upstream` the page has no model server
 * (library and search work; chat says what is missing). With it, every path that is not a
 * file of the app goes to that server: its routes (`/health`, `/completion`, …) then answer
 * from the page's own origin, as they do when a llamafile serves the page.
 */
export function serveStatic(dir: string, host: string, port: number, upstream?: URL): Promise<Server> {
  const files = sirv(dir, { etag: true, dev: false });
  const forward = upstream ? forwarder(upstream) : null;
  const server = createServer((req, res) =>
    files(req, res, () => {
      if (forward) return forward(req, res);
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found');
    }),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}
