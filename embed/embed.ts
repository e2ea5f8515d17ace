import { constants, existsSync, statSync, statfsSync } from 'node:fs';
import { chmod, copyFile, cp, link, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAppIfStale, distDir } from './build-app';
import { listFiles } from './dist-files';
import { APP_FOLDER, composeDotArgs, modelEntryName, modelNamedIn, splitDotArgs, unportableArgument } from './dot-args';
import { checkEmbedded } from './embed-check';
import { isGguf } from './gguf';
import { notALlamafile } from './llamafile-version';
import { userPath } from './user-paths';
import { appendToZip, type ZipSource } from './zip-append';
import { openZip, NO_ZIP_ERRORS, type OpenZip } from './zip-entries';
import { findZipalign, runZipalign, zipalignCalls } from './zipalign';

/**
 * `npm run embed`: copies a llamafile and puts the built app inside the copy, with a `.args`
 * that serves it, so that the one file is the whole product.
 */

const USAGE = `Usage: npm run embed -- --llamafile IN [--model MODEL.gguf] [--out memory-cache.llamafile]
                        [--gpu] [--force] [-- extra server arguments]

  --llamafile IN   the llamafile to start from (any llamafile; it is copied, never changed)
  --model FILE     a GGUF model to put inside too (else the llamafile's own model, if it has one)
  --out FILE       what to write (default: memory-cache.llamafile)
  --gpu            make it offload the model to the GPU (-ngl 999 in its .args)
  --force          replace --out if it exists
  -- ARGS          more arguments for its server, e.g. -- --ctx-size 8192

Uses llamafile's zipalign when it is on the PATH or beside IN, else its own zip writer.`;

const MODEL_ALIGNMENT = 65536;
const FILE_ALIGNMENT = 64;
// Headers, directory records and alignment padding per file, generously.
const PER_FILE_OVERHEAD = 512;
const SPARE_BYTES = 1 << 20;

class Refusal extends Error {}

function refuse(message: string): never {
  throw new Refusal(message);
}

function describeSize(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function parseCommandLine() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        llamafile: { type: 'string' },
        model: { type: 'string' },
        out: { type: 'string', default: 'memory-cache.llamafile' },
        gpu: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    refuse(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const terminator = parsed.tokens.find((token) => token.kind === 'option-terminator');
  const stray = parsed.tokens.find((token) => token.kind === 'positional' && (!terminator || token.index < terminator.index));
  if (stray && stray.kind === 'positional') refuse(`Unexpected argument ${stray.value}: server arguments go after --\n\n${USAGE}`);
  return { values: parsed.values, extra: parsed.positionals };
}

/**
 * The zip at the end of the llamafile, read with zip.js: its entries, where it starts, and the
 * lines of its own `.args`, if it has one.
 */
async function readLlamafileZip(path: string): Promise<{ names: Set<string>; zipStart: number; directoryBytes: number; dotArgs: string[] }> {
  let zip: OpenZip;
  try {
    zip = await openZip(path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    refuse(NO_ZIP_ERRORS.includes(message) ? `${path} is not a llamafile: there is no zip archive at its end.` : `${path} is not a llamafile, or its zip is damaged: ${message}.`);
  }
  try {
    if (zip.entries.size === 0) refuse(`${path} is not a llamafile: the zip at its end is empty.`);
    const dotArgs = zip.entries.has('.args') ? splitDotArgs((await zip.read('.args')).toString('utf8')) : [];
    return { names: new Set(zip.entries.keys()), zipStart: zip.zipStart, directoryBytes: zip.directoryBytes, dotArgs };
  } finally {
    zip.close();
  }
}

/**
 * Puts `target` at `path` for zipalign, which names entries by their paths: a symbolic link,
 * else (Windows without the right to make one) a hard link for a file, else a copy.
 */
async function linkOrCopy(target: string, path: string, kind: 'dir' | 'file'): Promise<void> {
  try {
    await symlink(target, path, kind === 'dir' ? 'junction' : 'file');
    return;
  } catch {
    // No symbolic links here: fall through.
  }
  if (kind === 'dir') {
    await cp(target, path, { recursive: true });
    return;
  }
  try {
    await link(target, path);
  } catch {
    console.log(`(Copying ${basename(target)} under the name it gets inside: no links can be made here.)`);
    await copyFile(target, path, constants.COPYFILE_FICLONE);
  }
}

function sameFile(a: string, b: string): boolean {
  const [sa, sb] = [statSync(a), statSync(b)];
  return sa.dev === sb.dev && sa.ino === sb.ino;
}

function commandFor(out: string): string {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const shown = relative(cwd, out);
  if (!shown.startsWith('..') && !isAbsolute(shown)) return `./${shown}`;
  return out;
}

async function main(): Promise<void> {
  const { values, extra } = parseCommandLine();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.llamafile) refuse(`Which llamafile? Give it with --llamafile.\n\n${USAGE}`);

  const source = userPath(values.llamafile);
  const out = userPath(values.out);
  const modelPath = values.model ? userPath(values.model) : undefined;

  if (!existsSync(source) || !statSync(source).isFile()) refuse(`No llamafile at ${source}.`);
  if (modelPath) {
    if (!existsSync(modelPath) || !statSync(modelPath).isFile()) refuse(`No model file at ${modelPath}.`);
    if (!(await isGguf(modelPath))) refuse(`${modelPath} is not a GGUF model file (it does not start with "GGUF").`);
  }
  for (const arg of extra) {
    const why = unportableArgument(arg);
    if (why) refuse(`Cannot put ${JSON.stringify(arg)} in .args: ${why}.`);
  }
  if (existsSync(out)) {
    if (sameFile(out, source)) refuse(`--out is the llamafile itself: ${out}. It is never changed; write to another file.`);
    if (statSync(out).isDirectory()) refuse(`--out is a folder: ${out}`);
    if (!values.force) refuse(`${out} exists. Use --force to replace it, or --out to write elsewhere.`);
  }
  if (!existsSync(dirname(out))) refuse(`There is no folder ${dirname(out)} to write ${basename(out)} into.`);

  const notOne = await notALlamafile(source, 'give it with --model, and a llamafile with --llamafile (for example bin/llamafile from llamafile\'s release zip).');
  if (notOne) refuse(notOne);
  const inside = await readLlamafileZip(source);
  if (inside.zipStart === 0) refuse(`${source} is a plain zip archive, not a llamafile: there is no program in front of it.`);
  const previous = inside.dotArgs;
  const ownModel = modelNamedIn(previous);
  if (!modelPath && ownModel && !inside.names.has(ownModel)) {
    refuse(`${source}'s .args names the model ${ownModel}, which is not inside it: add a model with --model FILE.gguf.`);
  }

  await buildAppIfStale();
  const distFiles = listFiles(distDir);
  if (!distFiles.includes('index.html')) refuse(`${distDir} holds no built app (no index.html).`);

  const sourceSize = statSync(source).size;
  const modelSize = modelPath ? statSync(modelPath).size : 0;
  const appSize = distFiles.reduce((sum, file) => sum + statSync(join(distDir, file)).size, 0);
  const needed = sourceSize + modelSize + MODEL_ALIGNMENT + appSize + (distFiles.length + 2) * PER_FILE_OVERHEAD + inside.directoryBytes + SPARE_BYTES;
  const disk = statfsSync(dirname(out));
  const free = disk.bavail * disk.bsize;
  if (free < needed) refuse(`Not enough room in ${dirname(out)}: ${basename(out)} needs ${describeSize(needed)}, and ${describeSize(free)} is free.`);

  const modelEntry = modelPath ? modelEntryName(basename(modelPath)) : undefined;
  const dotArgs = composeDotArgs({ previous, modelEntry, gpu: values.gpu, extra });
  const oldModels = [...inside.names].filter((name) => /\.gguf$/i.test(name) && name !== modelEntry);

  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  let staging: string | undefined;
  const cleanUp = async (): Promise<void> => {
    await rm(partial, { force: true });
    if (staging) await rm(staging, { recursive: true, force: true });
  };
  const interrupted = (): void => void cleanUp().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    console.log(`Copying ${source} (${describeSize(sourceSize)})…`);
    // A copy-on-write clone where the file system can (instant, no extra space), else a copy.
    await copyFile(source, partial, constants.COPYFILE_FICLONE);
    await chmod(partial, (statSync(source).mode & 0o777) | 0o755);

    const zipalign = await findZipalign(source);
    if (zipalign) {
      console.log(`Adding the app with ${zipalign}…`);
      staging = await mkdtemp(join(tmpdir(), 'memory-cache-embed-'));
      await linkOrCopy(distDir, join(staging, APP_FOLDER), 'dir');
      await writeFile(join(staging, '.args'), dotArgs);
      const names = [...distFiles.map((file) => `${APP_FOLDER}/${file}`), '.args'];
      let modelFile = modelPath;
      if (modelPath && modelEntry && modelEntry !== basename(modelPath)) {
        // zipalign names it by its file name, which .args could not hold as one argument.
        modelFile = join(staging, modelEntry);
        await linkOrCopy(modelPath, modelFile, 'file');
      }
      await runZipalign(zipalign, zipalignCalls(partial, modelFile ? { path: modelFile } : null, staging, names));
    } else {
      console.log('Adding the app (no zipalign from llamafile found: using the built-in zip writer)…');
      const sources: ZipSource[] = [
        ...(modelPath && modelEntry ? [{ name: modelEntry, path: modelPath, alignment: MODEL_ALIGNMENT }] : []),
        ...distFiles.map((file) => ({ name: `${APP_FOLDER}/${file}`, path: join(distDir, file), alignment: FILE_ALIGNMENT })),
        { name: '.args', data: Buffer.from(dotArgs), alignment: FILE_ALIGNMENT },
      ];
      // An older build of the app is replaced whole, not file by file.
      await appendToZip(partial, sources, { drop: (name) => name.startsWith(`${APP_FOLDER}/`) });
    }

    console.log('Checking the result…');
    const report = await checkEmbedded({
      out: partial,
      source: { path: source, programBytes: inside.zipStart },
      distDir,
      distFiles,
      dotArgs,
      model: modelPath && modelEntry ? { path: modelPath, entry: modelEntry, size: modelSize } : undefined,
      namedModel: modelPath ? undefined : ownModel,
    });
    if (report.problems.length > 0) throw new Error(`The result failed its check:\n  ${report.problems.join('\n  ')}`);
    await rename(partial, out);
    await cleanUp();

    const added = [
      `${APP_FOLDER}/ (${distFiles.length} files, ${describeSize(appSize)}, the same as dist/)`,
      ...(modelPath ? [`${modelEntry} (${describeSize(modelSize)}, stored, aligned to ${MODEL_ALIGNMENT / 1024} KiB)`] : []),
      '.args',
    ];
    const model = modelEntry ?? ownModel;
    const command = commandFor(out);
    console.log(
      [
        '',
        `Wrote ${out} (${describeSize(statSync(out).size)}). Added and checked:`,
        ...added.map((line) => `  ${line}`),
        'Its .args:',
        ...splitDotArgs(dotArgs).map((line) => `  ${line}`),
        ...(report.stale.length > 0 ? [`(${report.stale.length} files of an older build stay inside, unused: zipalign cannot remove entries.)`] : []),
        ...(modelPath && oldModels.length > 0
          ? [`(${basename(source)} already held ${oldModels.join(', ')}: it stays inside, unused. Start from a llamafile without a model to save the space.)`]
          : []),
        '',
        'Run it:',
        `  ${command} --server${model ? '' : ' -m path/to/model.gguf'}`,
        'then open http://127.0.0.1:8080/ in a browser.',
        ...(model ? [] : ['It holds no model: give one with -m when you run it, or build it again with --model.']),
        '',
        '- llamafile 0.9.x needs --server on the command line: it decides how to run before it reads .args.',
        '  llamafile 0.10 reads .args first; without --server it also chats in the terminal.',
        '- More arguments go after it, e.g. --port 8081, or --host 0.0.0.0 to reach it from other machines.',
        '- On Windows, rename it to end in .exe. Windows runs no executable over 4 GB: there, keep the model',
        '  outside (build without --model) and run it with -m path\\to\\model.gguf.',
      ].join('\n'),
    );
  } catch (error) {
    await cleanUp();
    throw error;
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

main().catch((error: unknown) => {
  if (error instanceof Refusal) {
    console.error(`${error.message}\nNothing was changed.`);
  } else {
    console.error(error instanceof Error ? error.message : String(error));
  }
  process.exit(1);
});
