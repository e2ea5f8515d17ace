import type { Provenance } from '../provenance/provenance';
import { normalizeLine, normalizeText } from '../text/normalize';

/**
 * Web pages, Markdown and plain text have no pages: they are cut at their headings instead,
 * and a section plays the part a page plays for a PDF (what a citation and the viewer point to).
 */

export interface DocumentSection {
  /** The heading that opens the section; null for text before the first heading. */
  heading: string | null;
  /** 1–6 for h1–h6 (or # … ######); 0 for text before the first heading. */
  level: number;
  /** Normalised text without the heading, paragraphs separated by blank lines. */
  text: string;
}

export type WebDocumentKind = 'html' | 'mhtml' | 'markdown' | 'text';

export interface ExtractedWebDocument {
  kind: WebDocumentKind;
  /** Always set: falls back to the file name. */
  title: string;
  /** Sections in document order; sections without text are left out. */
  sections: DocumentSection[];
  provenance: Provenance;
}

/** Collects raw text and cuts it into sections at headings; text is normalised once per section. */
export class SectionBuilder {
  private readonly sections: DocumentSection[] = [];
  private heading: string | null = null;
  private level = 0;
  private raw: string[] = [];

  /** Raw text: "\n\n" ends a paragraph, a single "\n" is a line break. */
  append(text: string): void {
    this.raw.push(text);
  }

  startSection(heading: string, level: number): void {
    this.close();
    this.heading = normalizeLine(heading) || null;
    this.level = this.heading === null ? 0 : level;
  }

  finish(): DocumentSection[] {
    this.close();
    return this.sections;
  }

  private close(): void {
    const text = normalizeText(this.raw.join(''));
    this.raw = [];
    if (text.length > 0) this.sections.push({ heading: this.heading, level: this.level, text });
  }
}
