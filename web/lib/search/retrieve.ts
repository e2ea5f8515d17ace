import type { LibraryDB, StoredDocument } from '../storage/schema';
import { rankedHitsWithChunks, textWeigher, type TextWeigher } from './hit-chunks';
import { pageAtOffset } from '../text/chunk';
import type { Passage } from '../prompt/passages';
import type { SearchableIndex } from './index';
import { focusOf } from './snippet';
import { sectionHeading, unitOf } from '../format';
import { describeProvenance } from '../provenance/site';
import type { LibrarySearcher } from './searcher';
import { withListedDocuments } from './listed-documents';

/**
 * Passages for a question: the best chunks of the search, spread over documents. Without
 * the spread, one long document that matches well fills every slot with neighbouring
 * chunks that repeat each other, and a second document that holds the answer never gets in.
 */

/** A passage as found beside the index: its chunk and the page its matches are on. */
export interface FoundPassage {
  chunkId: string;
  docId: string;
  seq: number;
  page: number;
  text: string;
  score: number;
}

export interface RetrievedPassage extends Passage {
  score: number;
}

/**
 * Runs where the index is (its worker): the search, the chunk reads and the spread, in one go.
 * Gives up to twice `wanted` passages: first the `wanted` best under a cap per document, then
 * spares (those passed over for the cap among them, best first) for the prompt to fall back
 * on when the first ones do not fit. A library where one document holds every match still
 * gets all the passages it asked for.
 */
export async function findPassages(
  db: LibraryDB,
  index: SearchableIndex,
  query: string,
  wanted: number,
  /** Only chunks of these documents (by chunk key prefix); all when absent. */
  prefixes?: ReadonlySet<string> | null,
  weigher: TextWeigher = textWeigher,
  /** For a follow-up, the words of the questions it follows ("what do they eat" needs the crabs). */
  recent = '',
): Promise<FoundPassage[]> {
  const joined = `${query} ${recent}`.trim();
  if (wanted <= 0 || joined.length === 0) return [];
  const total = wanted * 2;
  const rankedFor = async (text: string) => rankedHitsWithChunks(db, await index.search(text, total * 3, prefixes), text, weigher);
  // The follow-up's own words lead: searched together with the longer questions before it, a
  // new topic ("and what about globs?") would get only the old topic's passages. Both searches
  // are begun at once, so the reads of their chunks overlap.
  const followUp = recent.trim().length > 0 && query.trim().length > 0;
  const [ranked, own] = await Promise.all([rankedFor(joined), followUp ? rankedFor(query) : null]);
  const candidates = own ? leadThenFill(own, ranked, Math.ceil(wanted / 2)) : ranked;
  const perDocument = Math.max(2, Math.ceil(wanted / 2));
  const spread: FoundPassage[] = [];
  const spares: FoundPassage[] = [];
  const takenOf = new Map<string, number>();
  for (const { hit, chunk } of candidates) {
    const page = pageAtOffset(chunk, focusOf(chunk.text, hit.terms));
    const passage = { chunkId: chunk.id, docId: chunk.docId, seq: chunk.seq, page, text: chunk.text, score: hit.score };
    const taken = takenOf.get(chunk.docId) ?? 0;
    if (spread.length < wanted && taken < perDocument) {
      spread.push(passage);
      takenOf.set(chunk.docId, taken + 1);
    } else {
      spares.push(passage);
    }
    if (spread.length + spares.length >= total && spread.length >= wanted) break;
  }
  // Too few other documents matched to fill the spread: the best spares take the empty places.
  const missing = Math.max(0, wanted - spread.length);
  return [...spread, ...spares.splice(0, missing), ...spares].slice(0, total);
}

/** The first `lead` of one ranking, then the other, then the rest of the first, each chunk once. */
function leadThenFill<T extends { chunk: { id: string } }>(first: T[], second: T[], lead: number): T[] {
  const seen = new Set<string>();
  return [...first.slice(0, lead), ...second, ...first.slice(lead)].filter(({ chunk }) => {
    if (seen.has(chunk.id)) return false;
    seen.add(chunk.id);
    return true;
  });
}

/** Passages for the prompt, with what the prompt says of their documents. */
export async function retrievePassages(
  searcher: LibrarySearcher,
  docs: Map<string, StoredDocument>,
  query: string,
  wanted: number,
  prefixes?: ReadonlySet<string> | null,
  recent = '',
): Promise<RetrievedPassage[]> {
  return withListedDocuments(await searcher.findPassages(query, wanted, prefixes, recent), docs, (passage, doc) => ({
    ...passage,
    title: doc.title,
    fileName: doc.fileName,
    unit: unitOf(doc),
    heading: sectionHeading(doc, passage.page),
    provenance: describeProvenance(doc) || undefined,
  }));
}
