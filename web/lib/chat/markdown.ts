import { marked } from 'marked';
import DOMPurify from 'dompurify';
import type { SourceRef } from '../storage/schema';
import { viewerHash } from '../viewer-route';
import { locationLabel } from '../format';

/**
 * Answers are Markdown written by a model, which may echo anything a document contained,
 * including HTML and script. They are parsed by marked, sanitised by DOMPurify into DOM
 * nodes (never an HTML string put into the page), and only then are citations linked.
 */

// Nothing in an answer may load from elsewhere or act on the page: no images, media, frames, forms or styles.
const FORBID_TAGS = ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'style', 'svg', 'math'];

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node instanceof HTMLAnchorElement) {
        node.target = '_blank';
        node.rel = 'noopener noreferrer';
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

// Control characters a small model sometimes emits; they are not text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const CITATION = /\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]/g;

/** The text with its [n] citations taken out. */
export function withoutCitations(text: string): string {
  return text.replace(CITATION, '').replace(/[ \t]+([.,;:!?])/g, '$1');
}

export function renderAnswer(markdown: string, sources: SourceRef[]): DocumentFragment {
  const html = marked.parse(markdown.replace(CONTROL, ''), { async: false, gfm: true, breaks: true });
  const fragment = purifier().sanitize(html, { RETURN_DOM_FRAGMENT: true, FORBID_TAGS, FORBID_ATTR: ['style', 'class', 'id'] });
  linkCitations(fragment, sources);
  return fragment;
}

export function citationLabel(source: SourceRef): string {
  return `Source ${source.n}: ${source.title}, ${locationLabel(source.unit, source.page, source.heading)}`;
}

export function citationHref(source: SourceRef): string {
  return viewerHash({ docId: source.docId, page: source.page, terms: [], chunkId: source.chunkId });
}

/** Turns each [n] that names a passage of the prompt into a link to its page; other numbers stay text. */
export function linkCitations(root: Node, sources: SourceRef[]): void {
  const byNumber = new Map(sources.map((s) => [s.n, s]));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const textNodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!(node as Text).parentElement?.closest('a, code, pre')) textNodes.push(node as Text);
  }
  for (const node of textNodes) {
    const text = node.data;
    const pieces: (string | Node)[] = [];
    let at = 0;
    for (const match of text.matchAll(CITATION)) {
      const start = match.index ?? 0;
      const numbers = match[1].split(/\s*[,;]\s*/).map(Number);
      if (!numbers.some((n) => byNumber.has(n))) continue;
      pieces.push(text.slice(at, start));
      numbers.forEach((n) => {
        const source = byNumber.get(n);
        if (!source) {
          pieces.push(`[${n}]`);
          return;
        }
        const link = document.createElement('a');
        link.href = citationHref(source);
        link.className = 'citation';
        link.textContent = `[${n}]`;
        link.setAttribute('aria-label', citationLabel(source));
        link.title = [source.title, locationLabel(source.unit, source.page, source.heading), source.provenance].filter(Boolean).join(', ');
        pieces.push(link);
      });
      at = start + match[0].length;
    }
    if (pieces.length === 0) continue;
    pieces.push(text.slice(at));
    node.replaceWith(...pieces);
  }
}
