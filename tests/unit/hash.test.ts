import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../web/lib/ingest/hash';

const ABC = new TextEncoder().encode('abc').buffer as ArrayBuffer;
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('document identity', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is the SHA-256 of the bytes', async () => {
    expect(await sha256Hex(ABC)).toBe(ABC_SHA256);
  });

  it('is the same without Web Crypto (plain-http origins other than localhost)', async () => {
    vi.stubGlobal('crypto', {});
    expect(globalThis.crypto.subtle).toBeUndefined();
    expect(await sha256Hex(ABC)).toBe(ABC_SHA256);
  });

  it('differs for different bytes', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abd').buffer as ArrayBuffer)).not.toBe(ABC_SHA256);
  });
});
