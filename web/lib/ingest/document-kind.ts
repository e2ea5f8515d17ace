import { looksLikeMhtml } from './mhtml';

/**
 * What kind of document a file is, from its name and its first bytes. The bytes win where
 * they are certain (a PDF is a PDF whatever it is called; a MIME message is MHTML); the name
 * decides between the text formats, which bytes alone cannot tell apart.
 */

export type DocumentKind = 'pdf' | 'html' | 'mhtml' | 'markdown' | 'text';

const MARKDOWN_NAME = /\.(md|markdown|mdown|mkd|mkdn|mdwn)$/i;
const TEXT_NAME = /\.(txt|text)$/i;
const HTML_NAME = /\.(html?|xhtml|shtml)$/i;
const MHTML_NAME = /\.(mhtml?|mht)$/i;
const PDF_NAME = /\.pdf$/i;
// Only names without any extension are read as text when their bytes are: "README", "NOTES".
const NO_EXTENSION = /^[^.]+$/;

/** Bytes to text for sniffing; UTF-16 is widened by dropping the zero bytes, which is enough to spot markup. */
function headText(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 4096);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return String.fromCharCode(...head.filter((b, i) => i >= 2 && b !== 0));
  }
  return String.fromCharCode(...head);
}

function isUtf16(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** Text files have no NUL bytes and few control characters; anything else is binary. */
function looksBinary(bytes: Uint8Array): boolean {
  if (isUtf16(bytes)) return false;
  const head = bytes.subarray(0, 4096);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) control++;
  }
  return control > head.length * 0.02;
}

const HTML_START = /^(?:\s|<!--[\s\S]*?-->)*<(?:!doctype\s+html|html|head|body|meta|title)[\s>/]/i;

/**
 * 'pdf', 'html', 'mhtml', 'markdown' or 'text', or null for anything else (images, archives,
 * office files). `firstBytes` should be at least the first 1 KiB of the file; 4 KiB is better.
 */
export function detectDocumentKind(fileName: string, firstBytes: Uint8Array): DocumentKind | null {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const head = headText(firstBytes);
  // Some producers put junk before the PDF header; readers accept it within the first KiB.
  if (head.slice(0, 1024).includes('%PDF-')) return 'pdf';
  if (PDF_NAME.test(name)) return null;
  if (looksBinary(firstBytes)) return null;
  if (looksLikeMhtml(head)) return 'mhtml';
  if (MHTML_NAME.test(name)) return null;
  if (HTML_NAME.test(name)) return 'html';
  if (MARKDOWN_NAME.test(name)) return 'markdown';
  if (TEXT_NAME.test(name)) return 'text';
  if (HTML_START.test(head.replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, ''))) return 'html';
  if (NO_EXTENSION.test(name)) return 'text';
  return null;
}

/**
 * Why a file that detectDocumentKind refused cannot be added, and what to do instead where
 * there is something to do.
 */
export function describeUnsupportedFile(fileName: string, firstBytes: Uint8Array): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const head = headText(firstBytes);
  if (/\.webarchive$/i.test(name) || (head.startsWith('bplist00') && head.includes('WebMainResource'))) {
    return 'Safari web archives (.webarchive) cannot be read: in Safari, save the page with File → Export as PDF, or File → Save As with Format "Page Source", and add that file';
  }
  return 'not a PDF file, saved web page, Markdown or text file';
}
