import { createServer, type Server } from 'node:http';
import sirv from 'sirv';

/**
 * Serves the built app alone, as plain static files, for people who start the page before
 * (or without) a model server: the library and search work, chat says what is missing.
 */
export function serveStatic(dir: string, host: string, port: number): Promise<Server> {
  const files = sirv(dir, { etag: true, dev: false });
  const server = createServer((req, res) =>
    files(req, res, () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found');
    }),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
