// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { cleanPageTitle, decodeHtml, extractHtmlDocument, extractMhtmlDocument } from '../../web/lib/ingest/html-document';
import { decodeEncodedWords, decodeQuotedPrintable, parseMhtml } from '../../web/lib/ingest/mhtml';

const ARTICLE_PAGE = `<!DOCTYPE html>
<!-- saved from url=(0043)https://www.example.org/articles/tide-pools -->
<html lang="en"><head>
<meta charset="utf-8">
<title>How Tide Pools Work | Example Science</title>
<meta property="og:site_name" content="Example Science">
<meta property="article:published_time" content="2023-06-01T08:00:00Z">
<style>body { font: 16px serif }</style>
<script>window.tracking = true;</script>
</head>
<body>
<header class="site-header"><a href="/">Example Science</a><nav><a href="/news">News</a><a href="/about">About</a></nav></header>
<div role="search"><form><input name="q" placeholder="Search"><button>Go</button></form></div>
<main>
  <article>
    <header><h1>How Tide Pools Work</h1><p class="byline">By A. Writer</p></header>
    <p>Tide pools form where the sea
       retreats twice a day.</p>
    <p>They hold water<br>in hollows of the rock.</p>
    <h2>Who lives there</h2>
    <ul><li>Anemones</li><li>Hermit crabs</li></ul>
    <div class="share" aria-hidden="true">Share on social media</div>
    <p hidden>Subscribe to our newsletter</p>
    <p style="display: none">Hidden promo</p>
    <h3>Anemones</h3>
    <blockquote>They look like flowers but are animals.</blockquote>
    <pre>tide = sea - rock
depth = 30 cm</pre>
    <table><tr><th>Species</th><th>Depth</th></tr><tr><td>Anemone</td><td>0.3 m</td></tr></table>
    <noscript>Enable JavaScript</noscript>
    <svg><text>chart label</text></svg>
  </article>
  <aside>Related: more articles</aside>
</main>
<footer>© Example Science · Privacy</footer>
<div role="contentinfo">Contact us</div>
<img src="x" onerror="window.__imageHandlerRan = true">
</body></html>`;

describe('extractHtmlDocument', () => {
  const doc = extractHtmlDocument(ARTICLE_PAGE, 'How Tide Pools Work.html');

  it('keeps the readable text in sections cut at headings', () => {
    expect(doc.sections).toEqual([
      { heading: 'How Tide Pools Work', level: 1, text: 'By A. Writer\n\nTide pools form where the sea retreats twice a day.\n\nThey hold water in hollows of the rock.' },
      { heading: 'Who lives there', level: 2, text: 'Anemones\n\nHermit crabs' },
      {
        heading: 'Anemones',
        level: 3,
        text: 'They look like flowers but are animals.\n\ntide = sea - rock depth = 30 cm\n\nSpecies\n\nDepth\n\nAnemone\n\n0.3 m',
      },
    ]);
  });

  it('drops scripts, styles, forms, hidden elements and the site around the page', () => {
    const all = doc.sections.map((s) => `${s.heading} ${s.text}`).join(' ');
    for (const chrome of ['tracking', 'font:', 'News', 'Search', 'Go', 'Share', 'Subscribe', 'promo', 'JavaScript', 'chart', 'Related', 'Privacy', 'Contact']) {
      expect(all).not.toContain(chrome);
    }
  });

  it('never runs anything in the page', () => {
    expect((window as unknown as Record<string, unknown>).tracking).toBeUndefined();
    expect((window as unknown as Record<string, unknown>).__imageHandlerRan).toBeUndefined();
  });

  it('takes the title without the site name, and the provenance', () => {
    expect(doc.kind).toBe('html');
    expect(doc.title).toBe('How Tide Pools Work');
    expect(doc.provenance).toEqual({
      sourceUrl: 'https://www.example.org/articles/tide-pools',
      publishedAt: Date.UTC(2023, 5, 1, 8),
      evidence: { sourceUrl: 'saved-from-comment', publishedAt: 'html-meta' },
    });
  });

  it('reads a page without headings as one section, from the body', () => {
    const page = extractHtmlDocument('<p>First paragraph.</p><div>Second <b>bold</b> one.</div>', 'note.html');
    expect(page.sections).toEqual([{ heading: null, level: 0, text: 'First paragraph.\n\nSecond bold one.' }]);
    expect(page.title).toBe('note');
  });

  it('takes a listing of several articles whole rather than one of them', () => {
    const listing = `<main><article><h2>Post one</h2><p>Alpha text here.</p></article><article><h2>Post two</h2><p>Beta text here.</p></article></main>`;
    expect(extractHtmlDocument(listing, 'blog.html').sections.map((s) => s.heading)).toEqual(['Post one', 'Post two']);
  });

  it('does not take a small article (a teaser) for the content', () => {
    const page = `<body><div><h1>Main story</h1><p>${'Long story text. '.repeat(40)}</p></div><article><p>Teaser</p></article></body>`;
    const sections = extractHtmlDocument(page, 'x.html').sections;
    expect(sections[0].heading).toBe('Main story');
    expect(sections.map((s) => s.text).join(' ')).toContain('Teaser');
  });

  it('keeps a page that was saved with a pop-up open, which hides the page behind it', () => {
    const page = `<body><div id="app" aria-hidden="true"><main><h1>Kelp forests</h1><p>Kelp grows fast.</p></main></div><div role="dialog">Accept cookies?</div></body>`;
    expect(extractHtmlDocument(page, 'kelp.html').sections).toEqual([{ heading: 'Kelp forests', level: 1, text: 'Kelp grows fast.' }]);
  });

  it('reads a SingleFile page: its address and the moment it was saved', () => {
    const page = `<!DOCTYPE html> <html lang="en"><!--
 Page saved with SingleFile 
 url: https://breadlab.example/guides/starters 
 saved date: Sun Mar 03 2024 22:40:12 GMT+0100 (Central European Standard Time)
--><meta charset="utf-8"><title>Sourdough starters, explained – Bread Lab</title><style>p{color:red}</style>
<meta property="og:title" content="Sourdough starters, explained"><body><article><h1>Sourdough starters</h1><p>Flour and water, fermented.</p></article></body></html>`;
    const result = extractHtmlDocument(page, 'Sourdough starters (3_3_2024 22_40_12).html');
    expect(result.title).toBe('Sourdough starters, explained');
    expect(result.provenance).toMatchObject({
      sourceUrl: 'https://breadlab.example/guides/starters',
      savedAt: Date.UTC(2024, 2, 3, 21, 40, 12),
    });
    expect(result.sections).toEqual([{ heading: 'Sourdough starters', level: 1, text: 'Flour and water, fermented.' }]);
  });

  it('falls back from the title to the first heading, then to the file name', () => {
    expect(extractHtmlDocument('<title>untitled</title><h1>Real heading</h1><p>x</p>', 'a.html').title).toBe('Real heading');
    expect(extractHtmlDocument('<p>no title</p>', 'My_saved_page.html').title).toBe('My saved page');
  });
});

describe('cleanPageTitle', () => {
  it.each([
    ['How Tide Pools Work | Example Science', ['Example Science'], undefined, 'How Tide Pools Work'],
    ['How Tide Pools Work - Example Science', [], 'https://www.examplescience.com/a', 'How Tide Pools Work'],
    ['Kelp — The Guardian', [], 'https://www.theguardian.com/kelp', 'Kelp'],
    ['Tide pool - Wikipedia', [], 'https://en.wikipedia.org/wiki/Tide_pool', 'Tide pool'],
    ['Example Science: How tides work', ['Example Science'], undefined, 'Example Science: How tides work'],
    ['Example Science | How tides work', ['Example Science'], undefined, 'How tides work'],
    ['Spider-Man - Far From Home', [], 'https://films.example/', 'Spider-Man - Far From Home'],
    ['Before - After', ['Example'], undefined, 'Before - After'],
  ])('%j → %j', (title, siteNames, url, expected) => {
    expect(cleanPageTitle(title, siteNames, url)).toBe(expected);
  });
});

// A page as Chrome saves it with "Webpage, Single File": a MIME message whose first part is
// the page in quoted-printable (soft line breaks, "=3D" for "=", UTF-8 bytes as =XX), then
// the page's resources.
const BOUNDARY = '----MultipartBoundary--kVnT8mLJ3aXU2ZpxCqNdEyB5ybRDdnhLxqcnPzORvR----';
const CHROME_MHTML = [
  'From: <Saved by Blink>',
  'Snapshot-Content-Location: https://www.example.org/articles/caf%C3%A9-culture',
  'Subject: =?utf-8?Q?Caf=C3=A9_culture_|_Example?=',
  'Date: Sun, 3 Mar 2024 09:15:32 -0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/related;',
  '\ttype="text/html";',
  `\tboundary="${BOUNDARY}"`,
  '',
  '',
  `--${BOUNDARY}`,
  'Content-Type: text/html',
  'Content-ID: <frame-8F3A2C1D0B9E4F7A6C5D4E3F2A1B0C9D@mhtml.blink>',
  'Content-Transfer-Encoding: quoted-printable',
  'Content-Location: https://www.example.org/articles/caf%C3%A9-culture',
  '',
  '<!DOCTYPE html><html lang=3D"en"><head><meta http-equiv=3D"Content-Type" c=',
  'ontent=3D"text/html; charset=3DUTF-8"><link rel=3D"stylesheet" type=3D"text=',
  '/css" href=3D"cid:css-1@mhtml.blink" /><title>Caf=C3=A9 culture | Example</ti=',
  'tle></head><body><nav><a href=3D"/">Home</a></nav><main><h1>Caf=C3=A9 cultu=',
  're</h1><p>Coffee houses spread across Europe in the 17th century.</p><h2>Vie=',
  'nna</h2><p>The Viennese caf=C3=A9 is on UNESCO=E2=80=99s list.</p></main></bo=',
  'dy></html>',
  '',
  `--${BOUNDARY}`,
  'Content-Type: text/css',
  'Content-Transfer-Encoding: quoted-printable',
  'Content-Location: cid:css-1@mhtml.blink',
  '',
  '@charset "utf-8";',
  '',
  'body { margin: 0px; }',
  '',
  `--${BOUNDARY}`,
  'Content-Type: image/png',
  'Content-Transfer-Encoding: base64',
  'Content-Location: https://www.example.org/logo.png',
  '',
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  '',
  `--${BOUNDARY}--`,
  '',
].join('\r\n');

const bytes = (text: string) => new TextEncoder().encode(text);

describe('MHTML', () => {
  it('decodes quoted-printable and encoded words', () => {
    expect(new TextDecoder().decode(decodeQuotedPrintable('caf=C3=A9 =3D soft=\r\nbreak'))).toBe('café = softbreak');
    expect(decodeEncodedWords('=?utf-8?Q?Caf=C3=A9_culture?= =?utf-8?B?IOKAkyBFeGFtcGxl?=')).toBe('Café culture – Example');
  });

  it('finds the page part and the headers', () => {
    const page = parseMhtml(bytes(CHROME_MHTML));
    expect(page?.headers.get('snapshot-content-location')).toBe('https://www.example.org/articles/caf%C3%A9-culture');
    expect(page?.headers.get('subject')).toBe('Café culture | Example');
    expect(new TextDecoder().decode(page?.html)).toMatch(/^<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Type" content=/);
  });

  it("reads Chrome's single-file page: text, title and provenance", () => {
    const doc = extractMhtmlDocument(bytes(CHROME_MHTML), 'Café culture.mhtml');
    expect(doc).toEqual({
      kind: 'mhtml',
      title: 'Café culture',
      sections: [
        { heading: 'Café culture', level: 1, text: 'Coffee houses spread across Europe in the 17th century.' },
        { heading: 'Vienna', level: 2, text: 'The Viennese café is on UNESCO’s list.' },
      ],
      provenance: {
        sourceUrl: 'https://www.example.org/articles/caf%C3%A9-culture',
        savedAt: Date.UTC(2024, 2, 3, 9, 15, 32),
        evidence: { sourceUrl: 'mhtml-headers', savedAt: 'mhtml-headers' },
      },
    });
  });

  it('reads a base64 page part with a declared charset, LF line ends, and the Subject as a last-resort title', () => {
    const html = new Uint8Array([...bytes('<html><body><p>Gr'), 0xfc, ...bytes('n</p></body></html>')]);
    const mhtml = [
      'MIME-Version: 1.0',
      'Subject: Farben',
      'Content-Type: multipart/related; boundary=abc; type="text/html"',
      '',
      '--abc',
      'Content-Type: text/html; charset=windows-1252',
      'Content-Transfer-Encoding: base64',
      '',
      btoa(String.fromCharCode(...html)),
      '--abc--',
    ].join('\n');
    const doc = extractMhtmlDocument(bytes(mhtml), 'farben.mht');
    expect(doc?.sections).toEqual([{ heading: null, level: 0, text: 'Grün' }]);
    expect(doc?.title).toBe('Farben');
  });

  it('returns null for a MIME message without a page', () => {
    expect(extractMhtmlDocument(bytes('MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n\n--x\nContent-Type: image/png\n\nabc\n--x--\n'), 'a.mhtml')).toBeNull();
  });
});

describe('decodeHtml', () => {
  it('follows <meta charset> for legacy pages', () => {
    const page = new Uint8Array([...bytes('<meta charset="iso-8859-1"><p>caf'), 0xe9, ...bytes('</p>')]);
    expect(decodeHtml(page)).toBe('<meta charset="iso-8859-1"><p>café</p>');
  });

  it('keeps valid UTF-8 whatever an outdated meta tag claims', () => {
    expect(decodeHtml(bytes('<meta charset="iso-8859-1"><p>café</p>'))).toBe('<meta charset="iso-8859-1"><p>café</p>');
  });

  it('honours a byte order mark', () => {
    expect(decodeHtml(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('<p>é</p>')]))).toBe('<p>é</p>');
  });
});
