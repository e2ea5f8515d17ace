/**
 * A document's identity is the SHA-256 of its bytes. The browser's own implementation is
 * used where it exists; it does not exist on plain-http origins other than localhost (a
 * llamafile opened from another machine on the LAN), where a JavaScript one takes over.
 */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = globalThis.crypto?.subtle
    ? new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes))
    : (await import('@noble/hashes/sha2.js')).sha256(new Uint8Array(bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
