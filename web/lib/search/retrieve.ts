import type { LibraryDB, StoredDocument } from '../storage/schema';
import { hitsWithChunks } from './hit-chunks';
import { pageAtOffset } from '../text/chunk';
import type { Passage } from '../prompt/passages';
import type { SearchableIndex } from './index';
import { focusOf } from './snippet';
import { unitOf } from '../format';
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

/** Runs where the index is (its worker): the search, the chunk reads and the spread, in one go. */
export async function findPassages(
  db: LibraryDB,
  index: SearchableIndex,
  query: string,
  count: number,
  /** Only chunks of these documents (by chunk key prefix); all when absent. */
  prefixes?: ReadonlySet<string> | null,
): Promise<FoundPassage[]> {
  if (count <= 0 || query.trim().length === 0) return [];
  const hits = await index.search(query, count * 6, prefixes);
  const perDocument = Math.max(2, Math.ceil(count / 2));
  const chosen: FoundPassage[] = [];
  // A few more chunks than passages are read at first: some may be passed over for the spread.
  for await (const { hit, chunk } of hitsWithChunks(db, hits, count + 4)) {
    if (chosen.filter((p) => p.docId === chunk.docId).length >= perDocument) continue;
    const page = pageAtOffset(chunk, focusOf(chunk.text, hit.terms));
    chosen.push({ chunkId: chunk.id, docId: chunk.docId, seq: chunk.seq, page, text: chunk.text, score: hit.score });
    if (chosen.length >= count) break;
  }
  return chosen;
}

/** Passages for the prompt, with what the prompt says of their documents. */
export async function retrievePassages(
  searcher: LibrarySearcher,
  docs: Map<string, StoredDocument>,
  query: string,
  count: number,
  prefixes?: ReadonlySet<string> | null,
): Promise<RetrievedPassage[]> {
  return withListedDocuments(await searcher.findPassages(query, count, prefixes), docs, (passage, doc) => ({
    ...passage,
    title: doc.title,
    fileName: doc.fileName,
    unit: unitOf(doc),
    provenance: describeProvenance(doc) || undefined,
  }));
}
