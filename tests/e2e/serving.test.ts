import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFiles, libraryItem, openApp, pdfFile, search, useBrowser } from './browser';
import { COMPOSTING, compostingPdf } from '../support/corpus';

/**
 * The built app as plain static files: it must work from any folder and URL prefix, and no
 * file of dist/ may take the path of a route of the model server that serves it.
 */

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const browser = useBrowser();

// llama-server's and llamafile's routes, at the root where `--path dist` puts the app's files.
const SERVER_ROUTES = ['health', 'props', 'slots', 'metrics', 'completion', 'completions', 'tokenize', 'detokenize', 'apply-template', 'embedding', 'embeddings', 'infill', 'rerank', 'reranking', 'lora-adapters', 'models', 'chat', 'v1', 'api'];

describe('the built app as static files', () => {
  it('has no file named like a route of the model server', () => {
    const names = readdirSync(dist).map((name) => name.toLowerCase());
    expect(names).toContain('index.html');
    expect(names.filter((name) => SERVER_ROUTES.includes(name))).toEqual([]);
  });

  describe('served under a URL prefix', () => {
    const PREFIX = '/some/prefix/';
    let server: Server;
    let origin = '';
    const outside: string[] = [];

    const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.bcmap': 'application/octet-stream', '.pfb': 'application/octet-stream', '.ttf': 'font/ttf' };

    beforeAll(async () => {
      // A plain static server, as a person might put the app behind: files under the prefix, nothing else.
      server = createServer((request, response) => {
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
        if (!path.startsWith(PREFIX)) {
          outside.push(path);
          response.writeHead(404).end();
          return;
        }
        let file = normalize(join(dist, path.slice(PREFIX.length)));
        if (!file.startsWith(dist)) return void response.writeHead(403).end();
        if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
        if (!existsSync(file)) return void response.writeHead(404).end();
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      origin = `http://127.0.0.1:${address.port}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('adds and searches a document, and asks for nothing outside the prefix', async () => {
      const { page, errors, failedRequests } = await openApp(browser(), `${origin}${PREFIX}`);
      await addFiles(page, [pdfFile(COMPOSTING.fileName, await compostingPdf())]);
      await libraryItem(page, COMPOSTING.fileName).filter({ hasText: 'Ready' }).waitFor();
      const results = await search(page, 'compost heap');
      expect(results[0]).toContain(COMPOSTING.title);
      await page.getByText(/no model server/i).first().waitFor();
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
      // The model server's routes answer 404 here (there is none); every file was found.
      expect(failedRequests.filter((r) => !/\/(health|props|slots|tokenize|apply-template|completion)(\?|:)/.test(r))).toEqual([]);
    });
  });
});
