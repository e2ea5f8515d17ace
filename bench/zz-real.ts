import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium';
const browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
const page = await browser.newPage();
page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
await page.goto('http://127.0.0.1:8151/');
const files = ['/usr/share/doc/libtasn1-doc/libtasn1.pdf', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf'];
const chooser = page.waitForEvent('filechooser');
await page.getByRole('button', { name: 'Add PDFs' }).click();
const t = Date.now();
await (await chooser).setFiles(files);
const items = page.getByRole('list', { name: 'Library' }).getByRole('listitem');
await page.waitForFunction(() => [...document.querySelectorAll('[aria-label="Library"] li')].filter((li) => /\bReady\b/.test((li as HTMLElement).innerText)).length === 2, null, { timeout: 120000 });
console.log('ingested in', Date.now() - t, 'ms');
console.log((await items.allInnerTexts()).join('\n---\n'));
for (const q of process.argv.slice(2)) {
  await page.getByRole('searchbox', { name: 'Search your library' }).fill(q);
  await page.locator('[aria-label="Search results"][aria-busy="false"]').waitFor({ state: 'attached' });
  const r = await page.getByRole('list', { name: 'Search results' }).getByRole('listitem').allInnerTexts();
  console.log(`\n## ${q}: ${r.length} results`);
  for (const x of r.slice(0, 3)) console.log(' -', x.replace(/\s+/g, ' ').slice(0, 220));
}
await browser.close();
