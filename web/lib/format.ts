import type { LocationUnit } from './storage/schema';

/** Display formats shared by every view. */

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(timestamp: number): string {
  return dateFormat.format(new Date(timestamp));
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** Text on one line, at most `max` characters, cut after a whole word and marked "…" when cut. */
export function shortened(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const space = line.lastIndexOf(' ', max - 1);
  return `${line.slice(0, space > max / 2 ? space : max - 1).replace(/[\s,;:.]+$/, '')}…`;
}

/** Page numbers as a person writes them: [2, 3, 4, 7] is "2–4, 7". */
export function pageRanges(pages: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    let end = i;
    while (end + 1 < pages.length && pages[end + 1] === pages[end] + 1) end++;
    ranges.push(end > i ? `${pages[i]}–${pages[end]}` : String(pages[i]));
    i = end;
  }
  return ranges.join(', ');
}

/** Web pages, Markdown and text are cut into sections where a PDF has pages. */
export function unitOf(doc: { kind?: string }): LocationUnit {
  return doc.kind === undefined || doc.kind === 'pdf' ? 'page' : 'section';
}

/** The heading of a web document's section (numbered from 1), if it has one. */
export function sectionHeading(doc: { sectionHeadings?: (string | null)[] }, section: number): string | undefined {
  return doc.sectionHeadings?.[section - 1] ?? undefined;
}

/** "page 3", "section 3", or with the section's heading "section 3: Cold brew". */
export function locationLabel(unit: LocationUnit | undefined, n: number, heading?: string | null): string {
  return heading ? `${unit ?? 'page'} ${n}: ${heading}` : `${unit ?? 'page'} ${n}`;
}
