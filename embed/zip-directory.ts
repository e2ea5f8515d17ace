// The zip writer's own reader (zip-append.ts) of the central directory at the end of a file,
// as zipalign has one: the records are kept as raw bytes, so that entries are carried over to
// the new directory unchanged. zip.js, which reads zips everywhere else, gives parsed fields,
// not the records. Only node: built-ins.

import { type FileHandle } from 'node:fs/promises';

// Record signatures and the zip64 extra field's id, shared with the writer (zip-append.ts).
export const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
export const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
export const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
export const ZIP64_EXTRA_ID = 0x0001;
// The EOCD sits in the last 22 bytes plus a comment of at most 65535.
const TAIL_SEARCH = EOCD_SIZE + 0xffff;

export interface CentralEntry {
  name: string;
  /** The whole central directory record, as it is in the file. */
  record: Buffer;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface CentralDirectory {
  entries: CentralEntry[];
  offset: number;
  size: number;
  /** Where the first local file header is: everything before it is the program. */
  zipStart: number;
}

export class NotAZipError extends Error {}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new NotAZipError(`the zip directory points past the end of the file (offset ${position})`);
  return buffer;
}

/**
 * 64-bit values in a zip64 extra field appear only for the 32-bit fields that are 0xFFFFFFFF,
 * in the order: size, compressed size, local header offset.
 */
function applyZip64Extra(extra: Buffer, entry: { size: number; compressedSize: number; localHeaderOffset: number }): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA_ID) {
      let field = at + 4;
      const end = field + length;
      const take = (): number => {
        if (field + 8 > end) throw new NotAZipError('a zip64 extra field is too short');
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take();
      return;
    }
    at += 4 + length;
  }
}

function parseRecords(directory: Buffer, count: number, exactCount: boolean): CentralEntry[] {
  const entries: CentralEntry[] = [];
  let at = 0;
  while (at < directory.length) {
    if (at + CENTRAL_HEADER_SIZE > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new NotAZipError(`the zip central directory is damaged (record ${entries.length + 1})`);
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const end = at + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (end > directory.length) throw new NotAZipError('the zip central directory is truncated');
    const nameStart = at + CENTRAL_HEADER_SIZE;
    const entry = {
      name: directory.toString('utf8', nameStart, nameStart + nameLength),
      record: Buffer.from(directory.subarray(at, end)),
      method: directory.readUInt16LE(at + 10),
      crc32: directory.readUInt32LE(at + 16),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    applyZip64Extra(directory.subarray(nameStart + nameLength, nameStart + nameLength + extraLength), entry);
    entries.push(entry);
    at = end;
  }
  // Past 65535 entries the 16-bit count is either 0xFFFF or wrapped, depending on the tool.
  const countMatches = exactCount ? entries.length === count : entries.length === count || count === 0xffff || (entries.length & 0xffff) === count;
  if (!countMatches) {
    throw new NotAZipError(`the zip directory promises ${count} entries and holds ${entries.length}`);
  }
  return entries;
}

/**
 * The central directory of the zip that ends `file`, or a NotAZipError. An empty zip (no
 * entries) counts as none: there is nothing in it that a llamafile could have put there.
 */
export async function readCentralDirectory(file: FileHandle): Promise<CentralDirectory> {
  const fileSize = (await file.stat()).size;
  const tailLength = Math.min(fileSize, TAIL_SEARCH);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(file, tailStart, tailLength);

  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    if (at + EOCD_SIZE + tail.readUInt16LE(at + 20) > tail.length) continue;
    let count = tail.readUInt16LE(at + 10);
    let size = tail.readUInt32LE(at + 12);
    let offset = tail.readUInt32LE(at + 16);
    const locatorAt = at - ZIP64_LOCATOR_SIZE;
    let zip64 = false;
    if (locatorAt >= 0 && tail.readUInt32LE(locatorAt) === ZIP64_LOCATOR_SIGNATURE) {
      const eocd64At = Number(tail.readBigUInt64LE(locatorAt + 8));
      const eocd64 = await readAt(file, eocd64At, ZIP64_EOCD_SIZE);
      if (eocd64.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new NotAZipError('the zip64 end record is missing');
      count = Number(eocd64.readBigUInt64LE(32));
      size = Number(eocd64.readBigUInt64LE(40));
      offset = Number(eocd64.readBigUInt64LE(48));
      zip64 = true;
    } else if (offset === 0xffffffff || size === 0xffffffff) {
      // A zip64 archive whose locator is missing: nothing trustworthy to read.
      continue;
    }
    if (count === 0) break;
    if (offset + size > tailStart + at) continue;
    const entries = parseRecords(await readAt(file, offset, size), count, zip64);
    const zipStart = entries.reduce((first, entry) => Math.min(first, entry.localHeaderOffset), offset);
    return { entries, offset, size, zipStart };
  }
  throw new NotAZipError('there is no zip archive at its end');
}
