/**
 * Sites and provenance as people read them: "example.org" rather than a full address, and
 * "saved 3 March from example.org" rather than a timestamp.
 */

// RFC 3492 parameters.
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  for (; d > ((BASE - T_MIN) * T_MAX) >> 1; k += BASE) d = Math.floor(d / (BASE - T_MIN));
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 22; // '0'..'9' are 26..35
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  return BASE;
}

/** Decodes one Punycode label (without "xn--"); null when it is not valid Punycode. */
export function decodePunycode(input: string): string | null {
  const output: number[] = [];
  const basicEnd = input.lastIndexOf('-');
  for (let j = 0; j < Math.max(basicEnd, 0); j++) {
    const code = input.charCodeAt(j);
    if (code >= 0x80) return null;
    output.push(code);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = basicEnd > 0 ? basicEnd + 1 : 0; index < input.length; ) {
    const oldI = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (index >= input.length) return null;
      const digit = digitValue(input.charCodeAt(index++));
      if (digit >= BASE) return null;
      i += digit * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      w *= BASE - t;
      if (i > 0x7fffffff || w > 0x7fffffff) return null;
    }
    bias = adapt(i - oldI, output.length + 1, oldI === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return null;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    // Addresses are sometimes written without their scheme ("example.org/page").
    if (/^[\w-]+(\.[\w-]+)+(?::\d+)?(?:[/?#]|$)/.test(url.trim())) {
      try {
        return new URL(`https://${url.trim()}`).hostname;
      } catch {
        return '';
      }
    }
    return '';
  }
}

/**
 * The site a page belongs to: its host name, lower case, without a leading "www." and with
 * internationalised names shown in their own script. Empty for addresses without a host
 * (file:, about:, data:) and for text that is not an address.
 */
export function siteOf(url: string): string {
  const host = hostOf(url).toLowerCase().replace(/\.$/, '');
  if (host === '' || host.startsWith('[')) return host;
  const labels = host.split('.').map((label) => (label.startsWith('xn--') ? (decodePunycode(label.slice(4)) ?? label) : label));
  if (labels[0] === 'www' && labels.length > 2) labels.shift();
  return labels.join('.');
}

const formats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(locale: string | undefined, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${withYear}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, withYear ? { day: 'numeric', month: 'long', year: 'numeric' } : { day: 'numeric', month: 'long' });
    formats.set(key, format);
  }
  return format;
}

/** The day a document was saved, with the year only when it is not the current one. */
export function formatSavedDay(savedAt: number, now: Date | number = Date.now(), locale?: string): string {
  const withYear = new Date(savedAt).getFullYear() !== new Date(now).getFullYear();
  return dayFormat(locale, withYear).format(new Date(savedAt));
}

/**
 * "saved 3 March from example.org", "saved 3 March 2023", "saved from example.org", or ''
 * when nothing is known. The day is written the way `locale` writes it (the browser's by
 * default); the rest of the sentence is English, like the rest of the app.
 */
export function describeProvenance(
  { sourceUrl, savedAt }: { sourceUrl?: string; savedAt?: number },
  now: Date | number = Date.now(),
  locale?: string,
): string {
  const site = sourceUrl ? siteOf(sourceUrl) : '';
  const day = savedAt !== undefined && Number.isFinite(savedAt) ? formatSavedDay(savedAt, now, locale) : '';
  if (day && site) return `saved ${day} from ${site}`;
  if (day) return `saved ${day}`;
  if (site) return `saved from ${site}`;
  return '';
}

/**
 * The address as a link target, or undefined when it must not become a link. Only http(s)
 * addresses qualify: a `javascript:` or `data:` address from a crafted file or backup would
 * run in the app's own origin when clicked.
 */
export function linkableUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** "published 1 June 2023", or '' when the page gave no date of its own. */
export function describePublished(publishedAt: number | undefined, now: Date | number = Date.now(), locale?: string): string {
  return publishedAt !== undefined && Number.isFinite(publishedAt) ? `published ${formatSavedDay(publishedAt, now, locale)}` : '';
}
