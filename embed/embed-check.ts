import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { APP_FOLDER } from './dot-args';
import { openZip } from './zip-entries';

/**
 * Reads a freshly built memory-cache.llamafile back and compares it with what went in: the
 * program in front of the zip, every file of the app, `.args`, and the model.
 */

export interface EmbedCheck {
  out: string;
  /** The llamafile it was built from, and how many bytes of it are its program. */
  source: { path: string; programBytes: number };
  distDir: string;
  distFiles: string[];
  dotArgs: string;
  /** A model added now: its file, and its name inside. */
  model?: { path: string; entry: string; size: number };
  /** The model `.args` names, when none was added (the llamafile's own). */
  namedModel?: string | null;
}

export interface CheckReport {
  /** Entries under the app's folder that are not in dist/ (left by an older build). */
  stale: string[];
  problems: string[];
}

// llamafile maps the weights; with a GPU they must start on a page boundary.
const PAGE = 4096;

async function hashRange(path: string, length: number): Promise<string> {
  const hash = createHash('sha256');
  if (length > 0) {
    for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

export async function checkEmbedded(check: EmbedCheck): Promise<CheckReport> {
  const problems: string[] = [];
  const { programBytes } = check.source;
  if ((await hashRange(check.source.path, programBytes)) !== (await hashRange(check.out, programBytes))) {
    problems.push(`the first ${programBytes} bytes (the program) differ from ${check.source.path}`);
  }

  const zip = await openZip(check.out);
  try {
    const prefix = `${APP_FOLDER}/`;
    const expected = new Set(check.distFiles.map((file) => prefix + file));
    for (const file of check.distFiles) {
      const name = prefix + file;
      const info = zip.entries.get(name);
      if (!info) {
        problems.push(`${name} is missing`);
        continue;
      }
      const bytes = readFileSync(join(check.distDir, file));
      if (info.size !== bytes.length || info.crc32 !== crc32(bytes)) {
        problems.push(`${name}: the directory says ${info.size} bytes, CRC ${info.crc32.toString(16)}; dist/ has ${bytes.length} bytes, CRC ${crc32(bytes).toString(16)}`);
      } else if (!(await zip.read(name)).equals(bytes)) {
        problems.push(`${name}: its contents differ from dist/${file}`);
      }
    }
    const stale = [...zip.entries.keys()].filter((name) => name.startsWith(prefix) && !expected.has(name));

    if (!zip.entries.has('.args')) problems.push('.args is missing');
    else if ((await zip.read('.args')).toString('utf8') !== check.dotArgs) problems.push('.args differs from what was written');

    if (check.model) {
      const info = zip.entries.get(check.model.entry);
      if (!info) problems.push(`the model ${check.model.entry} is missing`);
      else {
        if (info.method !== 0) problems.push(`the model ${check.model.entry} is compressed: llamafile needs it stored`);
        if (info.size !== check.model.size) problems.push(`the model ${check.model.entry} has ${info.size} bytes, not ${check.model.size}`);
        const offset = await zip.dataOffset(check.model.entry);
        if (offset % PAGE !== 0) problems.push(`the model's data starts at ${offset}, not on a ${PAGE}-byte page boundary`);
      }
    } else if (check.namedModel && !zip.entries.has(check.namedModel)) {
      problems.push(`.args names the model ${check.namedModel}, which is not inside`);
    }
    return { stale, problems };
  } finally {
    zip.close();
  }
}
