// llamafile's own `zipalign` (shipped in the llamafile release zip, next to `llamafile`),
// when the person has it: the tool llamafile documents for putting files inside a llamafile.

import { execFile } from 'node:child_process';
import { isExecutableFile } from './llama-server';
import { delimiter, dirname, join } from 'node:path';

function run(binary: string, args: string[], cwd?: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolveRun) => {
    execFile(binary, args, { cwd, timeout: 60 * 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolveRun({ ok: !error, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/**
 * Android's build tools have a `zipalign` too, which does something else: llamafile's says
 * "PKZIP for LLMs" in its help (a man page, bold letters overstruck with backspaces).
 */
async function isLlamafileZipalign(binary: string): Promise<boolean> {
  const { output } = await run(binary, ['-h']);
  return /PKZIP for LLMs/i.test(output.replace(/.\x08/g, ''));
}

/** llamafile's zipalign on the PATH or beside the llamafile, or null. */
export async function findZipalign(llamafile: string): Promise<string | null> {
  // On Windows, llamafile's programs run once renamed to end in .exe.
  const name = process.platform === 'win32' ? 'zipalign.exe' : 'zipalign';
  const candidates = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)), join(dirname(llamafile), name)];
  for (const candidate of candidates) {
    if (isExecutableFile(candidate) && (await isLlamafileZipalign(candidate))) return candidate;
  }
  return null;
}

export interface ZipalignCall {
  args: string[];
  /** Names are taken as given (no -j), so the app's tree is named from this folder. */
  cwd?: string;
}

/**
 * The calls that add a model and the app. zipalign takes one alignment per call, so an added
 * model (64 KiB, its default: page size on every system llamafile runs on, so the weights can
 * be mapped in place) gets a call of its own, with -j so that it is named by its file name
 * alone. The app's files and `.args` go in one call, every file named with its path from
 * `stagingDir` (no -j) and aligned to 64 bytes: in the model's call each would be padded to
 * 64 KiB, 11.7 MB of padding for today's 6.5 MB app (~200 files), where the second call costs
 * only the first call's directory, left behind unused (zipalign never rewrites). Everything
 * is stored (-0): the weights must be, and the app is small.
 */
export function zipalignCalls(out: string, model: { path: string } | null, stagingDir: string, names: string[]): ZipalignCall[] {
  const calls: ZipalignCall[] = [];
  if (model) calls.push({ args: ['-j', '-0', out, model.path] });
  calls.push({ args: ['-0', '-a', '64', out, ...names], cwd: stagingDir });
  return calls;
}

export async function runZipalign(binary: string, calls: ZipalignCall[]): Promise<void> {
  for (const call of calls) {
    const { ok, output } = await run(binary, call.args, call.cwd);
    if (!ok) throw new Error(`zipalign failed: ${binary} ${call.args.slice(0, 4).join(' ')} …\n${output}`);
  }
}
