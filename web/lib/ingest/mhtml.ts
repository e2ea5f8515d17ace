/**
 * Reads the page out of an MHTML file (Chrome's "Webpage, Single File"): a MIME message
 * whose first text/html part is the page, followed by its images and styles. Only that part
 * is decoded; the resources after it are never looked at.
 */

export interface MhtmlPage {
  /**
   * The message's headers, names in lower case, values unfolded and decoded; the page part's
   * Content-Location is added when the message itself has none.
   */
  headers: Map<string, string>;
  /** The page's bytes, transfer encoding undone. */
  html: Uint8Array;
  /** The charset its Content-Type declares, if any. */
  charset?: string;
}

/** Bytes to a string of the same length, one character per byte, so MIME parsing never misreads a byte. */
function binaryString(bytes: Uint8Array): string {
  let text = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) text += String.fromCharCode(...bytes.subarray(i, i + step));
  return text;
}

function bytesOf(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i) & 0xff;
  return bytes;
}

export function decodeQuotedPrintable(text: string): Uint8Array {
  const unwrapped = text.replace(/[ \t]*=\r?\n/g, '');
  const bytes = new Uint8Array(unwrapped.length);
  let length = 0;
  for (let i = 0; i < unwrapped.length; i++) {
    const char = unwrapped.charCodeAt(i);
    if (char === 0x3d && /^[0-9a-f]{2}$/i.test(unwrapped.slice(i + 1, i + 3))) {
      bytes[length++] = Number.parseInt(unwrapped.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      bytes[length++] = char & 0xff;
    }
  }
  return bytes.slice(0, length);
}

export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  return bytesOf(atob(clean.slice(0, clean.length - (clean.length % 4))));
}

function decodeBytes(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** RFC 2047 encoded words, as in a Subject with non-ASCII characters: "=?utf-8?Q?Caf=C3=A9?=". */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (whole, charset: string, encoding: string, text: string) => {
      const bytes = encoding.toLowerCase() === 'b' ? decodeBase64(text) : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return bytes.length > 0 || text === '' ? decodeBytes(bytes, charset.replace(/\*.*$/, '')) : whole;
    });
}

/** Parses a header block; names lower case, folded lines joined. */
export function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** A parameter of a header value such as `multipart/related; boundary="----abc"`. */
export function headerParameter(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const match = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

function splitHead(text: string): { head: string; body: string } {
  const end = /\r?\n\r?\n/.exec(text);
  if (!end) return { head: text, body: '' };
  return { head: text.slice(0, end.index), body: text.slice(end.index + end[0].length) };
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'text/plain').split(';')[0].trim().toLowerCase();
}

function decodeBody(body: string, transferEncoding: string | undefined): Uint8Array {
  switch ((transferEncoding ?? '').trim().toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return decodeBase64(body);
    default:
      return bytesOf(body);
  }
}

/**
 * True when the text begins like a saved web page in MIME form: headers whose Content-Type is
 * multipart/related (a page and its resources) or text/html. An e-mail (multipart/mixed or
 * alternative) is not a saved page.
 */
export function looksLikeMhtml(head: string): boolean {
  const { head: headers } = splitHead(head.replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '').slice(0, 8192));
  if (!/^[\w-]+:/.test(headers)) return false;
  const type = mediaType(parseHeaders(headers).get('content-type'));
  return type === 'multipart/related' || type === 'text/html';
}

/** The page in an MHTML file, or null when the file holds no HTML part. */
export function parseMhtml(bytes: Uint8Array): MhtmlPage | null {
  const text = binaryString(bytes).replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  const { head, body } = splitHead(text);
  const headers = parseHeaders(head);
  for (const [name, value] of headers) headers.set(name, decodeEncodedWords(value));
  const contentType = headers.get('content-type');

  if (!mediaType(contentType).startsWith('multipart/')) {
    if (mediaType(contentType) !== 'text/html') return null;
    return { headers, html: decodeBody(body, headers.get('content-transfer-encoding')), charset: headerParameter(contentType, 'charset') };
  }

  const boundary = headerParameter(contentType, 'boundary');
  if (!boundary) return null;
  const start = headerParameter(contentType, 'start');
  const delimiter = `--${boundary}`;
  let fallback: MhtmlPage | null = null;
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const partStart = body.indexOf('\n', at + delimiter.length);
    if (partStart < 0 || body.startsWith('--', at + delimiter.length)) break;
    const next = body.indexOf(`\n${delimiter}`, partStart);
    const partText = body.slice(partStart + 1, next < 0 ? body.length : next).replace(/\r$/, '');
    const part = splitHead(partText);
    const partHeaders = parseHeaders(part.head);
    const partType = partHeaders.get('content-type');
    if (mediaType(partType) === 'text/html') {
      const page = () => {
        const location = partHeaders.get('content-location');
        const pageHeaders = new Map(headers);
        if (location && !pageHeaders.has('content-location')) pageHeaders.set('content-location', location);
        return { headers: pageHeaders, html: decodeBody(part.body, partHeaders.get('content-transfer-encoding')), charset: headerParameter(partType, 'charset') };
      };
      // The `start` parameter names the root part; without it the first HTML part is the page.
      if (start === undefined || partHeaders.get('content-id') === start) return page();
      fallback ??= page();
    }
    at = next < 0 ? -1 : next + 1;
  }
  return fallback;
}
