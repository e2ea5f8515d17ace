import { execFile } from 'node:child_process';
import { isGguf, startsWith } from './gguf';
import { openZip } from './zip-entries';

/**
 * Which generation of llamafile a file is, from what it prints for `--version`
 * ("llamafile v0.9.3"). The two need different command lines to serve the app:
 * 0.8.14 to 0.9.x pick their mode from the command line before reading `.args`, so they need
 * `--server` there, and open a browser unless told `--nobrowser`; 0.10 treats `--nobrowser`
 * as an error.
 */

export interface LlamafileVersion {
  /** As printed, e.g. "0.9.3"; null when the output named no llamafile version. */
  version: string | null;
  /** 0.9.x or older: the 2024 fork of the llama.cpp server. */
  legacy: boolean;
}

export function parseLlamafileVersion(output: string): LlamafileVersion {
  const match = /llamafile\s+v?(\d+)\.(\d+)(?:\.(\d+))?/i.exec(output);
  if (!match) return { version: null, legacy: false };
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return { version: match[0].replace(/^llamafile\s+v?/i, ''), legacy: major === 0 && minor < 10 };
}

/** The arguments that make it a server for the app, before host, port and model. */
export function llamafileServerArgs(version: LlamafileVersion): string[] {
  return version.legacy ? ['--server', '--nobrowser'] : ['--server'];
}

// The first run of a llamafile may unpack its loader (and, with a GPU, build kernels).
const VERSION_TIMEOUT_MS = 120_000;

export function readLlamafileVersion(path: string): Promise<LlamafileVersion> {
  return new Promise((resolveVersion, reject) => {
    execFile(path, ['--version'], { timeout: VERSION_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      const version = parseLlamafileVersion(output);
      if (version.version !== null) return resolveVersion(version);
      if (error && (error as NodeJS.ErrnoException).code === 'EACCES') {
        return reject(new Error(`${path} is not executable: run chmod +x ${JSON.stringify(path)}`));
      }
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(`No file at ${path}`));
      // Not a llamafile version line (a plain llama-server, say): run it the modern way.
      resolveVersion(version);
    });
  });
}

/**
 * Why the file is plainly not a llamafile, for the two mistakes people make: a GGUF model
 * (what a llamafile holds), or llamafile's release zip (which holds the llamafile, in bin/).
 * Null when it may be one.
 */
export async function notALlamafile(path: string, modelHint: string): Promise<string | null> {
  if (await isGguf(path)) return `${path} is a GGUF model, not a llamafile: ${modelHint}`;
  // A llamafile starts with its program; a file that starts with a zip entry is a plain zip.
  if (!(await startsWith(path, 'PK\x03\x04'))) return null;
  let names: string[] = [];
  try {
    const zip = await openZip(path);
    names = [...zip.entries.keys()];
    zip.close();
  } catch {
    // A damaged zip: not a llamafile either.
  }
  const inside = names.find((name) => /(^|\/)bin\/llamafile$/.test(name));
  if (inside) {
    return `${path} is llamafile's release zip, not a llamafile. Unpack it: the llamafile is ${inside} inside (it holds no model: add one with --model).`;
  }
  return `${path} is a plain zip archive, not a llamafile: there is no program in front of it.`;
}
