import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { buildAppIfStale, distDir } from './build-app';
import { isGguf } from './gguf';
import { findLlamaServer, installLlamaServer, LLAMA_SERVER_ELSEWHERE, startLlamaServer, type LlamaServer } from './llama-server';
import { llamafileServerArgs, notALlamafile, readLlamafileVersion } from './llamafile-version';
import { openBrowser } from './open-browser';
import { serveStatic } from './static-server';
import { userPath } from './user-paths';

/**
 * `npm start`: builds the app if needed, then serves it for whatever the person has: a
 * llamafile, a GGUF model (run with llama-server), a model server already running, or
 * nothing (the app alone: library and search work, chat waits for a model).
 */

const USAGE = `Usage: npm start -- [--llamafile FILE | --model FILE.gguf | --server URL] [options]

  --llamafile FILE  run this llamafile as the server; it serves the app from dist/
                    (with --model, that model instead of the one inside it)
  --model FILE      run llama-server with this GGUF model (MEMORY_CACHE_MODEL gives one
                    when none of these three options is given). llama-server is taken
                    from MEMORY_CACHE_LLAMA_SERVER, the PATH, or .cache/, where it is
                    installed on first use (embed/setup-llama-server.sh)
  --server URL      serve the app here and pass its model-server requests to URL
                    (a llamafile or llama-server you started yourself)
  (none of these)   serve the app alone: library and search work, chat needs a model
  --port N          port to listen on (default 8080)
  --host ADDR       address to listen on (default 127.0.0.1; 0.0.0.0 for your network)
  --gpu             offload the model to the GPU (-ngl 999)
  --no-open         do not open a browser`;

// Loading a large model, or a llamafile's first run on a GPU, can take minutes.
const MODEL_START_TIMEOUT_MS = 30 * 60_000;
const PROGRESS_INTERVAL_MS = 10_000;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        llamafile: { type: 'string' },
        model: { type: 'string' },
        server: { type: 'string' },
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        gpu: { type: 'boolean', default: false },
        'no-open': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}
const { values } = parseCommandLine();

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`Not a port number: ${values.port}`);
const host = values.host;
if (values.server && (values.model || values.llamafile)) fail('--server uses a model server that is already running: leave out --model and --llamafile.');

const llamafile = values.llamafile ? userPath(values.llamafile) : undefined;
// The variable stands for --model alone: a server already running, or a llamafile with its
// own model, is what the person asked for.
const modelArg = values.model ?? (values.server || values.llamafile ? undefined : process.env.MEMORY_CACHE_MODEL || undefined);
const model = modelArg ? userPath(modelArg) : undefined;
let upstream: URL | undefined;
if (values.server) {
  try {
    upstream = new URL(values.server);
  } catch {
    fail(`Not a URL: ${values.server} (for example http://127.0.0.1:8081)`);
  }
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') fail(`--server needs an http:// or https:// URL, not ${values.server}`);
}
if (llamafile) {
  if (!(existsSync(llamafile) && statSync(llamafile).isFile())) fail(`No llamafile at ${llamafile}`);
  const why = await notALlamafile(llamafile, `npm start -- --model ${JSON.stringify(llamafile)}`);
  if (why) fail(why);
}
if (model) {
  if (!(existsSync(model) && statSync(model).isFile())) fail(`No model file at ${model}`);
  if (!(await isGguf(model))) fail(`${model} is not a GGUF model file (it does not start with "GGUF").`);
}

// Children and servers to stop on Ctrl-C, and whether that has begun.
const stops: Array<() => Promise<void>> = [];
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await Promise.allSettled(stops.map((stop) => stop()));
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

function pageUrl(): string {
  // An address that listens everywhere is opened through this machine's loopback.
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`;
}

function ready(description: string): void {
  const url = pageUrl();
  console.log(`Memory Cache is running at ${url} ${description}. Press Ctrl-C to stop.`);
  if (host === '0.0.0.0' || host === '::') console.log(`It listens on every network interface (--host ${host}).`);
  if (!values['no-open']) openBrowser(url);
}

/** Runs a model server that serves dist/ itself, as a llamafile serves the app inside it. */
async function runModelServer(options: Parameters<typeof startLlamaServer>[0], description: string): Promise<void> {
  const label = options.label ?? 'llama-server';
  console.log(`Starting ${label}${model ? ` with ${model}` : ''}…`);
  // A large model can take minutes to load: say now and then what the server is doing.
  let lastLine = '';
  const startedAt = Date.now();
  const progress = setInterval(() => {
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    console.log(`Still starting (${seconds} s)${lastLine ? `: ${lastLine.trim().slice(0, 160)}` : ''}`);
  }, PROGRESS_INTERVAL_MS);
  let server: LlamaServer;
  try {
    server = await startLlamaServer({
      staticDir: distDir,
      host,
      port,
      threads: null,
      startTimeoutMs: MODEL_START_TIMEOUT_MS,
      extraArgs: values.gpu ? ['-ngl', '999'] : [],
      log: (line) => {
        if (line.trim()) lastLine = line;
      },
      ...options,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    fail(/cannot use .* EADDRINUSE/.test(message) ? `Port ${port} on ${host} is in use: choose another with --port.` : `${label} did not start.\n${message}`);
  } finally {
    clearInterval(progress);
  }
  stops.push(() => server.stop());
  server.child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${label} stopped (${signal ?? `exit code ${code}`}). Its last lines:\n${server.output()}`);
    void shutdown(1);
  });
  ready(description);
}

async function serveApp(description: string): Promise<void> {
  let server: Server;
  try {
    server = await serveStatic(distDir, host, port, upstream);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'EADDRINUSE' ? `Port ${port} on ${host} is in use: choose another with --port.` : `Cannot serve on ${host}:${port}: ${String(error)}`);
  }
  stops.push(
    () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // An open page keeps connections alive (and a streamed answer open): end them too.
        server.closeAllConnections();
      }),
  );
  ready(description);
}

async function checkUpstream(url: URL): Promise<void> {
  try {
    const res = await fetch(new URL('health', url.href.endsWith('/') ? url : `${url.href}/`), { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    if (res.status === 503) console.log(`The model server at ${url.href} is still loading its model.`);
    else if (!res.ok) console.log(`The model server at ${url.href} answered /health with ${res.status}: is it a llamafile or llama-server?`);
  } catch {
    console.log(`Nothing answers at ${url.href} yet: the page will connect once a model server runs there.`);
  }
}

try {
  await buildAppIfStale();
} catch (error) {
  fail(`The app did not build: ${error instanceof Error ? error.message : String(error)}`);
}
if (values.gpu && !llamafile && !model) console.log('--gpu is for a model server that npm start runs: it has no effect here.');

if (llamafile) {
  const version = await readLlamafileVersion(llamafile).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
  await runModelServer(
    { binary: llamafile, label: 'the llamafile', model, leadingArgs: llamafileServerArgs(version) },
    `from ${llamafile}${version.version ? ` (llamafile ${version.version})` : ''}`,
  );
} else if (model) {
  const binary = findLlamaServer() ?? (await installLlamaServer());
  if (!binary) fail(`No llama-server, and embed/setup-llama-server.sh could not install one (see above).\n${LLAMA_SERVER_ELSEWHERE}`);
  await runModelServer({ binary, model }, `with ${model}`);
} else if (upstream) {
  await checkUpstream(upstream);
  await serveApp(`with the model server at ${upstream.href}`);
} else {
  await serveApp('without a model: library and search work');
  console.log(
    'To chat with your documents, give it a model:\n' +
      '  npm start -- --llamafile path/to/model.llamafile\n' +
      '  npm start -- --model path/to/model.gguf\n' +
      '  npm start -- --server http://127.0.0.1:8081   (a llamafile or llama-server already running there)',
  );
}
