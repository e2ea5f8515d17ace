import { extractHtmlDocument, decodeHtml, extractMhtmlDocument } from './html-document';
import { decodeText, extractMarkdownDocument, extractPlainTextDocument } from './text-document';
import type { ExtractedWebDocument } from './sections';
import type { DocumentReader, PageSink } from './reader';

/**
 * Reads a saved web page, Markdown or plain text file. Such documents have sections instead
 * of pages: section n is stored where page n would be, with its heading leading its text.
 */
export function readWebDocument(kind: 'html' | 'mhtml' | 'markdown' | 'text'): DocumentReader {
  return async ({ bytes, fileName, onPage }, sink: PageSink) => {
    const data = new Uint8Array(bytes);
    const extracted = extractWeb(kind, data, fileName);
    if (!extracted) throw new Error('the saved page could not be read');
    const sections = extracted.sections;
    if (sections.length === 0) throw new Error('it holds no readable text');
    for (const [i, section] of sections.entries()) {
      onPage(i + 1, sections.length);
      await sink(i + 1, section.heading ? `${section.heading}\n\n${section.text}` : section.text);
    }
    return { title: extracted.title, pageCount: sections.length, failedPages: [], provenance: extracted.provenance, sectionHeadings: sections.map((s) => s.heading) };
  };
}

export function extractWeb(kind: 'html' | 'mhtml' | 'markdown' | 'text', data: Uint8Array, fileName: string): ExtractedWebDocument | null {
  switch (kind) {
    case 'html':
      return extractHtmlDocument(decodeHtml(data), fileName);
    case 'mhtml':
      return extractMhtmlDocument(data, fileName);
    case 'markdown':
      return extractMarkdownDocument(decodeText(data), fileName);
    case 'text':
      return extractPlainTextDocument(decodeText(data), fileName);
  }
}
