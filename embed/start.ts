import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { buildAppIfStale, distDir } from './build-app';
import { findLlamaServer, startLlamaServer } from './llama-server';
import { serveStatic } from './static-server';

/**
 * `npm start`: builds the app if needed, then serves it. With a model (and a llama-server
 * on this machine) the model server serves the app itself, as a llamafile does; without
 * one, the app is served alone and search works while chat waits for a model.
 */

const USAGE = `Usage: npm start -- [--model FILE.gguf] [--port 8080] [--host 127.0.0.1]

  --model FILE   run llama-server with this GGUF model and serve the app through it
                 (also MEMORY_CACHE_MODEL). llama-server is taken from
                 MEMORY_CACHE_LLAMA_SERVER, the PATH, or 'bash embed/setup-llama-server.sh'.
  --port N       port to listen on (default 8080)
  --host ADDR    address to listen on (default 127.0.0.1)`;

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: process.env.MEMORY_CACHE_MODEL },
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = Number.parseInt(values.port ?? '8080', 10);
const host = values.host ?? '127.0.0.1';

await buildAppIfStale();

if (values.model) {
  if (!existsSync(values.model)) {
    console.error(`No model file at ${values.model}`);
    process.exit(1);
  }
  const binary = findLlamaServer();
  if (!binary) {
    console.error('No llama-server found. Install one with: bash embed/setup-llama-server.sh');
    process.exit(1);
  }
  const server = await startLlamaServer({ binary, model: values.model, staticDir: distDir, host, port }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
  console.log(`Memory Cache is running at ${server.url}/ with ${values.model}. Press Ctrl-C to stop.`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  const server = await serveStatic(distDir, host, port);
  console.log(`Memory Cache is running at http://${host}:${port}/ (no model: library and search only). Press Ctrl-C to stop.`);
  console.log('To chat with your documents, start it with a model: npm start -- --model path/to/model.gguf');
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
