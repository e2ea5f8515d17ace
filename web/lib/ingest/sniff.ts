/** What a file is, judged by its bytes rather than its name. */

const PDF_MAGIC = '%PDF-';

/** True when the first KiB holds the PDF header (some producers put junk before it). */
export function looksLikePdf(bytes: ArrayBuffer): boolean {
  const head = new Uint8Array(bytes, 0, Math.min(1024, bytes.byteLength));
  const text = String.fromCharCode(...head);
  return text.includes(PDF_MAGIC);
}

export function isPdfName(name: string): boolean {
  return /\.pdf$/i.test(name);
}
