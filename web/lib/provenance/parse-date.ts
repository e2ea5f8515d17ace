/**
 * The date formats that saved files carry, parsed by hand: Date.parse accepts a different
 * set of formats in every engine, and guesses where it should refuse. A date without a time
 * zone is taken as local time, since that is how the person saving it saw it.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// RFC 822 zone names; anything else must be numeric.
const ZONES: Record<string, number> = { ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420 };

/** Timestamps outside these years are placeholders (0, 1970, 9999), not real dates. */
const EARLIEST_YEAR = 1991;
const LATEST_YEAR = 2100;

export function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

/**
 * Milliseconds since the epoch for a wall-clock time; `offsetMinutes` east of UTC, or null for
 * local time. Returns undefined for impossible dates (31 April) and placeholder years.
 */
export function timestampOf(
  year: number,
  month1: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  offsetMinutes: number | null = null,
): number | undefined {
  if (year < EARLIEST_YEAR || year > LATEST_YEAR || month1 < 1 || month1 > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month1) || hour > 23 || minute > 59 || second > 60) return undefined;
  if (offsetMinutes === null) return new Date(year, month1 - 1, day, hour, minute, Math.min(second, 59)).getTime();
  return Date.UTC(year, month1 - 1, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000;
}

function num(text: string | undefined, fallback = 0): number {
  return text === undefined || text === '' ? fallback : Number.parseInt(text, 10);
}

export function monthFromName(name: string): number | undefined {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return index < 0 ? undefined : index + 1;
}

/** "+01:00", "+0100", "-05", "Z", or an RFC 822 zone name, in minutes east of UTC. */
function zoneOffset(zone: string | undefined): number | null | undefined {
  if (zone === undefined || zone === '') return null;
  const named = ZONES[zone.toLowerCase()];
  if (named !== undefined) return named;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return undefined;
  const minutes = num(match[2]) * 60 + num(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** PDF date strings: "D:20240303101500+01'00'", any trailing part optional (PDF 32000-1, 7.9.4). */
export function parsePdfDate(text: string): number | undefined {
  const match = /^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz])(?:00'?00'?)?|([+-])(\d{2})'?(?:(\d{2})'?)?)?\s*$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, z, sign, oh, om] = match;
  let offset: number | null = null;
  if (z) offset = 0;
  else if (sign) offset = (sign === '-' ? -1 : 1) * (num(oh) * 60 + num(om));
  return timestampOf(num(y), num(mo, 1), num(d, 1), num(h), num(mi), num(s), offset);
}

/** ISO 8601 / W3C dates: "2024-03-03", "2024-03-03T10:15", "2024-03-03 10:15:00.123+01:00". */
export function parseIsoDate(text: string): number | undefined {
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$/i.exec(text);
  if (!match) return undefined;
  const offset = zoneOffset(match[7]);
  if (offset === undefined) return undefined;
  return timestampOf(num(match[1]), num(match[2]), num(match[3]), num(match[4]), num(match[5]), num(match[6]), offset);
}

/** Internet message dates (RFC 2822), as in an MHTML file's Date header: "Sun, 3 Mar 2024 10:15:32 -0000". */
export function parseRfc2822Date(text: string): number | undefined {
  const match = /^\s*(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,3})?\s*(?:\(.*\))?\s*$/i.exec(text);
  if (!match) return undefined;
  const month = monthFromName(match[2]);
  const offset = zoneOffset(match[7]);
  if (month === undefined || offset === undefined) return undefined;
  let year = num(match[3]);
  if (year < 100) year += year < 50 ? 2000 : 1900;
  return timestampOf(year, month, num(match[1]), num(match[4]), num(match[5]), num(match[6]), offset);
}

/**
 * JavaScript's Date.prototype.toString(), which SingleFile writes: "Sun Mar 03 2024 10:15:32
 * GMT+0100 (Central European Standard Time)". The zone name in brackets is localised, so only
 * the numeric offset is read.
 */
export function parseJsDateString(text: string): number | undefined {
  const match = /^\s*(?:[a-z]{3}\s+)?([a-z]{3})\s+(\d{1,2})\s+(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(?:GMT|UTC)?([+-]\d{4})?)?(?:\s|$)/i.exec(text);
  if (!match) return undefined;
  const month = monthFromName(match[1]);
  const offset = zoneOffset(match[7]);
  if (month === undefined || offset === undefined) return undefined;
  return timestampOf(num(match[3]), month, num(match[2]), num(match[4]), num(match[5]), num(match[6]), offset);
}

/** Any of the formats above, for fields whose format nobody enforces (meta tags, front matter). */
export function parseDateText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return parseIsoDate(trimmed) ?? parseRfc2822Date(trimmed) ?? parseJsDateString(trimmed) ?? (trimmed.startsWith('D:') ? parsePdfDate(trimmed) : undefined);
}
