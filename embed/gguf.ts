import { open } from 'node:fs/promises';

/** True when the file starts with GGUF's magic bytes. */
export async function isGguf(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await file.read(magic, 0, 4, 0);
    return bytesRead === 4 && magic.toString('latin1') === 'GGUF';
  } finally {
    await file.close();
  }
}
