import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../support/scratch-dir';
import { describe, expect, inject, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { addFiles, libraryItem, openApp, pdfFile, readRecords, search, searchResults, useBrowser } from './browser';
import { makePdf } from '../support/pdfs';
import { TIDE_POOLS, tidePoolsPdf } from '../support/corpus';
import { brokenMapPdf, cjkPdf, pdfWithBrokenPages, rtlPdf, withBrokenXref } from '../support/raw-pdf';

const appUrl = inject('appUrl');
const browser = useBrowser();

/** Encrypts a PDF with Debian's qpdf (AES-256), as a protected download would be. */
function encrypt(pdf: Uint8Array, password: string): Uint8Array {
  const dir = scratchDir('memory-cache-qpdf-');
  writeFileSync(join(dir, 'in.pdf'), pdf);
  execFileSync('qpdf', ['--encrypt', password, `${password}-owner`, '256', '--', join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
  return new Uint8Array(readFileSync(join(dir, 'out.pdf')));
}

/**
 * A scan of a PDF, as a scanner writes one: each page a JPEG picture (rendered by Debian's
 * Ghostscript) and no text at all.
 */
async function scanOf(pdf: Uint8Array): Promise<Uint8Array> {
  const dir = scratchDir('memory-cache-scan-');
  writeFileSync(join(dir, 'in.pdf'), pdf);
  execFileSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=jpeg', '-r60', '-dJPEGQ=70', `-sOutputFile=${join(dir, 'page-%d.jpg')}`, join(dir, 'in.pdf')]);
  const scan = await PDFDocument.create();
  const pages = readdirSync(dir).filter((name) => name.startsWith('page-')).sort((a, b) => Number(/\d+/.exec(a)) - Number(/\d+/.exec(b)));
  for (const name of pages) {
    const image = await scan.embedJpg(readFileSync(join(dir, name)));
    scan.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  }
  return scan.save();
}

/** Pages taken from several PDFs into one, with qpdf: [file, page range] pairs. */
function joinPages(parts: [Uint8Array, string][]): Uint8Array {
  const dir = scratchDir('memory-cache-join-');
  const args = parts.flatMap(([bytes, range], i) => {
    writeFileSync(join(dir, `${i}.pdf`), bytes);
    return [join(dir, `${i}.pdf`), range];
  });
  execFileSync('qpdf', ['--empty', '--pages', ...args, '--', join(dir, 'out.pdf')]);
  return new Uint8Array(readFileSync(join(dir, 'out.pdf')));
}

const HARBOUR = {
  title: 'Harbour Survey',
  pages: [
    { heading: 'Harbour Survey', paragraphs: ['The harbour wall was rebuilt in granite after the storm of 1953.'] },
    { paragraphs: ['Page two notes the tide gauges and the lighthouse keeper.'] },
    { paragraphs: ['Page three lists the moorings of the fishing fleet.'] },
  ],
};

describe('hard inputs', () => {
  it('asks for the password of a protected PDF, says when it is wrong, and lets the person skip', async () => {
    const { page } = await openApp(browser(), appUrl);
    const secret = await makePdf({ title: 'Sealed Orders', pages: [{ paragraphs: ['The harbour master keeps the brass key under the third lantern.'] }] });
    await addFiles(page, [pdfFile('sealed.pdf', encrypt(secret, 'lantern')), pdfFile('also sealed.pdf', encrypt(secret, 'other'))]);
    const sealed = libraryItem(page, /^sealed\.pdf/);
    await sealed.filter({ hasText: 'This PDF is protected by a password.' }).waitFor();

    await page.getByRole('textbox', { name: 'Password for sealed.pdf' }).fill('wrong guess');
    await sealed.getByRole('button', { name: 'Unlock' }).click();
    await sealed.filter({ hasText: 'That password did not open it' }).waitFor();
    await page.getByRole('textbox', { name: 'Password for sealed.pdf' }).fill('lantern');
    await sealed.getByRole('button', { name: 'Unlock' }).click();
    await libraryItem(page, 'Sealed Orders').filter({ hasText: 'Ready' }).waitFor();

    await page.getByRole('button', { name: 'Skip also sealed.pdf' }).click();
    await libraryItem(page, 'also sealed.pdf').waitFor({ state: 'detached' });

    await page.getByRole('searchbox', { name: 'Search your library' }).fill('brass key lantern');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('Sealed Orders');
    // The viewer opens the encrypted original with the password kept beside it.
    await searchResults(page).first().getByRole('button').click();
    await page.getByRole('dialog', { name: 'Sealed Orders' }).getByText('Page 1 of 1').waitFor();
    await expect.poll(async () => (await page.getByRole('dialog').locator('mark').allTextContents()).length).toBeGreaterThan(0);
  });

  it('keeps the readable pages of a PDF whose page tree is broken, and says which page failed', async () => {
    const { page } = await openApp(browser(), appUrl);
    // pdf.js recovers the pages before the broken one; the broken page itself cannot be opened.
    const pdf = pdfWithBrokenPages(['Page one speaks of herons wading in the shallows.', 'Page two speaks of egrets nesting in the reeds.', 'Page three is broken.', 'Page four is lost.'], [3]);
    await addFiles(page, [pdfFile('herons.pdf', pdf)]);
    await libraryItem(page, 'herons.pdf').filter({ hasText: 'Ready, but page 3 could not be read' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search your library' }).fill('egrets nesting');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('herons.pdf');
  });

  it('recovers a PDF whose cross-reference table is wrong, and rejects a truncated one clearly', async () => {
    const { page } = await openApp(browser(), appUrl);
    const whole = pdfWithBrokenPages(['Kingfishers dive for minnows at dawn.'], []);
    const truncated = (await tidePoolsPdf()).slice(0, 700);
    await addFiles(page, [pdfFile('kingfishers.pdf', withBrokenXref(whole)), pdfFile('truncated.pdf', truncated), pdfFile(TIDE_POOLS.fileName, await tidePoolsPdf())]);
    await libraryItem(page, 'kingfishers.pdf').filter({ hasText: 'Ready' }).waitFor();
    await libraryItem(page, 'truncated.pdf').filter({ hasText: /Failed: .+/ }).waitFor();
    await libraryItem(page, TIDE_POOLS.fileName).filter({ hasText: 'Ready' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search your library' }).fill('kingfishers minnows');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('kingfishers.pdf');
  });

  it('keeps a scanned PDF, viewable and marked as without text, and names the scanned pages of one partly scanned', async () => {
    const { page, cspViolations, errors } = await openApp(browser(), appUrl);
    const typed = await makePdf(HARBOUR);
    const scan = await scanOf(typed);
    await addFiles(page, [pdfFile('scan.pdf', scan), pdfFile('mixed.pdf', joinPages([[typed, '1'], [scan, '2-3']]))]);
    const item = libraryItem(page, 'scan.pdf');
    await item.filter({ hasText: 'Ready (no text layer: search cannot see it)' }).waitFor();
    const mixed = libraryItem(page, 'mixed.pdf');
    await mixed.filter({ hasText: 'Ready, but pages 2–3 have no text layer (search cannot see them)' }).waitFor();
    expect((await search(page, 'harbour wall granite'))[0]).toContain('mixed.pdf');

    // The pictures are there to read: the viewer draws the scanned page.
    await item.getByRole('button', { name: 'scan', exact: true }).click();
    const viewer = page.getByRole('dialog', { name: 'scan' });
    await viewer.getByText('Page 1 of 3').waitFor();
    const inkedPixels = () =>
      viewer.locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 1] < 128 && data[i + 2] < 128) inked++;
        return inked;
      });
    await expect.poll(inkedPixels).toBeGreaterThan(200);
    expect(cspViolations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('drops the garbage a broken font map yields, and indexes the readable text beside it', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('garbled.pdf', brokenMapPdf('The grey heron waits in the reeds at dawn.', 40))]);
    await libraryItem(page, 'garbled.pdf').filter({ hasText: /\bReady\b/ }).waitFor();
    expect((await search(page, 'grey heron reeds'))[0]).toContain('garbled.pdf');
    // What is stored (and so indexed and given to the model) holds the readable line and none of the garbage.
    const stored = (await readRecords<{ text: string }>(page, 'chunks')).map((c) => c.text).join('\n');
    expect(stored).toContain('The grey heron waits in the reeds at dawn.');
    expect(stored).not.toMatch(/[\u0000-\u0008\u000b-\u001f\ufffd\ue000-\uf8ff]/);
  });

  it('reads Japanese text through the character maps it ships', async () => {
    const { page, requests, failedRequests } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('tokyo.pdf', cjkPdf(['東京の地図', '大阪城公園']))]);
    await libraryItem(page, 'tokyo.pdf').filter({ hasText: 'Ready' }).waitFor();
    expect(failedRequests).toEqual([]);
    // Without the character maps the codes would not become text: the document would have none.
    expect(await libraryItem(page, 'tokyo.pdf').innerText()).not.toContain('no text layer');
    expect(requests.some((url) => url.includes('/pdfjs/cmaps/UniJIS-UCS2-H.bcmap'))).toBe(true);
    await page.getByRole('searchbox', { name: 'Search your library' }).fill('大阪');
    await expect.poll(() => searchResults(page).first().innerText()).toContain('tokyo.pdf');
  });

  it('reads Hebrew and Arabic in reading order, and finds them', async () => {
    const { page } = await openApp(browser(), appUrl);
    await addFiles(page, [pdfFile('greetings.pdf', rtlPdf(['שלום עולם', 'مرحبا بالعالم']))]);
    await libraryItem(page, 'greetings.pdf').filter({ hasText: 'Ready' }).waitFor();
    for (const word of ['שלום', 'بالعالم']) {
      const results = await search(page, word);
      expect(results[0]).toContain('greetings.pdf');
      expect(results[0]).toContain(word);
    }
  });

  it('shows text that looks like HTML as text, everywhere, and never runs it', async () => {
    const { page, errors } = await openApp(browser(), appUrl);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const pdf = await makePdf({ title: `Markup ${hostile}`, pages: [{ paragraphs: [`Harmless words about otters ${hostile} and more otters.`] }] });
    await addFiles(page, [pdfFile('markup <b>bold</b>.pdf', pdf)]);
    const item = libraryItem(page, 'markup <b>bold</b>.pdf');
    await item.filter({ hasText: 'Ready' }).waitFor();
    expect(await item.innerText()).toContain(`Markup ${hostile}`);
    await page.getByRole('searchbox', { name: 'Search your library' }).fill('otters');
    const result = searchResults(page).first();
    await expect.poll(() => result.innerText()).toContain('<script>alert(2)</script>');
    await result.getByRole('button').click();
    await page.getByRole('dialog', { name: `Markup ${hostile}` }).getByText('Page 1 of 1').waitFor();
    expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
  });
});
