import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToZip } from '../../embed/zip-append';
import { NotAZipError, readCentralDirectory } from '../../embed/zip-directory';
import { openZip } from '../../embed/zip-entries';
import { writeFakeLlamafile } from '../support/fake-llamafile';

// Info-ZIP's unzip checks what the appender writes: a reader that shares no code with it.

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'zip-append-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function unzip(...args: string[]): string {
  return execFileSync('unzip', args, { encoding: 'utf8', maxBuffer: 16 << 20 });
}

function names(path: string): string[] {
  return unzip('-Z1', path).split('\n').filter(Boolean).sort();
}

async function directoryOf(path: string) {
  const file = await open(path, 'r');
  try {
    return await readCentralDirectory(file);
  } finally {
    await file.close();
  }
}

/** A llamafile-like file: a program, then a zip written by Info-ZIP. */
function llamafileLike(name: string): { path: string; programBytes: number } {
  const path = join(work, name);
  const programBytes = writeFakeLlamafile(path, {
    version: '0.9.3',
    llamaServer: '/bin/false',
    files: { '.args': '-m\nold.gguf\n...\n', 'old.gguf': Buffer.from('GGUF old weights') },
  });
  return { path, programBytes };
}

describe('appending to the zip at the end of a llamafile', () => {
  it('writes after the last byte, replaces an entry, aligns data, and Info-ZIP reads the result', async () => {
    const { path, programBytes } = llamafileLike('a.llamafile');
    const before = readFileSync(path);
    expect((await directoryOf(path)).zipStart).toBe(programBytes);

    const weights = Buffer.alloc(200_000, 7);
    const result = await appendToZip(path, [
      { name: 'model.gguf', data: weights, alignment: 65536 },
      { name: 'app/index.html', data: Buffer.from('<!doctype html>'), alignment: 64 },
      { name: '.args', data: Buffer.from('--path\n/zip/app\n...\n'), alignment: 64 },
    ]);

    const after = readFileSync(path);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(result.removed).toEqual(['.args']);
    expect(result.kept).toBe(1);
    expect((result.added.find((entry) => entry.name === 'model.gguf')?.dataOffset ?? 1) % 65536).toBe(0);

    unzip('-t', path);
    expect(names(path)).toEqual(['.args', 'app/index.html', 'model.gguf', 'old.gguf']);
    expect(unzip('-p', path, '.args')).toBe('--path\n/zip/app\n...\n');
    expect(unzip('-p', path, 'old.gguf')).toBe('GGUF old weights');

    const zip = await openZip(path);
    try {
      expect(await zip.dataOffset('model.gguf')).toBe(result.added[0].dataOffset);
      expect((await zip.read('model.gguf')).equals(weights)).toBe(true);
    } finally {
      zip.close();
    }
  });

  it('appends to its own output again, dropping a whole folder of an older build', async () => {
    const { path } = llamafileLike('b.llamafile');
    await appendToZip(path, [
      { name: 'app/old.js', data: Buffer.from('old'), alignment: 64 },
      { name: 'app/index.html', data: Buffer.from('one'), alignment: 64 },
    ]);
    const result = await appendToZip(path, [{ name: 'app/index.html', data: Buffer.from('two'), alignment: 64 }], {
      drop: (name) => name.startsWith('app/'),
    });
    expect(result.removed.sort()).toEqual(['app/index.html', 'app/old.js']);
    unzip('-t', path);
    expect(names(path)).toEqual(['.args', 'app/index.html', 'old.gguf']);
    expect(unzip('-p', path, 'app/index.html')).toBe('two');
  });

  it('handles a zip that starts past 4 GiB (zip64 offsets)', async () => {
    const path = join(work, 'big.llamafile');
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    // A sparse program part: 4.5 GB long, a few bytes on the disk.
    truncateSync(path, 4_500_000_000);
    await appendToZip(path, [{ name: 'model.gguf', data: Buffer.from('GGUF'), alignment: 65536 }, { name: '.args', data: Buffer.from('-m\nmodel.gguf\n'), alignment: 64 }], {
      createIfMissing: true,
    });
    await appendToZip(path, [{ name: 'app/index.html', data: Buffer.from('<p>past 4 GiB</p>'), alignment: 64 }, { name: '.args', data: Buffer.from('--path\n/zip/app\n'), alignment: 64 }]);

    const directory = await directoryOf(path);
    expect(directory.offset).toBeGreaterThan(2 ** 32);
    expect(directory.zipStart).toBeGreaterThan(2 ** 32);
    unzip('-t', path);
    expect(names(path)).toEqual(['.args', 'app/index.html', 'model.gguf']);
    expect(unzip('-p', path, 'app/index.html')).toBe('<p>past 4 GiB</p>');
    const zip = await openZip(path);
    try {
      expect((await zip.dataOffset('model.gguf')) % 65536).toBe(0);
      expect((await zip.read('.args')).toString()).toBe('--path\n/zip/app\n');
    } finally {
      zip.close();
    }
    expect(statSync(path).size).toBeGreaterThan(4_500_000_000);
  });

  it('adds a single entry over 4 GiB (zip64 sizes), which Info-ZIP and zip.js read', { timeout: 300_000 }, async () => {
    const { path } = llamafileLike('huge.llamafile');
    const weights = join(work, 'huge.gguf');
    // Sparse: 4.3 GB long, a few bytes on the disk; marked at both ends.
    writeFileSync(weights, 'GGUF');
    truncateSync(weights, 4_300_000_000);
    const end = await open(weights, 'r+');
    await end.write(Buffer.from('END!'), 0, 4, 4_300_000_000 - 4);
    await end.close();
    try {
      const [added] = (await appendToZip(path, [{ name: 'huge.gguf', path: weights, alignment: 65536 }])).added;
      expect(added.size).toBe(4_300_000_000);
      // The listing, not -t: Info-ZIP's CRC of 4.3 GB takes most of a minute.
      expect(unzip('-Zl', path)).toMatch(/ 4300000000 +\S+ +4300000000 .*huge\.gguf/);
      const zip = await openZip(path);
      try {
        const entry = zip.entries.get('huge.gguf');
        expect(entry?.size).toBe(4_300_000_000);
        expect(entry?.compressedSize).toBe(4_300_000_000);
        const offset = await zip.dataOffset('huge.gguf');
        expect(offset % 65536).toBe(0);
        const file = await open(path, 'r');
        const ends = Buffer.alloc(4);
        await file.read(ends, 0, 4, offset);
        expect(ends.toString()).toBe('GGUF');
        await file.read(ends, 0, 4, offset + 4_300_000_000 - 4);
        expect(ends.toString()).toBe('END!');
        await file.close();
      } finally {
        zip.close();
      }
      expect(names(path)).toEqual(['.args', 'huge.gguf', 'old.gguf']);
    } finally {
      rmSync(path, { force: true });
      rmSync(weights, { force: true });
    }
  });

  it('finds no zip in a file that has none, or an empty one', async () => {
    const plain = join(work, 'plain');
    writeFileSync(plain, 'just a program\n'.repeat(100));
    await expect(directoryOf(plain)).rejects.toBeInstanceOf(NotAZipError);

    const empty = join(work, 'empty.zip');
    // The 22-byte end record of a zip with no entries.
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    writeFileSync(empty, eocd);
    await expect(directoryOf(empty)).rejects.toBeInstanceOf(NotAZipError);

    await expect(appendToZip(plain, [{ name: 'x', data: Buffer.from('x'), alignment: 1 }])).rejects.toBeInstanceOf(NotAZipError);
    expect(readFileSync(plain, 'utf8')).toBe('just a program\n'.repeat(100));
  });
});
