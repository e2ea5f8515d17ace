// Reads a zip with yauzl: a second, independent reader, so that what embed writes is checked
// by code other than the code that wrote it.

import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export interface ZipEntryInfo {
  name: string;
  method: number;
  size: number;
  compressedSize: number;
  crc32: number;
  localHeaderOffset: number;
  entry: Entry;
}

export interface OpenZip {
  entries: Map<string, ZipEntryInfo>;
  /** Where the first entry starts: everything before it is the program (0: a plain zip). */
  zipStart: number;
  /** The size of the central directory's records. */
  directoryBytes: number;
  read(name: string): Promise<Buffer>;
  /** Where the entry's data starts in the file. */
  dataOffset(name: string): Promise<number>;
  close(): void;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function openZip(path: string): Promise<OpenZip> {
  // Names are decoded here, not by yauzl: it rejects names it deems unsafe to extract, and a
  // llamafile's own entries are none of its business.
  const zip: ZipFile = await yauzl.openPromise(path, { lazyEntries: true, decodeStrings: false, autoClose: false, validateEntrySizes: true });
  const entries = new Map<string, ZipEntryInfo>();
  let directoryBytes = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileNameRaw.toString('utf8');
      entries.set(name, {
        name,
        method: entry.compressionMethod,
        size: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        crc32: entry.crc32,
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        entry,
      });
      directoryBytes += 46 + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength;
    }
  } catch (error) {
    zip.close();
    throw error;
  }
  const get = (name: string): Entry => {
    const info = entries.get(name);
    if (!info) throw new Error(`no entry ${name} in ${path}`);
    return info.entry;
  };
  const zipStart = Math.min(...[...entries.values()].map((info) => info.localHeaderOffset));
  return {
    entries,
    zipStart,
    directoryBytes,
    read: async (name) => collect(await zip.openReadStreamPromise(get(name))),
    dataOffset: async (name) => (await zip.readLocalFileHeaderPromise(get(name), { minimal: true })).fileDataStart,
    close: () => zip.close(),
  };
}
