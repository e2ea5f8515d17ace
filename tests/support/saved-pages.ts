import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * Documents as browsers save them, dated relative to the moment the test runs: a web page
 * saved with SingleFile yesterday, Markdown clipped forty days ago, and a page Chrome printed
 * to PDF today, with Chrome's header and footer.
 */

const DAY = 24 * 60 * 60 * 1000;

export function singleFilePage(savedAt = new Date(Date.now() - DAY)): string {
  return `<!DOCTYPE html>
<!--
 Page saved with SingleFile 
 url: https://www.otters.example/guides/river-otters 
 saved date: ${savedAt.toString()}
-->
<html lang="en"><head><title>River otters | Otter Trust</title>
<script>document.title = 'hacked'; window.ran = true;</script>
<style>body { color: red }</style></head>
<body>
<nav><a href="/">Home</a> <a href="/donate">Donate to the marmalade fund</a></nav>
<article>
<h1>River otters</h1>
<p>River otters hunt fish and crayfish at dusk, and can stay under water for eight minutes.</p>
<h2>Where they live</h2>
<p>Otters den in holts dug into river banks, often among the roots of alder trees.</p>
<h2>Signs of otters</h2>
<p>Look for spraints on rocks by the water: they smell of jasmine tea and fish.</p>
</article>
<footer>Copyright Otter Trust. Cookie settings.</footer>
</body></html>`;
}

export function clippedMarkdown(savedAt = new Date(Date.now() - 40 * DAY)): string {
  return `---
title: Notes on beavers
url: https://wildlife.example/beavers
date: ${savedAt.toISOString()}
---

# Beaver dams

Beavers build dams of willow and mud that can hold back a pond for decades.

## Lodges

A lodge has an underwater entrance, so predators cannot follow the beavers inside.
`;
}

/**
 * A page "printed" by Chrome at `now` (three days ago by default, so that its date is not the
 * date the test gives the file): date and title at the top, URL and page counter at the bottom.
 */
export async function chromePrintedPdf(now = new Date(Date.now() - 3 * DAY)): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setProducer('Skia/PDF m124');
  pdf.setCreator('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36');
  pdf.setCreationDate(now);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const pages = [
    'Sea otters float on their backs and use stones to crack open urchins and clams.',
    'A sea otter eats about a quarter of its own weight every day to stay warm.',
  ];
  const hour = now.getHours() % 12 || 12;
  const stamp = `${now.getMonth() + 1}/${now.getDate()}/${String(now.getFullYear()).slice(2)}, ${hour}:${String(now.getMinutes()).padStart(2, '0')} ${now.getHours() < 12 ? 'AM' : 'PM'}`;
  pages.forEach((text, i) => {
    const page = pdf.addPage([612, 792]);
    page.drawText(stamp, { x: 28.8, y: 775, size: 8, font });
    page.drawText('Sea otters | Ocean News', { x: 250, y: 775, size: 8, font });
    page.drawText(text, { x: 72, y: 700, size: 12, font });
    page.drawText('https://news.example.com/articles/sea-otters', { x: 28.8, y: 10.6, size: 8, font });
    page.drawText(`${i + 1}/${pages.length}`, { x: 572, y: 10.6, size: 8, font });
  });
  return pdf.save();
}

/** Chrome's "Webpage, HTML only" with its saved-from comment, and resources on another site that must never be fetched. */
export function chromeSavedHtm(): string {
  const url = 'https://chrome.example/saved/kelp-forests';
  return `<!DOCTYPE html>
<!-- saved from url=(${String(url.length).padStart(4, '0')})${url} -->
<html><head><title>Kelp forests</title>
<link rel="stylesheet" href="https://external.example/style.css">
<script src="https://external.example/tracker.js"></script></head>
<body><h1>Kelp forests</h1><img src="https://external.example/kelp.jpg" alt="kelp">
<p>Giant kelp grows half a metre a day in cold, clear water.</p></body></html>`;
}

/** A page that names itself: a canonical link and og:url, and a publication date. */
export function canonicalPage(): string {
  return `<!DOCTYPE html><html><head><title>Sea urchins</title>
<link rel="canonical" href="https://urchins.example/guide">
<meta property="og:url" content="https://og.example/ignored">
<meta property="article:published_time" content="2021-05-04T10:00:00Z">
<link rel="icon" href="https://external.example/favicon.ico"></head>
<body><h1>Sea urchins</h1><p>Purple urchins graze kelp down to bare rock, leaving urchin barrens.</p></body></html>`;
}

/** Save Page WE's meta tags, the save date in the JavaScript format it writes. */
export function savePageWePage(savedAt: Date): string {
  return `<!DOCTYPE html><html><head><title>Sea stars</title>
<meta name="savepage-url" content="https://stars.example/wasting">
<meta name="savepage-title" content="Sea stars">
<meta name="savepage-pubdate" content="2020-02-03">
<meta name="savepage-date" content="${savedAt.toString()}">
</head><body><h1>Sea star wasting</h1><p>Sunflower sea stars vanished from much of the coast after 2013.</p></body></html>`;
}

/** Chrome's "Webpage, Single File" (.mhtml): address and time of saving in the headers. */
export function chromeMhtml(savedAt: Date): string {
  const boundary = '----MultipartBoundary--abc123----';
  return [
    'From: <Saved by Blink>',
    'Snapshot-Content-Location: https://mhtml.example/abalone',
    'Subject: Abalone',
    `Date: ${savedAt.toUTCString().replace('GMT', '-0000')}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/related; type="text/html"; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/html',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-Location: https://mhtml.example/abalone',
    '',
    '<html><head><title>Abalone</title></head><body><h1>Abalone</h1><p>Abalone cling to rocks with a muscular foot.</p></body></html>',
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** Firefox's layout: title and address at the top, counter and date at the bottom; cairo makes the PDF. */
export async function firefoxPrintedPdf(printedAt: Date): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setProducer('cairo 1.18.0 (https://cairographics.org)');
  pdf.setCreationDate(printedAt);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595.3, 841.9]);
  const stamp = `${String(printedAt.getDate()).padStart(2, '0')}/${String(printedAt.getMonth() + 1).padStart(2, '0')}/${printedAt.getFullYear()}, ${String(printedAt.getHours()).padStart(2, '0')}:${String(printedAt.getMinutes()).padStart(2, '0')}`;
  page.drawText('Limpets - Shore Guide', { x: 36, y: 820, size: 9, font });
  page.drawText('https://shore.example/limpets', { x: 420, y: 820, size: 9, font });
  page.drawText('Limpets return to the same scar on the rock at every low tide.', { x: 56, y: 760, size: 12, font });
  page.drawText('1 of 1', { x: 36, y: 18, size: 9, font });
  page.drawText(stamp, { x: 480, y: 18, size: 9, font });
  return pdf.save();
}

/** A plain PDF with nothing about its saving but the name Memory Cache's extension gave it. */
export async function plainPdf(text: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setProducer('pdf-lib');
  pdf.setCreationDate(new Date(2001, 0, 1));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([612, 792]).drawText(text, { x: 72, y: 700, size: 12, font });
  return pdf.save();
}
