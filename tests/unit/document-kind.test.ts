import { describe, expect, it } from 'vitest';
import { describeUnsupportedFile, detectDocumentKind } from '../../web/lib/ingest/document-kind';

const text = (value: string) => new TextEncoder().encode(value);
const MHTML_HEAD = 'From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.org/\r\nSubject: Example\r\nDate: Sun, 3 Mar 2024 09:15:32 -0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--abc----"\r\n\r\n\r\n------MultipartBoundary--abc----\r\n';
const HTML = '<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head><body></body></html>';

describe('detectDocumentKind', () => {
  it.each([
    ['tides.pdf', text('%PDF-1.7\n%âãÏÓ\n'), 'pdf'],
    ['tides.html', text('%PDF-1.4\n'), 'pdf'],
    ['weird.bin', text('junk before the header %PDF-1.4\n'), 'pdf'],
    ['page.mhtml', text(MHTML_HEAD), 'mhtml'],
    ['page.mht', text(MHTML_HEAD.replace(/\r\n/g, '\n')), 'mhtml'],
    ['page.html', text(MHTML_HEAD), 'mhtml'],
    ['page.html', text(HTML), 'html'],
    ['Page.HTM', text('<p>fragment</p>'), 'html'],
    ['page.xhtml', text('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>'), 'html'],
    ['download', text(`\uFEFF<!-- saved from url=(0019)https://example.org -->\n${HTML}`), 'html'],
    ['page.php', text(HTML), 'html'],
    ['notes.md', text('# Notes\n\ntext'), 'markdown'],
    ['notes.markdown', text('text'), 'markdown'],
    ['notes.txt', text('plain words'), 'text'],
    ['notes.txt', text(HTML), 'text'],
    ['README', text('Read me first.'), 'text'],
    ['windows.txt', new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]), 'text'],
  ])('%s → %s', (name, bytes, kind) => {
    expect(detectDocumentKind(name, bytes)).toBe(kind);
  });

  it.each([
    ['photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
    ['report.docx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0])],
    ['fake.pdf', text('not really a pdf')],
    ['broken.mhtml', text('plain text, no headers')],
    ['mail.eml', text('MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=x\n\n--x\n')],
    ['data.json', text('{"a": 1}')],
    ['script.js', text('console.log(1)')],
  ])('refuses %s', (name, bytes) => {
    expect(detectDocumentKind(name, bytes)).toBeNull();
  });
});

describe('describeUnsupportedFile', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it('says what to do with a Safari web archive, by name or by its bytes', () => {
    const archive = bytes('bplist00\u00d4\u0001\u0002WebMainResource\u0000\u0000');
    expect(detectDocumentKind('Otters.webarchive', archive)).toBeNull();
    expect(describeUnsupportedFile('Otters.webarchive', archive)).toMatch(/^Safari web archives \(\.webarchive\) cannot be read: .*Export as PDF/);
    expect(describeUnsupportedFile('Otters', archive)).toMatch(/^Safari web archives/);
  });

  it('names what can be added for anything else', () => {
    expect(describeUnsupportedFile('photo.png', bytes('\u0089PNG\r\n\u001a\n\u0000'))).toBe('not a PDF file, saved web page, Markdown or text file');
    expect(describeUnsupportedFile('settings.plist', bytes('bplist00\u0000\u0001'))).toBe('not a PDF file, saved web page, Markdown or text file');
  });
});
