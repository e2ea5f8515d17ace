/**
 * Text as pdf.js hands it over is full of layout artefacts: ligatures and full-width forms,
 * words split by a hyphen at a line end, runs of spaces used for alignment. Search and
 * chunking both want plain, comparable text, so everything passes through here once.
 */

// Characters that carry no meaning for search and only come from broken font maps or layout:
// controls, soft hyphens, zero-width marks, replacement characters, and the private-use
// code points that fonts without a Unicode map hand out for their glyphs.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200d\u2060\ufeff\ufffd\ue000-\uf8ff]|[\udb80-\udbff][\udc00-\udfff]/g;

// A hyphen at a line end followed by a lower-case letter is almost always a word broken for
// layout ("exam-\nple"); a capital or digit after it usually marks a real compound ("COVID-\n19").
const LINE_END_HYPHEN = /(\p{L})[-\u2010\u00ad]\n(\p{Ll})/gu;

/** Normalises one line of text: NFKC, invisible characters dropped, whitespace collapsed. */
export function normalizeLine(line: string): string {
  return line.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * Normalises a block of text made of lines and paragraphs. Paragraph breaks (blank lines)
 * survive as "\n\n"; single line breaks inside a paragraph become spaces.
 */
export function normalizeText(text: string): string {
  const dehyphenated = text.normalize('NFKC').replace(/\r\n?/g, '\n').replace(LINE_END_HYPHEN, '$1$2');
  return dehyphenated
    .split(/\n[ \t]*\n+/)
    .map((paragraph) => normalizeLine(paragraph.replace(/\n/g, ' ')))
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}
