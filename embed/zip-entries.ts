// Reads a zip with zip.js (the library the app's backup uses): a second, independent reader,
// so that what embed writes is checked by code other than the code that wrote it. The file is
// read in ranges, never whole: a llamafile holds gigabytes.

import { open, type FileHandle } from 'node:fs/promises';
import { configure, ERR_BAD_FORMAT, ERR_EOCDR_NOT_FOUND, Reader, Uint8ArrayWriter, ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js';

// No web workers in Node, and nothing here is compressed.
configure({ useWebWorkers: false });

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

const LOCAL_HEADER_SIZE = 30;

/** What zip.js says of a file with no zip at its end (too short for one, or none found). */
export const NO_ZIP_ERRORS: string[] = [ERR_BAD_FORMAT, ERR_EOCDR_NOT_FOUND];

/**
 * A file on the disk, read in ranges. (Node's fs.openAsBlob would do, but it reports the size
 * of a file over 4 GiB modulo 2^32, as of Node 20 and 22.)
 */
class FileRangeReader extends Reader<string> {
  private file: FileHandle | undefined;

  override async init(): Promise<void> {
    this.file = await open(this.path, 'r');
    this.size = (await this.file.stat()).size;
  }

  constructor(private readonly path: string) {
    super(path);
  }

  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const bytes = new Uint8Array(length);
    const { bytesRead } = await (this.file as FileHandle).read(bytes, 0, length, index);
    return bytesRead === length ? bytes : bytes.subarray(0, bytesRead);
  }

  async close(): Promise<void> {
    await this.file?.close();
  }
}

export async function openZip(path: string): Promise<OpenZip> {
  const file = new FileRangeReader(path);
  const reader = new ZipReader(file, { checkSignature: true });
  const closeAll = async (): Promise<void> => {
    await reader.close();
    await file.close();
  };
  const entries = new Map<string, ZipEntryInfo>();
  let directoryBytes = 0;
  try {
    for (const entry of await reader.getEntries()) {
      // The raw name, decoded as UTF-8 (what zipalign and the writer use), whatever its flags.
      const name = Buffer.from(entry.rawFilename).toString('utf8');
      entries.set(name, {
        name,
        method: entry.compressionMethod,
        size: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        crc32: entry.signature ?? 0,
        localHeaderOffset: entry.offset,
        entry,
      });
      directoryBytes += 46 + entry.rawFilename.length + entry.rawExtraField.length + entry.rawComment.length;
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const get = (name: string): Entry => {
    const info = entries.get(name);
    if (!info) throw new Error(`no entry ${name} in ${path}`);
    return info.entry;
  };
  return {
    entries,
    zipStart: Math.min(...[...entries.values()].map((info) => info.localHeaderOffset)),
    directoryBytes,
    read: async (name) => {
      const entry = get(name);
      if (entry.directory) throw new Error(`${name} is a folder`);
      return Buffer.from(await (entry as FileEntry).getData(new Uint8ArrayWriter()));
    },
    dataOffset: async (name) => {
      const offset = get(name).offset;
      const file = await open(path, 'r');
      try {
        const header = Buffer.alloc(LOCAL_HEADER_SIZE);
        await file.read(header, 0, LOCAL_HEADER_SIZE, offset);
        if (header.readUInt32LE(0) !== 0x04034b50) throw new Error(`no local header for ${name} at ${offset} in ${path}`);
        return offset + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
      } finally {
        await file.close();
      }
    },
    close: () => void closeAll(),
  };
}
