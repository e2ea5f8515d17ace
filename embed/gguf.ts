import { open } from 'node:fs/promises';

/** True when the file's first bytes are `magic` (latin1). */
export async function startsWith(path: string, magic: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.toString('latin1') === magic;
  } finally {
    await file.close();
  }
}

/** True when the file starts with GGUF's magic bytes. */
export function isGguf(path: string): Promise<boolean> {
  return startsWith(path, 'GGUF');
}
