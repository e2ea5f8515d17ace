// Finds and runs llama.cpp's llama-server, for `npm start` and the
// end-to-end tests. Only node: built-ins, so it runs before any build step.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where embed/setup-llama-server.sh puts its wrapper. */
export function cachedLlamaServerPath(): string {
  const home = process.env.MEMORY_CACHE_HOME || join(repoRoot, '.cache');
  return join(home, 'llama-server', 'bin', 'llama-server');
}

/** A regular file this process may run. */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The llama-server to run: $MEMORY_CACHE_LLAMA_SERVER, else `llama-server`
 * on PATH, else the one installed by embed/setup-llama-server.sh.
 */
export function findLlamaServer(): string | null {
  // Taken as given, even if missing: a wrong explicit choice should fail
  // loudly at spawn rather than silently fall back to another binary.
  const explicit = process.env.MEMORY_CACHE_LLAMA_SERVER;
  if (explicit) return explicit;
  const name = process.platform === 'win32' ? 'llama-server.exe' : 'llama-server';
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutableFile(join(dir, name))) return join(dir, name);
  }
  const cached = cachedLlamaServerPath();
  return isExecutableFile(cached) ? cached : null;
}

/** Where to get llama-server where the setup script cannot install it (Debian x86_64 only). */
export const LLAMA_SERVER_ELSEWHERE = [
  'Get llama-server from llama.cpp and put it on the PATH (or set MEMORY_CACHE_LLAMA_SERVER to it):',
  '  macOS: brew install llama.cpp',
  '  Windows: winget install llama.cpp, or a release build of llama.cpp (llama-*-bin-win-*.zip)',
  '  Linux: your distribution\'s llama.cpp package, or a release build of llama.cpp',
  'Or run a llamafile instead: npm start -- --llamafile FILE',
].join('\n');

/**
 * Installs llama-server with embed/setup-llama-server.sh (its progress on stderr) and returns
 * it, or null when the script failed (it says why).
 */
export function installLlamaServer(log: (message: string) => void = console.log): Promise<string | null> {
  log('No llama-server found: installing one into .cache/ with embed/setup-llama-server.sh (once; about 50 MB)…');
  return new Promise((resolveInstall) => {
    const child = spawn('bash', [join(repoRoot, 'embed/setup-llama-server.sh')], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', () => resolveInstall(null));
    child.once('exit', (code) => resolveInstall(code === 0 ? findLlamaServer() : null));
  });
}

export interface LlamaServerOptions {
  binary?: string;
  /** What the messages call it ("llama-server", "the llamafile"). */
  label?: string;
  /** Optional only for a llamafile that holds its own model (named in its `.args`). */
  model?: string;
  /** Put first, e.g. a llamafile's `--server`. */
  leadingArgs?: string[];
  /** `-t`; default 2 (the test machines' cores); null leaves it to the server. */
  threads?: number | null;
  /** `-np`; default 1: one person, and each slot gets the whole context. */
  parallel?: number;
  /** Served at / (`--path`): the built app. */
  staticDir?: string;
  host?: string;
  /** 0 or undefined: a free port. */
  port?: number;
  ctxSize?: number;
  /** Appended last, so they override the defaults (llama.cpp: last one wins). */
  extraArgs?: string[];
  apiKey?: string;
  log?: (line: string) => void;
  /** How long to wait for /health to answer 200. */
  startTimeoutMs?: number;
}

export interface LlamaServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if it lingers; resolves once the process is gone. */
  stop(): Promise<void>;
  /** The last lines it printed, for error messages. */
  output(): string;
}

const OUTPUT_LINES = 50;
const STOP_GRACE_MS = 3000;
// A probed free port can be taken before llama-server binds it; retried.
const BIND_ATTEMPTS = 3;

/**
 * Binds `port` (0: any) and lets go of it, returning the port. A taken port
 * must be caught here, up front: otherwise the process already listening
 * there answers our /health with 200 before the new llama-server even gets
 * to fail its bind, and the caller would talk to the wrong server.
 */
function probePort(host: string, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (bound ? resolvePort(bound) : reject(new Error('no port assigned'))));
    });
  });
}

function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

class StartError extends Error {
  constructor(
    message: string,
    readonly bindFailed: boolean,
  ) {
    super(message);
  }
}

export async function startLlamaServer(opts: LlamaServerOptions): Promise<LlamaServer> {
  const binary = opts.binary ?? findLlamaServer();
  if (!binary) {
    throw new Error(
      'llama-server not found: run embed/setup-llama-server.sh, put llama-server on PATH, ' +
        'or set MEMORY_CACHE_LLAMA_SERVER',
    );
  }
  const host = opts.host ?? '127.0.0.1';
  const pickPort = !opts.port;
  for (let attempt = 1; ; attempt++) {
    let port: number;
    try {
      port = await probePort(host, opts.port ?? 0);
    } catch (err) {
      throw new Error(`cannot use ${host}:${opts.port ?? 0} for ${opts.label ?? 'llama-server'}: ${String(err)}`);
    }
    try {
      return await startOnce(binary, host, port, opts);
    } catch (err) {
      const retry = err instanceof StartError && err.bindFailed && pickPort;
      if (!retry || attempt >= BIND_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(
  binary: string,
  host: string,
  port: number,
  opts: LlamaServerOptions,
): Promise<LlamaServer> {
  const label = opts.label ?? 'llama-server';
  const args = [...(opts.leadingArgs ?? [])];
  if (opts.model !== undefined) args.push('-m', opts.model);
  args.push('--host', host, '--port', String(port), '-np', String(opts.parallel ?? 1));
  const threads = opts.threads === undefined ? 2 : opts.threads;
  if (threads !== null) args.push('-t', String(threads));
  if (opts.ctxSize !== undefined) args.push('-c', String(opts.ctxSize));
  if (opts.staticDir !== undefined) args.push('--path', opts.staticDir);
  if (opts.apiKey !== undefined) args.push('--api-key', opts.apiKey);
  args.push(...(opts.extraArgs ?? []));

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  const lines: string[] = [];
  const record = (line: string): void => {
    lines.push(line);
    if (lines.length > OUTPUT_LINES) lines.shift();
    opts.log?.(line);
  };
  const output = (): string => lines.join('\n');
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) record(part.replace(/\r$/, ''));
    });
    stream.on('end', () => {
      if (partial) record(partial);
      partial = '';
    });
  }

  // How it ended, once it has: code, signal or spawn error.
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolveExit) => {
    const done = (reason: string): void => {
      exitReason ??= reason;
      resolveExit();
    };
    child.once('exit', (code, signal) => done(signal ? `signal ${signal}` : `code ${code}`));
    child.once('error', (err) => done(`error: ${err.message}`));
  });
  const running = (): boolean => exitReason === undefined;

  // A test run that ends without calling stop() must not leave a server
  // holding a port. (Ctrl-C reaches the child anyway: same process group.)
  const killOnExit = (): void => {
    if (running()) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (!running()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const url = httpUrl(host, port);
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (running()) {
    // Checked after the request too: a 200 that arrives as our child dies
    // of a lost port race came from someone else.
    if ((await healthy(url)) && running()) return { url, port, child, stop, output };
    if (Date.now() > deadline) {
      await stop();
      throw new StartError(
        `${label} did not become healthy within ${timeoutMs} ms\n${output()}`,
        false,
      );
    }
    await Promise.race([sleep(100), exited]);
  }

  process.removeListener('exit', killOnExit);
  // Let the pipes drain so the error shows the server's last words.
  await sleep(50);
  const text = output();
  throw new StartError(
    `${label} exited (${exitReason ?? 'unknown'}) before becoming healthy: ` +
      `${binary} ${args.join(' ')}\n${text}`,
    /couldn't bind|address already in use/i.test(text),
  );
}

async function healthy(url: string): Promise<boolean> {
  try {
    // 503 while the model loads; connection refused before the socket binds.
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
