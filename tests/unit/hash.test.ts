import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../web/lib/ingest/hash';
import { looksLikePdf } from '../../web/lib/ingest/sniff';

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

describe('PDF sniffing', () => {
  it('recognises the PDF header, even after junk', () => {
    expect(looksLikePdf(new TextEncoder().encode('%PDF-1.7\n...').buffer as ArrayBuffer)).toBe(true);
    expect(looksLikePdf(new TextEncoder().encode('\n\n  %PDF-1.4').buffer as ArrayBuffer)).toBe(true);
  });

  it('rejects other files whatever their name', () => {
    expect(looksLikePdf(new TextEncoder().encode('<html><body>hi</body></html>').buffer as ArrayBuffer)).toBe(false);
    expect(looksLikePdf(new ArrayBuffer(0))).toBe(false);
  });
});
