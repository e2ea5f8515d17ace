import { parseDateText } from '../provenance/parse-date';
import { emptyProvenance, type Provenance } from '../provenance/provenance';
import { meaningfulTitle, titleFromFileName } from '../text/title';
import { SectionBuilder, type ExtractedWebDocument } from './sections';

/**
 * Plain text and Markdown as sections. Markdown is not rendered: its headings cut sections,
 * and its syntax is stripped so that only the words a reader sees are indexed (link text,
 * not link addresses; emphasis without its asterisks). Code stays, as text.
 */

function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const sample = bytes.subarray(0, 1024 - (Math.min(bytes.length, 1024) % 2));
  if (sample.length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = sample.length / 2;
  // Latin text in UTF-16 has a zero in every other byte; UTF-8 text has none.
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

// Windows-1252's 0x80–0x9F. Some engines (Node among them) decode "windows-1252" as Latin-1
// and leave these as C1 control characters, where browsers give the curly quotes and dashes.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (char) => CP1252_HIGH[char.charCodeAt(0) - 0x80]);
}

/**
 * Bytes to text: UTF-8 or UTF-16 by their byte order mark, UTF-16 without one by its zero
 * bytes, else UTF-8, and Windows-1252 for the old files that are not valid UTF-8.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

export interface FrontMatter {
  fields: Map<string, string>;
  /** The text after the front matter. */
  body: string;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return quoted ? quoted[2] : trimmed;
}

/**
 * YAML (---) or TOML (+++) front matter, read only as flat `key: value` lines: enough for the
 * title, address and dates that note-taking and web-clipping tools write there.
 */
export function parseFrontMatter(text: string): FrontMatter {
  const match = /^(---|\+\+\+)[ \t]*\r?\n([\s\S]*?)\r?\n\1[ \t]*(?:\r?\n|$)/.exec(text);
  const fields = new Map<string, string>();
  if (!match) return { fields, body: text };
  const separator = match[1] === '+++' ? '=' : ':';
  for (const line of match[2].split(/\r?\n/)) {
    const at = line.indexOf(separator);
    if (at <= 0 || /^\s/.test(line)) continue;
    const key = line.slice(0, at).trim().toLowerCase();
    const value = unquote(line.slice(at + 1));
    if (/^[\w-]+$/.test(key) && value !== '' && !fields.has(key)) fields.set(key, value);
  }
  return { fields, body: text.slice(match[0].length) };
}

function firstField(fields: Map<string, string>, names: string[]): string | undefined {
  for (const name of names) {
    const value = fields.get(name);
    if (value) return value;
  }
  return undefined;
}

/** Provenance from front matter: web clippers write the page's address and the day it was clipped there. */
export function provenanceFromFrontMatter(fields: Map<string, string>): Provenance {
  const provenance = emptyProvenance();
  const url = firstField(fields, ['url', 'source', 'source_url', 'source-url', 'canonical_url', 'link']);
  if (url && /^https?:\/\/\S+$/i.test(url)) {
    provenance.sourceUrl = url;
    provenance.evidence.sourceUrl = 'front-matter';
  }
  const saved = firstField(fields, ['saved', 'saved_at', 'clipped', 'created', 'date']);
  const savedAt = saved === undefined ? undefined : parseDateText(saved);
  if (savedAt !== undefined) {
    provenance.savedAt = savedAt;
    provenance.evidence.savedAt = 'front-matter';
  }
  const published = fields.get('published');
  const publishedAt = published === undefined ? undefined : parseDateText(published);
  if (publishedAt !== undefined) {
    provenance.publishedAt = publishedAt;
    provenance.evidence.publishedAt = 'front-matter';
  }
  return provenance;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return ENTITIES[entity.toLowerCase()] ?? whole;
    const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Markdown inline syntax to the words it shows. Code spans are kept verbatim. */
export function stripInlineMarkdown(line: string): string {
  return line
    .split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/)
    .map((part, i) => {
      // split() with two groups yields [text, ticks, code, text, ticks, code, …].
      if (i % 3 === 1) return '';
      if (i % 3 === 2) return part.trim();
      return stripInlineSyntax(part);
    })
    .join('');
}

// Escaped punctuation ("\\*") is parked in the Private Use Area while the syntax is stripped, so that it is never read as syntax.
const PARKED = 0xe000;

function stripInlineSyntax(text: string): string {
  return decodeEntities(
    text
      .replace(/\\([!-/:-@[-`{-~])/g, (_, char: string) => String.fromCharCode(PARKED + char.charCodeAt(0)))
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
      .replace(/<\/?[a-z][\w-]*(?:\s[^<>]*)?\/?>/gi, ' ')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/!\[([^\]]*)\]\[[^\]]*\]/g, '$1')
      .replace(/\[\^[^\]]+\]/g, '')
      .replace(/\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1$2')
      .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/[\ue021-\ue07e]/g, (char) => String.fromCharCode(char.charCodeAt(0) - PARKED)),
  );
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S+/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s+/;
const QUOTE = /^\s*(?:>\s?)+/;

/** A line without its block markers (quote, list, table), and how it relates to the lines around it. */
function blockLine(line: string): { text: string; ownParagraph: boolean; quoted: boolean } {
  let text = line;
  const quoted = QUOTE.test(text);
  if (quoted) text = text.replace(QUOTE, '');
  let ownParagraph = false;
  if (LIST_ITEM.test(text)) {
    text = text.replace(LIST_ITEM, '').replace(/^\[[ xX]\]\s+/, '');
    ownParagraph = true;
  }
  if (/^\s*\|.*\|\s*$/.test(text)) {
    text = text.replace(/^\s*\|/, '').replace(/\|\s*$/, '').replace(/\s*\|\s*/g, ' · ');
    ownParagraph = true;
  }
  return { text, ownParagraph, quoted };
}

/** Markdown into sections at its ATX (#) and setext (underlined) headings. */
export function markdownSections(markdown: string): SectionBuilder {
  const builder = new SectionBuilder();
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  // The paragraph being read is kept apart: a setext underline turns it into a heading, and
  // inline syntax (emphasis, links) may run across its lines.
  let paragraph: string[] = [];
  let setextCandidate = false;
  let fence: string | null = null;
  const flush = () => {
    if (paragraph.length > 0) builder.append(`${stripInlineMarkdown(paragraph.join('\n'))}\n\n`);
    paragraph = [];
    setextCandidate = false;
  };
  for (const line of lines) {
    if (fence !== null) {
      if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(line)) {
        fence = null;
        builder.append('\n\n');
      } else {
        builder.append(`${line}\n`);
      }
      continue;
    }
    const fenceStart = FENCE.exec(line);
    if (fenceStart) {
      flush();
      fence = fenceStart[1];
      builder.append('\n\n');
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && setextCandidate) {
      const heading = stripInlineMarkdown(paragraph.join(' '));
      paragraph = [];
      setextCandidate = false;
      builder.startSection(heading, setext[1][0] === '=' ? 1 : 2);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      builder.startSection(stripInlineMarkdown(atx[2] ?? ''), atx[1].length);
      continue;
    }
    if (line.trim() === '' || THEMATIC_BREAK.test(line) || TABLE_DELIMITER.test(line) || REFERENCE_DEFINITION.test(line)) {
      flush();
      continue;
    }
    const { text, ownParagraph, quoted } = blockLine(line);
    if (ownParagraph) flush();
    if (paragraph.length === 0) setextCandidate = !quoted && !ownParagraph;
    else if (quoted) setextCandidate = false;
    paragraph.push(text);
    if (ownParagraph) flush();
  }
  flush();
  return builder;
}

/** The first level-1 heading, else the first heading of any level. */
function firstHeading(sections: { heading: string | null; level: number }[]): string | undefined {
  return (sections.find((s) => s.level === 1) ?? sections.find((s) => s.heading !== null))?.heading ?? undefined;
}

export function extractMarkdownDocument(markdown: string, fileName: string): ExtractedWebDocument {
  const { fields, body } = parseFrontMatter(markdown.replace(/^\uFEFF/, ''));
  const sections = markdownSections(body).finish();
  const title = meaningfulTitle(fields.get('title')) ?? meaningfulTitle(firstHeading(sections)) ?? titleFromFileName(fileName);
  return { kind: 'markdown', title, sections, provenance: provenanceFromFrontMatter(fields) };
}

/**
 * Plain text is one section. Its first line is its title when it stands alone like one:
 * short, followed by a blank line, and not a sentence.
 */
export function extractPlainTextDocument(text: string, fileName: string): ExtractedWebDocument {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const builder = new SectionBuilder();
  builder.append(clean);
  const sections = builder.finish();
  const firstLine = /^\s*([^\n]{3,120})\n[ \t]*\n/.exec(clean)?.[1].trim();
  const lineTitle = firstLine && !/[.,;:!?]$/.test(firstLine) ? meaningfulTitle(firstLine) : null;
  return { kind: 'text', title: lineTitle ?? titleFromFileName(fileName), sections, provenance: emptyProvenance() };
}
