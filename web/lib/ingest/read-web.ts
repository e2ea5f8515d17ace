import { extractHtmlDocument, decodeHtml, extractMhtmlDocument } from './html-document';
import { decodeText, extractMarkdownDocument, extractPlainTextDocument } from './text-document';
import type { ExtractedWebDocument } from './sections';
import type { DocumentReader, PageSink } from './reader';

type WebKind = 'html' | 'mhtml' | 'markdown' | 'text';

/** A web page, Markdown or text file that cannot be read, with a reason a person can act on. */
export class WebDocumentError extends Error {
  override name = 'WebDocumentError';
}

function noTextReason(kind: WebKind): string {
  switch (kind) {
    case 'html':
    case 'mhtml':
      return 'the saved page holds no readable text (pages that build their text with scripts save none: print the page to PDF from the browser, or save it with SingleFile, and add that file)';
    case 'markdown':
    case 'text':
      return 'the file holds no text';
  }
}

/** The reason a web page, Markdown or text file could not be read, or null for other errors. */
export function describeWebError(error: unknown): string | null {
  return error instanceof WebDocumentError ? error.message : null;
}

/**
 * Reads a saved web page, Markdown or plain text file. Such documents have sections instead
 * of pages: section n is stored where page n would be, with its heading leading its text.
 */
export function readWebDocument(kind: WebKind): DocumentReader {
  return async ({ bytes, fileName, onPage }, sink: PageSink) => {
    const data = new Uint8Array(bytes);
    const extracted = extractWeb(kind, data, fileName);
    if (!extracted) throw new WebDocumentError(kind === 'mhtml' ? 'the saved page could not be read: the MHTML file holds no HTML page' : 'the saved page could not be read');
    const sections = extracted.sections;
    if (sections.length === 0) throw new WebDocumentError(noTextReason(kind));
    for (const [i, section] of sections.entries()) {
      onPage(i + 1, sections.length);
      await sink(i + 1, section.heading ? `${section.heading}\n\n${section.text}` : section.text);
    }
    return { title: extracted.title, pageCount: sections.length, failedPages: [], provenance: extracted.provenance, sectionHeadings: sections.map((s) => s.heading) };
  };
}

export function extractWeb(kind: WebKind, data: Uint8Array, fileName: string): ExtractedWebDocument | null {
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
