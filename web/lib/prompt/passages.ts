import type { LocationUnit } from '../storage/schema';
import { locationLabel } from '../format';

/** How passages are shown to the model: numbered, with where they come from. */

export interface Passage {
  chunkId: string;
  docId: string;
  seq: number;
  title: string;
  fileName: string;
  page: number;
  /** Whether `page` counts pages or sections. */
  unit?: LocationUnit;
  /** The heading of that section, when it has one. */
  heading?: string;
  /** "saved 3 March from example.org", when known. */
  provenance?: string;
  text: string;
}

export const PASSAGES_HEADING = 'Passages from the documents:';

// Chat-template markers inside a document would let it write turns of its own into the prompt
// (servers parse special tokens in prompts): "<|im_start|>", "<|eot_id|>", "<start_of_turn>", "[INST]"…
const TEMPLATE_MARKERS = /<\|[a-z_]{2,20}\|>|<\/?(?:start_of_turn|end_of_turn|s)>|\[\/?INST\]/gi;

export function withoutTemplateMarkers(text: string): string {
  return text.replace(TEMPLATE_MARKERS, ' ');
}

export function formatPassage(n: number, passage: Passage): string {
  const saved = passage.provenance ? `, ${passage.provenance}` : '';
  return withoutTemplateMarkers(`[${n}] "${passage.title}" (${passage.fileName}${saved}), ${locationLabel(passage.unit, passage.page, passage.heading)}:\n${passage.text}`);
}

/** What follows the system prompt in the system message: the passages, or a line saying there are none. */
export function passagesSection(passages: Passage[]): string {
  if (passages.length === 0) return '(No passages from the documents are given for this question.)';
  return `${PASSAGES_HEADING}\n\n${passages.map((p, i) => formatPassage(i + 1, p)).join('\n\n')}`;
}

/**
 * Passages in document order rather than rank order: when a follow-up retrieves mostly the
 * same passages, the prompt keeps the same beginning, and the server reuses its cache.
 */
export function stableOrder<T extends Passage>(passages: T[]): T[] {
  return [...passages].sort((a, b) => (a.docId === b.docId ? a.seq - b.seq : a.docId < b.docId ? -1 : 1));
}
