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

/** A page "printed" by Chrome today: date and title at the top, URL and page counter at the bottom. */
export async function chromePrintedPdf(now = new Date()): Promise<Uint8Array> {
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
