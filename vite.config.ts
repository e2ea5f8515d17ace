import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const projectRoot = dirname(fileURLToPath(import.meta.url));
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
// pdf.js fetches these at run time: CJK cMaps, the 14 standard fonts, its image decoders
// (wasm) and colour profiles. They are served from the app's own folder, never a CDN.
const PDFJS_ASSET_FOLDERS = ['cmaps', 'standard_fonts', 'wasm', 'iccs'];

function pdfjsAssets(): Plugin {
  let outDir: string | null = null;
  return {
    name: 'memory-cache:pdfjs-assets',
    configResolved(config) {
      // Vitest runs the plugins too (mode 'test'), with a placeholder output folder: copy only
      // for a real build, which may itself run inside a test (npm start, npm run embed).
      outDir = config.command === 'build' && config.mode !== 'test' ? resolve(config.root, config.build.outDir) : null;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /^\/pdfjs\/([a-z_]+)\/([\w.-]+)$/.exec((req.url ?? '').split('?')[0]);
        if (!match || !PDFJS_ASSET_FOLDERS.includes(match[1])) return next();
        const file = join(pdfjsRoot, match[1], match[2]);
        if (!existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        createReadStream(file).pipe(res);
      });
    },
    closeBundle() {
      if (outDir === null) return;
      for (const folder of PDFJS_ASSET_FOLDERS) cpSync(join(pdfjsRoot, folder), join(outDir, 'pdfjs', folder), { recursive: true });
    },
  };
}

/**
 * The page's Content-Security-Policy. Only the built page carries it: Vite's dev server
 * needs inline scripts and a websocket of its own. pdf.js needs 'wasm-unsafe-eval' for its
 * image decoders, and blob: for its worker and rendered images.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'memory-cache:csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

const modelServer = process.env.MEMORY_CACHE_SERVER ?? 'http://127.0.0.1:8080';
const SERVER_ROUTES = ['/health', '/props', '/tokenize', '/detokenize', '/apply-template', '/completion', '/slots'];

export default defineConfig({
  root: join(projectRoot, 'web'),
  publicDir: join(projectRoot, 'public'),
  // Relative URLs: the app is served from a llamafile's zip, a folder, or any URL prefix.
  base: './',
  plugins: [svelte({ configFile: false }), pdfjsAssets(), contentSecurityPolicy()],
  build: {
    outDir: join(projectRoot, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: Object.fromEntries(SERVER_ROUTES.map((route) => [route, { target: modelServer, changeOrigin: true }])),
  },
  test: {
    root: projectRoot,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          // One browser and one model server at a time: the machine has two cores.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // expect.poll gives up after one second by default: the page, the browser and the
          // model server share two cores here, and a regenerated answer polled for once took
          // longer. Playwright's own waits allow 30 s; polls get the same.
          expect: { poll: { timeout: 30_000 } },
        },
      },
    ],
  },
});
