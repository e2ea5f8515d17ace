import { describe, expect, it } from 'vitest';
import {
  decodeText,
  extractMarkdownDocument,
  extractPlainTextDocument,
  parseFrontMatter,
  stripInlineMarkdown,
} from '../../web/lib/ingest/text-document';

const utf16le = (text: string, bom = true) => {
  const out: number[] = bom ? [0xff, 0xfe] : [];
  for (const char of text) {
    const code = char.charCodeAt(0);
    out.push(code & 0xff, code >> 8);
  }
  return new Uint8Array(out);
};

describe('decodeText', () => {
  it('reads UTF-8, with or without a byte order mark', () => {
    expect(decodeText(new TextEncoder().encode('café'))).toBe('café');
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('café')]))).toBe('café');
  });

  it('reads UTF-16 by its byte order mark, and without one by its zero bytes', () => {
    expect(decodeText(utf16le('Grüße aus Wien'))).toBe('Grüße aus Wien');
    expect(decodeText(new Uint8Array([0xfe, 0xff, 0x00, 0x68, 0x00, 0x69]))).toBe('hi');
    expect(decodeText(utf16le('Notes from Windows Notepad', false))).toBe('Notes from Windows Notepad');
  });

  it('falls back to Windows-1252 for text that is not UTF-8', () => {
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x71, 0x94]))).toBe('café “q”');
  });
});

describe('stripInlineMarkdown', () => {
  it.each([
    ['**bold** and *italic* and __strong__ and _em_', 'bold and italic and strong and em'],
    ['see [the docs](https://example.org/docs "Docs") now', 'see the docs now'],
    ['an ![image of kelp](kelp.png) here', 'an image of kelp here'],
    ['a [reference link][1] and a footnote[^2]', 'a reference link and a footnote'],
    ['keep `code *as is*` please', 'keep code *as is* please'],
    ['snake_case_name and 2*3*4', 'snake_case_name and 2*3*4'],
    ['~~gone~~ and <https://example.org/x>', 'gone and https://example.org/x'],
    ['Tom &amp; Jerry &#8212; <span class="x">cartoon</span>', 'Tom & Jerry — cartoon'],
    ['escaped \\*stars\\*', 'escaped *stars*'],
  ])('%j → %j', (markdown, text) => {
    // Tags leave a space behind (they may separate words); normalisation collapses it later.
    expect(stripInlineMarkdown(markdown).replace(/\s+/g, ' ').trim()).toBe(text);
  });
});

describe('front matter', () => {
  it('reads flat YAML and TOML fields', () => {
    expect(parseFrontMatter('---\ntitle: "Kelp"\nurl: https://example.org/kelp\ntags:\n  - sea\n---\nBody').fields).toEqual(
      new Map([
        ['title', 'Kelp'],
        ['url', 'https://example.org/kelp'],
      ]),
    );
    expect(parseFrontMatter("+++\ntitle = 'Kelp'\n+++\nBody")).toEqual({ fields: new Map([['title', 'Kelp']]), body: 'Body' });
    expect(parseFrontMatter('No front matter\n---\n').fields.size).toBe(0);
  });
});

const CLIPPED = `---
title: "Kelp forests of the Pacific"
source: https://www.example.org/kelp
published: 2023-06-01
created: 2024-03-03T10:15:00+01:00
tags:
  - clippings
---
# Kelp forests

Kelp **grows** up to half a metre a day, see [this study](https://example.org/study).

## Where it grows

- Cold water
- Rocky *coasts*

\`\`\`python
# not a heading
depth = 30
\`\`\`

Setext heading
--------------

> A quote line
> that goes on.

| Species | Depth |
| --- | --- |
| Giant kelp | 30 m |

[study]: https://example.org/study
`;

describe('extractMarkdownDocument', () => {
  const doc = extractMarkdownDocument(CLIPPED, 'kelp.md');

  it('cuts sections at ATX and setext headings, and keeps code as text', () => {
    expect(doc.sections).toEqual([
      { heading: 'Kelp forests', level: 1, text: 'Kelp grows up to half a metre a day, see this study.' },
      { heading: 'Where it grows', level: 2, text: 'Cold water\n\nRocky coasts\n\n# not a heading depth = 30' },
      { heading: 'Setext heading', level: 2, text: 'A quote line that goes on.\n\nSpecies · Depth\n\nGiant kelp · 30 m' },
    ]);
  });

  it('takes the title and provenance from the front matter', () => {
    expect(doc.kind).toBe('markdown');
    expect(doc.title).toBe('Kelp forests of the Pacific');
    expect(doc.provenance).toEqual({
      sourceUrl: 'https://www.example.org/kelp',
      savedAt: Date.UTC(2024, 2, 3, 9, 15),
      publishedAt: new Date(2023, 5, 1).getTime(),
      evidence: { sourceUrl: 'front-matter', savedAt: 'front-matter', publishedAt: 'front-matter' },
    });
  });

  it('reads url: and date: too', () => {
    const result = extractMarkdownDocument('---\nurl: https://example.org/a\ndate: 2024-03-03\n---\ntext', 'a.md');
    expect(result.provenance).toMatchObject({ sourceUrl: 'https://example.org/a', savedAt: new Date(2024, 2, 3).getTime() });
  });

  it('falls back to the first heading, then the file name, for the title', () => {
    expect(extractMarkdownDocument('Intro\n\n## Part\n\ntext\n\n# Main title\n\nmore', 'x.md').title).toBe('Main title');
    expect(extractMarkdownDocument('just text', 'my_notes.md').title).toBe('my notes');
  });

  it('does not take a quoted or listed line above a rule for a setext heading', () => {
    const result = extractMarkdownDocument('> quoted\n---\n\n- item\n---\nafter', 'x.md');
    expect(result.sections).toEqual([{ heading: null, level: 0, text: 'quoted\n\nitem\n\nafter' }]);
  });

  it('ends a section at a heading even without a blank line before it', () => {
    expect(extractMarkdownDocument('para\n## Next\nbody', 'x.md').sections).toEqual([
      { heading: null, level: 0, text: 'para' },
      { heading: 'Next', level: 2, text: 'body' },
    ]);
  });
});

describe('extractPlainTextDocument', () => {
  it('is one section, its title the first line when that stands alone like a title', () => {
    const doc = extractPlainTextDocument('Packing list for the coast\r\n\r\nBoots, a torch,\r\nand a tide table.\r\n', 'list.txt');
    expect(doc).toEqual({
      kind: 'text',
      title: 'Packing list for the coast',
      sections: [{ heading: null, level: 0, text: 'Packing list for the coast\n\nBoots, a torch, and a tide table.' }],
      provenance: { evidence: {} },
    });
  });

  it('uses the file name when the first line is a sentence', () => {
    expect(extractPlainTextDocument('This is a sentence.\n\nMore.', 'notes-2024.txt').title).toBe('notes-2024');
  });
});
