import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { loadPdfjs } from './pdfjs';
import { findHits } from '../search/snippet';
import { passageRuns } from '../text/passage-runs';

/**
 * Draws one page into a container: a canvas for the picture and pdf.js's text layer on
 * top, so text can be selected and the passage or search terms highlighted in place.
 */

export interface RenderedPage {
  cancel(): void;
  done: Promise<{ highlighted: number }>;
}

export interface PageHighlights {
  /** Search terms (stemmed) to mark word by word. */
  terms: string[];
  /** A passage to mark: the text runs that show it (see passageRuns). */
  passage: string | null;
}

export function renderPage(pdf: PDFDocumentProxy, pageNumber: number, container: HTMLElement, width: number, highlights: PageHighlights): RenderedPage {
  let renderTask: RenderTask | null = null;
  let cancelled = false;
  const done = (async () => {
    const [{ TextLayer }, page] = await Promise.all([loadPdfjs(), pdf.getPage(pageNumber)]);
    if (cancelled) return { highlighted: 0 };
    const scale = Math.min(3, width / page.getViewport({ scale: 1 }).width);
    const viewport = page.getViewport({ scale });
    const outputScale = window.devicePixelRatio || 1;

    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width * outputScale);
    canvas.height = Math.floor(viewport.height * outputScale);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    const textLayerDiv = document.createElement('div');
    textLayerDiv.className = 'textLayer';

    renderTask = page.render({
      canvas,
      viewport,
      transform: outputScale === 1 ? undefined : [outputScale, 0, 0, outputScale, 0, 0],
    });
    const textLayer = new TextLayer({ textContentSource: page.streamTextContent(), container: textLayerDiv, viewport });
    await Promise.all([renderTask.promise, textLayer.render()]);
    if (cancelled) return { highlighted: 0 };
    container.style.setProperty('--total-scale-factor', String(scale));
    container.replaceChildren(canvas, textLayerDiv);
    const highlighted = markHighlights(textLayer.textDivs, highlights);
    page.cleanup();
    return { highlighted };
  })();
  return {
    cancel() {
      cancelled = true;
      renderTask?.cancel();
    },
    done,
  };
}

/** Marks passage runs and search terms in the text layer, with DOM nodes only (never HTML strings). */
function markHighlights(textDivs: HTMLElement[], { terms, passage }: PageHighlights): number {
  const inPassage = new Set(passage ? passageRuns(textDivs.map((div) => div.textContent ?? ''), passage) : []);
  let count = 0;
  for (const [index, div] of textDivs.entries()) {
    const text = div.textContent ?? '';
    if (inPassage.has(index)) {
      div.classList.add('passage');
      // What assistive technology (and a test) knows the cited passage by: it is marked text.
      div.setAttribute('role', 'mark');
      count++;
    }
    const hits = findHits(text, terms);
    if (hits.length === 0) continue;
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const hit of hits) {
      if (hit.start > at) fragment.append(text.slice(at, hit.start));
      const mark = document.createElement('mark');
      mark.className = 'highlight';
      mark.textContent = text.slice(hit.start, hit.end);
      fragment.append(mark);
      at = hit.end;
      count++;
    }
    if (at < text.length) fragment.append(text.slice(at));
    div.replaceChildren(fragment);
  }
  return count;
}
