import type { LibraryDB, StoredDocument } from '../storage/schema';
import { hitsWithChunks } from './hit-chunks';
import { pageAtOffset } from '../text/chunk';
import type { Passage } from '../prompt/passages';
import type { SearchableIndex } from './index';
import { focusOf } from './snippet';
import { unitOf } from '../format';
import { describeProvenance } from '../provenance/site';

/**
 * Passages for a question: the best chunks of the search, spread over documents. Without
 * the spread, one long document that matches well fills every slot with neighbouring
 * chunks that repeat each other, and a second document that holds the answer never gets in.
 */

export interface RetrievedPassage extends Passage {
  score: number;
}

export async function retrievePassages(
  db: LibraryDB,
  index: SearchableIndex,
  docs: Map<string, StoredDocument>,
  query: string,
  count: number,
  /** Only chunks of these documents (by chunk key prefix); all when absent. */
  prefixes?: ReadonlySet<string> | null,
): Promise<RetrievedPassage[]> {
  if (count <= 0 || query.trim().length === 0) return [];
  const hits = await index.search(query, count * 6, prefixes);
  const perDocument = Math.max(2, Math.ceil(count / 2));
  const chosen: RetrievedPassage[] = [];
  for await (const { hit, chunk, doc } of hitsWithChunks(db, hits, docs, count * 2)) {
    if (chosen.filter((p) => p.docId === doc.id).length >= perDocument) continue;
    const page = pageAtOffset(chunk, focusOf(chunk.text, hit.terms));
    const provenance = describeProvenance(doc) || undefined;
    chosen.push({ chunkId: chunk.id, docId: doc.id, seq: chunk.seq, title: doc.title, fileName: doc.fileName, page, unit: unitOf(doc), provenance, text: chunk.text, score: hit.score });
    if (chosen.length >= count) break;
  }
  return chosen;
}
