/**
 * Text as pdf.js hands it over is full of layout artefacts: ligatures and full-width forms,
 * words split by a hyphen at a line end, runs of spaces used for alignment. Search and
 * chunking both want plain, comparable text, so everything passes through here once.
 */

// Characters that carry no meaning for search and only come from broken font maps or layout:
// controls, soft hyphens, zero-width marks, replacement characters, and the private-use
// code points that fonts without a Unicode map hand out for their glyphs.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200d\u2060\ufeff\ufffd\ue000-\uf8ff]|[\udb80-\udbff][\udc00-\udfff]/g;

// A hyphen at a line end followed by a lower-case letter is most often a word broken for
// layout ("exam-\nple"); a capital or digit after it usually marks a real compound ("COVID-\n19").
const LINE_END_HYPHEN = /(\p{L}+)([-\u2010\u00ad])\n(\p{Ll}+)/gu;

// Words that begin compounds written with a hyphen ("self-employment", "well-known"): at a line
// end their hyphen is kept. Search finds a compound by its joined form too (see tokenize).
const COMPOUND_HEADS = new Set(
  `self well non ex all half cross long short high low full part multi semi anti pre post co
  one two three four five first second third mid over under much ill life world state open
  cost time user top end follow built`.split(/\s+/),
);

function joinLineEndHyphen(text: string): string {
  return text.replace(LINE_END_HYPHEN, (whole, head: string, hyphen: string, tail: string) => {
    // A soft hyphen is only ever a break; a compound written with a hyphen elsewhere in the text keeps it here too.
    const keep = hyphen !== '\u00ad' && (COMPOUND_HEADS.has(head.toLowerCase()) || text.includes(`${head}-${tail}`));
    return keep ? `${head}-${tail}` : `${head}${tail}`;
  });
}

/** Normalises one line of text: NFKC, invisible characters dropped, whitespace collapsed. */
export function normalizeLine(line: string): string {
  return line.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * Normalises a block of text made of lines and paragraphs. Paragraph breaks (blank lines)
 * survive as "\n\n"; single line breaks inside a paragraph become spaces.
 */
export function normalizeText(text: string): string {
  return joinLineEndHyphen(text.normalize('NFKC').replace(/\r\n?/g, '\n'))
    .split(/\n[ \t]*\n+/)
    .map((paragraph) => normalizeLine(paragraph.replace(/\n/g, ' ')))
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}
