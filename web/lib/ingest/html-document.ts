import { provenanceFromHtml, type MhtmlHeaders } from '../provenance/html-provenance';
import { siteOf } from '../provenance/site';
import { normalizeLine } from '../text/normalize';
import { meaningfulTitle, titleFromFileName } from '../text/title';
import { decodeText } from './text-document';
import { parseMhtml } from './mhtml';
import { SectionBuilder, type ExtractedWebDocument } from './sections';

/**
 * The readable text of a saved web page, cut into sections at its headings. The page is
 * parsed with DOMParser, which builds an inert document: scripts never run, nothing is
 * fetched, no event handler fires. What a reader would not call the page's text goes: scripts,
 * styles, forms, hidden elements and the site's navigation, banner, footer and sidebars.
 * DOMParser exists only in a window, not in a worker.
 */

// Never text: code, embedded content, form controls, and elements nobody sees.
const NOT_TEXT = [
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'svg', 'canvas', 'video', 'audio', 'picture', 'map',
  'input', 'select', 'textarea', 'button', 'option', 'optgroup', 'datalist', 'meter', 'progress',
  'dialog:not([open])', '[hidden]:not([hidden="until-found"])',
  '[style*="display:none" i]', '[style*="display: none" i]', '[style*="visibility:hidden" i]', '[style*="visibility: hidden" i]',
].join(',');

// The site around the page rather than the page.
const CHROME = ['nav', 'aside', '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="complementary"]', '[role="search"]'].join(',');

// A <header> or <footer> belongs to the site unless it sits inside the content (ARIA's rule for banner and contentinfo).
const SECTIONING = 'article, aside, main, nav, section, [role="main"], [role="article"]';

const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu',
  'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'listing', 'plaintext', 'xmp',
]);

const PREFORMATTED = new Set(['pre', 'listing', 'plaintext', 'xmp']);
const TITLE_SEPARATORS = [' | ', ' - ', ' – ', ' — ', ' · ', ' • ', ' :: ', ' » ', ' / '];

function meta(doc: Document, name: string): string | undefined {
  const content = doc.querySelector(`meta[property="${name}" i][content], meta[name="${name}" i][content]`)?.getAttribute('content');
  return content?.trim() || undefined;
}

const compact = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * True when `part` names the site: its declared name, or its host name ("Example News" for
 * examplenews.com, "The Guardian" for theguardian.com or guardian.co.uk).
 */
function namesSite(part: string, siteNames: string[], site: string): boolean {
  const keys = [compact(part), compact(part.replace(/^the\s+/i, ''))].filter((key) => key.length > 0);
  if (keys.length === 0) return false;
  if (siteNames.some((name) => keys.includes(compact(name)))) return true;
  if (site === '') return false;
  // Short labels ("en", "m", "co") are language and country codes, not names.
  const labels = site.split('.').slice(0, -1).filter((label) => label.length >= 3 && label !== 'www');
  return keys.includes(compact(site)) || labels.some((label) => keys.includes(compact(label)));
}

/**
 * A page title without the site's name around it ("How tides work | Example News" → "How
 * tides work"). The name is cut only when it is clearly the site: it matches the site's
 * declared name or its address, so a title with a dash in it stays whole.
 */
export function cleanPageTitle(title: string, siteNames: string[], sourceUrl?: string): string {
  const site = sourceUrl ? siteOf(sourceUrl) : '';
  let cleaned = normalizeLine(title);
  for (const separator of TITLE_SEPARATORS) {
    const last = cleaned.lastIndexOf(separator);
    if (last > 0 && namesSite(cleaned.slice(last + separator.length), siteNames, site)) {
      cleaned = cleaned.slice(0, last).trim();
      break;
    }
    const first = cleaned.indexOf(separator);
    if (first > 0 && namesSite(cleaned.slice(0, first), siteNames, site)) {
      cleaned = cleaned.slice(first + separator.length).trim();
      break;
    }
  }
  return cleaned;
}

/** The text of an element as a reader sees it inline: line breaks and blocks become spaces. */
function inlineText(element: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) parts.push((child as Text).data);
      else if (child.nodeType === 1) {
        parts.push(' ');
        walk(child);
        parts.push(' ');
      }
    }
  };
  walk(element);
  return normalizeLine(parts.join(''));
}

function chooseHtmlTitle(doc: Document, sourceUrl: string | undefined, extraTitle: string | undefined, fileName: string): string {
  const siteNames = [meta(doc, 'og:site_name'), meta(doc, 'application-name'), meta(doc, 'apple-mobile-web-app-title')].filter(
    (name): name is string => name !== undefined,
  );
  const firstHeading = doc.querySelector('h1');
  const candidates = [meta(doc, 'og:title'), doc.title, firstHeading ? inlineText(firstHeading) : undefined, extraTitle];
  for (const candidate of candidates) {
    if (!candidate) continue;
    // A title that is only the site's name says nothing about the page.
    if (siteNames.some((name) => compact(name) === compact(candidate))) continue;
    const title = meaningfulTitle(cleanPageTitle(candidate, siteNames, sourceUrl));
    if (title) return title;
  }
  return titleFromFileName(fileName);
}

function removeAll(root: ParentNode, selector: string, keep: (element: Element) => boolean = () => false): void {
  for (const element of Array.from(root.querySelectorAll(selector))) {
    if (element.isConnected && !keep(element)) element.remove();
  }
}

/** Strips everything but the readable text; the document is a private copy, so it is edited in place. */
function removeNonText(doc: Document): void {
  removeAll(doc, NOT_TEXT);
  // Pages saved while a pop-up was open carry aria-hidden on the whole page behind it.
  removeAll(doc, '[aria-hidden="true"]', (element) => element.querySelector('h1, main, article') !== null);
  removeAll(doc, CHROME, (element) => element.querySelector('main, [role="main"]') !== null);
  removeAll(doc, 'header, footer', (element) => element.parentElement?.closest(SECTIONING) != null);
}

function textLength(element: Element): number {
  return (element.textContent ?? '').replace(/\s+/g, '').length;
}

/**
 * The element holding the page's content: its article, else its main element, else the body.
 * An article or main element that holds only a small part of the text (a teaser, a cookie
 * notice marked up as an article) is not taken for the content.
 */
function contentRoot(doc: Document): Element {
  const body = doc.body ?? doc.documentElement;
  const total = Math.max(textLength(body), 1);
  const articles = Array.from(doc.querySelectorAll('article, [role="article"]')).filter(
    (article) => article.parentElement?.closest('article, [role="article"]') == null,
  );
  const lengths = articles.map(textLength);
  const longest = lengths.indexOf(Math.max(...lengths, 0));
  const allArticles = lengths.reduce((sum, length) => sum + length, 0);
  // Several articles of similar size make a listing (a blog's front page), not one article.
  if (longest >= 0 && lengths[longest] >= allArticles * 0.6 && lengths[longest] >= total * 0.25) return articles[longest];
  const main = doc.querySelector('main, [role="main"]');
  if (main && textLength(main) >= total * 0.25) return main;
  return body;
}

function collectSections(root: Element): SectionBuilder {
  const builder = new SectionBuilder();
  const walk = (node: Node, preformatted: boolean) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        const data = (child as Text).data;
        builder.append(preformatted ? data : data.replace(/\s+/g, ' '));
        continue;
      }
      if (child.nodeType !== 1) continue;
      const element = child as Element;
      const tag = element.localName;
      const heading = /^h([1-6])$/.exec(tag);
      if (heading) {
        const text = inlineText(element);
        if (text) builder.startSection(text, Number(heading[1]));
        continue;
      }
      if (tag === 'br') builder.append('\n');
      else if (tag === 'hr') builder.append('\n\n');
      else {
        const block = BLOCKS.has(tag);
        if (block) builder.append('\n\n');
        walk(element, preformatted || PREFORMATTED.has(tag));
        if (block) builder.append('\n\n');
      }
    }
  };
  walk(root, false);
  return builder;
}

export interface HtmlDocumentOptions {
  /** Headers of the MHTML file the page came from: they know its address and when it was saved. */
  mhtmlHeaders?: MhtmlHeaders;
  kind?: 'html' | 'mhtml';
}

/** A saved HTML page (including SingleFile's) as title, sections and provenance. */
export function extractHtmlDocument(html: string, fileName: string, options: HtmlDocumentOptions = {}): ExtractedWebDocument {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const provenance = provenanceFromHtml(doc, options.mhtmlHeaders);
  const title = chooseHtmlTitle(doc, provenance.sourceUrl, options.mhtmlHeaders?.get('subject'), fileName);
  removeNonText(doc);
  const sections = collectSections(contentRoot(doc)).finish();
  return { kind: options.kind ?? 'html', title, sections, provenance };
}

/** The charset a page declares in its first bytes (`<meta charset>` or http-equiv Content-Type). */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = String.fromCharCode(...bytes.subarray(0, 2048));
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1];
}

/**
 * HTML bytes to text: a byte order mark first, then the charset the transport declared
 * (`charsetHint`, from MHTML headers), then the page's own <meta charset>, then UTF-8 as
 * decodeText reads it.
 */
export function decodeHtml(bytes: Uint8Array, charsetHint?: string): string {
  const hasBom = (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const charset = hasBom ? undefined : (charsetHint ?? declaredCharset(bytes));
  // A page saved by a browser is re-encoded, but its meta tag may still name the original
  // charset; UTF-8 that decodes cleanly is taken as UTF-8 whatever the tag says.
  if (charset && !/^utf-?8$/i.test(charset)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return decodeText(bytes);
    } catch {
      try {
        return new TextDecoder(charset).decode(bytes);
      } catch {
        // An unknown charset label: fall through to the default.
      }
    }
  }
  return decodeText(bytes);
}

/** A saved page in an MHTML file, or null when the file holds no HTML part. */
export function extractMhtmlDocument(bytes: Uint8Array, fileName: string): ExtractedWebDocument | null {
  const page = parseMhtml(bytes);
  if (!page) return null;
  return extractHtmlDocument(decodeHtml(page.html, page.charset), fileName, { mhtmlHeaders: page.headers, kind: 'mhtml' });
}
