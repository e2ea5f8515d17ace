/**
 * PDFs written object by object, for the shapes a PDF library will not produce: broken page
 * trees, fonts that need pdf.js's CJK character maps, a broken Unicode map, a cross-reference
 * table that lies.
 */

/** Assembles numbered objects (object 1 first) into a PDF with a correct xref table. */
export function assemblePdf(objects: string[], rootObject = 1): Uint8Array {
  let body = '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root ${rootObject} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

function stream(content: string): string {
  return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

/**
 * Pages of Helvetica text where the pages listed in `broken` are not page dictionaries at
 * all: pdf.js cannot open them, and the other pages must still be read.
 */
export function pdfWithBrokenPages(pageTexts: string[], broken: number[]): Uint8Array {
  // 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const kids: string[] = [];
  pageTexts.forEach((text, i) => {
    const pageNumber = objects.length + 1;
    const contentNumber = pageNumber + 1;
    kids.push(`${pageNumber} 0 R`);
    objects.push(
      broken.includes(i + 1)
        ? '(this is not a page)'
        : `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentNumber} 0 R >>`,
    );
    objects.push(stream(`BT /F1 12 Tf 56 780 Td (${escapePdfString(text)}) Tj ET`));
  });
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pageTexts.length} >>`;
  return assemblePdf(objects);
}

/**
 * Japanese text in a non-embedded CID font (Adobe-Japan1, UniJIS-UCS2-H): pdf.js can only
 * turn its codes into text with the CJK character maps that the app ships.
 */
export function cjkPdf(lines: string[]): Uint8Array {
  const hex = (text: string) =>
    Array.from(text)
      .map((c) => c.codePointAt(0)?.toString(16).padStart(4, '0'))
      .join('');
  const content = lines.map((line, i) => `BT /F1 16 Tf 56 ${780 - i * 30} Td <${hex(line)}> Tj ET`).join('\n');
  return assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPro-Regular /Encoding /UniJIS-UCS2-H /DescendantFonts [5 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPro-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 4 >> /FontDescriptor << /Type /FontDescriptor /FontName /KozMinPro-Regular /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >> >>',
    stream(content),
  ]);
}

/** The same PDF with every xref offset wrong: readers must rebuild the table by scanning. */
export function withBrokenXref(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const broken = text.replace(/^(\d{10}) 00000 n $/gm, (_, offset: string) => `${String(Number(offset) + 7).padStart(10, '0')} 00000 n `);
  return new Uint8Array(Buffer.from(broken, 'latin1'));
}

/**
 * Right-to-left text: a simple font whose ToUnicode map turns single-byte codes into Hebrew
 * and Arabic letters, so text extraction (which reads ToUnicode, not the glyphs) sees them.
 */
export function rtlPdf(words: string[]): Uint8Array {
  const letters = [...new Set(words.join('').replace(/\s/g, ''))];
  const code = (c: string) => 0x21 + letters.indexOf(c);
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  const toUnicode = [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CMapName /RTL def /CMapType 2 def',
    '1 begincodespacerange <00> <FF> endcodespacerange',
    `${letters.length + 1} beginbfchar`,
    '<20> <0020>',
    ...letters.map((c) => `<${hex(code(c))}> <${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}>`),
    'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
  // Glyphs are placed left to right as they appear, so the stream holds the line in visual
  // order (reversed), as PDF writers do; readers turn it back into reading order.
  const content = words
    .map((word, i) => {
      const bytes = Array.from(word, (c) => (c === ' ' ? '20' : hex(code(c))))
        .reverse()
        .join('');
      return `BT /F1 16 Tf 56 ${780 - i * 30} Td <${bytes}> Tj ET`;
    })
    .join('\n');
  return assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>',
    stream(toUnicode),
    stream(content),
  ]);
}

/**
 * A page with a line of readable Helvetica text and a line in a font whose ToUnicode map is
 * broken the ways real ones are: its codes map to private-use code points, control
 * characters and the replacement character, so extraction yields garbage for that line.
 */
export function brokenMapPdf(readable: string, garbageLength: number): Uint8Array {
  const targets = ['e000', 'e001', 'f8ff', '0001', '0007', 'fffd', '001f'];
  const toUnicode = [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CMapName /Broken def /CMapType 2 def',
    '1 begincodespacerange <00> <FF> endcodespacerange',
    `${targets.length} beginbfchar`,
    ...targets.map((target, i) => `<${(0x41 + i).toString(16)}> <${target}>`),
    'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
  const garbage = Array.from({ length: garbageLength }, (_, i) => (0x41 + (i % targets.length)).toString(16)).join('');
  const content = `BT /F1 14 Tf 56 780 Td (${escapePdfString(readable)}) Tj ET\nBT /F2 14 Tf 56 740 Td <${garbage}> Tj ET`;
  return assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 7 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /ToUnicode 6 0 R >>',
    stream(toUnicode),
    stream(content),
  ]);
}
