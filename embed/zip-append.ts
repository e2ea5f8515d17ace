// Adds files to the zip at the end of a file the way llamafile's zipalign does: new entries and
// a new central directory are written after the last byte of the file, and nothing before
// that is touched. The old central directory stays behind as unused bytes.
//
// Why not a zip library or Info-ZIP `zip`: both rewrite the archive whenever an entry is
// replaced (a llamafile's `.args` always is). A rewrite moves every entry after the replaced
// one, so the weights of a llamafile that already holds a model lose the alignment llama.cpp
// maps them with; none of them can align an entry's data either, which a model added here
// needs. No npm zip library appends to an archive in place: zip.js can write after existing
// bytes (its `offset`), but keeps old entries only by copying their data (gigabytes of
// weights) and aligns to 64 bytes at most (`usdz`); yazl, archiver (zip-stream) and fflate
// write new archives; adm-zip and JSZip hold the whole archive in memory. zip.js reads
// everything else in `npm run embed`, and checks the result.
//
// Entries are stored, not compressed: the weights must be (llamafile maps them), and the app's
// files are a few MB inside a file of gigabytes. Every entry is written in zip64 form, like
// zipalign's, so sizes and offsets past 4 GiB need no special case.

import { open, stat, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import {
  CENTRAL_SIGNATURE,
  EOCD_SIGNATURE,
  NotAZipError,
  readCentralDirectory,
  ZIP64_EOCD_SIGNATURE,
  ZIP64_EXTRA_ID,
  ZIP64_LOCATOR_SIGNATURE,
  type CentralDirectory,
} from './zip-directory';

export interface ZipSource {
  /** The name inside the zip, with `/` between folders. */
  name: string;
  /** Read from this file... */
  path?: string;
  /** ...or these bytes. */
  data?: Buffer;
  /** The entry's data starts at a multiple of this (a power of two). */
  alignment: number;
}

export interface AddedEntry {
  name: string;
  size: number;
  crc32: number;
  /** Where the entry's data starts in the file. */
  dataOffset: number;
}

export interface AppendResult {
  added: AddedEntry[];
  /** Old entries left out of the new directory: replaced by a new one, or dropped. */
  removed: string[];
  kept: number;
}

export interface AppendOptions {
  /** Old entries for which this is true are left out of the new directory. */
  drop?: (name: string) => boolean;
  /** Start a zip when the file has none (tests build their inputs this way). */
  createIfMissing?: boolean;
}

const CHUNK = 4 << 20;
const LOCAL_SIGNATURE = 0x04034b50;
const VERSION_ZIP64 = 45;
const MADE_BY_UNIX = (3 << 8) | VERSION_ZIP64;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const LOCAL_EXTRA_SIZE = 4 + 8 + 8;
const CENTRAL_EXTRA_SIZE = 4 + 8 + 8 + 8;
const REGULAR_FILE_MODE = 0o100644;

function dosDateTime(date: Date): { time: number; date: number } {
  // DOS dates start in 1980 and use local time, as Info-ZIP and zipalign write them.
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function checkName(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (!name || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..') || bytes.length > 0xffff) {
    throw new Error(`not a usable name inside a zip: ${JSON.stringify(name)}`);
  }
  return bytes;
}

async function writeFully(file: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await file.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

let zeros = Buffer.alloc(0);
function isZeros(chunk: Buffer): boolean {
  if (zeros.length < chunk.length) zeros = Buffer.alloc(chunk.length);
  return chunk.equals(zeros.subarray(0, chunk.length));
}

/** Copies the source to `position` (past the end of the file), returning its size and CRC-32. */
async function copyData(out: FileHandle, source: ZipSource, position: number): Promise<{ size: number; crc32: number }> {
  if (source.data) {
    await writeFully(out, source.data, position);
    return { size: source.data.length, crc32: crc32(source.data) };
  }
  const input = await open(source.path as string, 'r');
  try {
    const expected = (await input.stat()).size;
    const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(expected, 1)));
    let size = 0;
    let crc = 0;
    for (;;) {
      const { bytesRead } = await input.read(buffer, 0, buffer.length, size);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      crc = crc32(chunk, crc);
      // Everything from here on is past the end of the file, which reads as zeros: a chunk of
      // zeros is left as a hole (no disk used, no time spent writing it).
      if (!isZeros(chunk)) await writeFully(out, chunk, position + size);
      size += bytesRead;
    }
    if (size !== expected) throw new Error(`${source.path} changed while it was being added (${expected} bytes, then ${size})`);
    return { size, crc32: crc };
  } finally {
    await input.close();
  }
}

function localHeader(name: Buffer, crc: number, size: number, when: { time: number; date: number }): Buffer {
  const header = Buffer.alloc(30 + name.length + LOCAL_EXTRA_SIZE);
  header.writeUInt32LE(LOCAL_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_ZIP64, 4);
  header.writeUInt16LE(FLAG_UTF8, 6);
  header.writeUInt16LE(METHOD_STORED, 8);
  header.writeUInt16LE(when.time, 10);
  header.writeUInt16LE(when.date, 12);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(0xffffffff, 18);
  header.writeUInt32LE(0xffffffff, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(LOCAL_EXTRA_SIZE, 28);
  name.copy(header, 30);
  let at = 30 + name.length;
  at = header.writeUInt16LE(ZIP64_EXTRA_ID, at);
  at = header.writeUInt16LE(16, at);
  at = header.writeBigUInt64LE(BigInt(size), at);
  header.writeBigUInt64LE(BigInt(size), at);
  return header;
}

function centralRecord(name: Buffer, crc: number, size: number, when: { time: number; date: number }, headerOffset: number): Buffer {
  const record = Buffer.alloc(46 + name.length + CENTRAL_EXTRA_SIZE);
  record.writeUInt32LE(CENTRAL_SIGNATURE, 0);
  record.writeUInt16LE(MADE_BY_UNIX, 4);
  record.writeUInt16LE(VERSION_ZIP64, 6);
  record.writeUInt16LE(FLAG_UTF8, 8);
  record.writeUInt16LE(METHOD_STORED, 10);
  record.writeUInt16LE(when.time, 12);
  record.writeUInt16LE(when.date, 14);
  record.writeUInt32LE(crc, 16);
  record.writeUInt32LE(0xffffffff, 20);
  record.writeUInt32LE(0xffffffff, 24);
  record.writeUInt16LE(name.length, 28);
  record.writeUInt16LE(CENTRAL_EXTRA_SIZE, 30);
  // comment length, disk number, internal attributes: 0
  record.writeUInt32LE((REGULAR_FILE_MODE << 16) >>> 0, 38);
  record.writeUInt32LE(0xffffffff, 42);
  name.copy(record, 46);
  let at = 46 + name.length;
  at = record.writeUInt16LE(ZIP64_EXTRA_ID, at);
  at = record.writeUInt16LE(24, at);
  at = record.writeBigUInt64LE(BigInt(size), at);
  at = record.writeBigUInt64LE(BigInt(size), at);
  record.writeBigUInt64LE(BigInt(headerOffset), at);
  return record;
}

function endRecords(count: number, directorySize: number, directoryOffset: number): Buffer {
  const end = Buffer.alloc(56 + 20 + 22);
  let at = end.writeUInt32LE(ZIP64_EOCD_SIGNATURE, 0);
  at = end.writeBigUInt64LE(44n, at);
  at = end.writeUInt16LE(MADE_BY_UNIX, at);
  at = end.writeUInt16LE(VERSION_ZIP64, at);
  at = end.writeUInt32LE(0, at);
  at = end.writeUInt32LE(0, at);
  at = end.writeBigUInt64LE(BigInt(count), at);
  at = end.writeBigUInt64LE(BigInt(count), at);
  at = end.writeBigUInt64LE(BigInt(directorySize), at);
  at = end.writeBigUInt64LE(BigInt(directoryOffset), at);
  at = end.writeUInt32LE(ZIP64_LOCATOR_SIGNATURE, at);
  at = end.writeUInt32LE(0, at);
  at = end.writeBigUInt64LE(BigInt(directoryOffset + directorySize), at);
  at = end.writeUInt32LE(1, at);
  at = end.writeUInt32LE(EOCD_SIGNATURE, at);
  at = end.writeUInt16LE(0, at);
  at = end.writeUInt16LE(0, at);
  at = end.writeUInt16LE(Math.min(count, 0xffff), at);
  at = end.writeUInt16LE(Math.min(count, 0xffff), at);
  at = end.writeUInt32LE(Math.min(directorySize, 0xffffffff), at);
  at = end.writeUInt32LE(0xffffffff, at);
  end.writeUInt16LE(0, at);
  return end;
}

export async function appendToZip(path: string, sources: ZipSource[], options: AppendOptions = {}): Promise<AppendResult> {
  const names = sources.map((source) => checkName(source.name));
  const newNames = new Set(sources.map((source) => source.name));
  if (newNames.size !== sources.length) throw new Error('the same name is added twice');
  for (const source of sources) {
    if (source.alignment < 1 || (source.alignment & (source.alignment - 1)) !== 0) throw new Error(`alignment must be a power of two: ${source.alignment}`);
  }

  const out = await open(path, 'r+');
  try {
    let directory: CentralDirectory | null = null;
    try {
      directory = await readCentralDirectory(out);
    } catch (error) {
      if (!(error instanceof NotAZipError && options.createIfMissing)) throw error;
    }
    const kept: Buffer[] = [];
    const removed: string[] = [];
    for (const entry of directory?.entries ?? []) {
      if (newNames.has(entry.name) || options.drop?.(entry.name)) removed.push(entry.name);
      else kept.push(entry.record);
    }

    let position = (await out.stat()).size;
    const added: AddedEntry[] = [];
    const records: Buffer[] = [];
    for (const [index, source] of sources.entries()) {
      const name = names[index];
      const when = dosDateTime(source.path ? (await stat(source.path)).mtime : new Date());
      const headerSize = 30 + name.length + LOCAL_EXTRA_SIZE;
      const dataOffset = Math.ceil((position + headerSize) / source.alignment) * source.alignment;
      const headerOffset = dataOffset - headerSize;
      // The data goes first: the header holds its CRC, known only once it is copied.
      const { size, crc32: crc } = await copyData(out, source, dataOffset);
      await writeFully(out, localHeader(name, crc, size, when), headerOffset);
      records.push(centralRecord(name, crc, size, when, headerOffset));
      added.push({ name: source.name, size, crc32: crc, dataOffset });
      position = dataOffset + size;
    }

    const centralDirectory = Buffer.concat([...kept, ...records]);
    await writeFully(out, centralDirectory, position);
    await writeFully(out, endRecords(kept.length + records.length, centralDirectory.length, position), position + centralDirectory.length);
    await out.datasync();
    return { added, removed, kept: kept.length };
  } finally {
    await out.close();
  }
}
