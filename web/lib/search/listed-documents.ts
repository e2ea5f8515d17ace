import type { StoredDocument } from '../storage/schema';

/**
 * What the index found, kept only where the page lists the document, each with its record.
 * The index may still hold a document the page no longer lists (its removal is under way)
 * or does not list yet: those are left out of what a person sees and what the model is given.
 */
export function withListedDocuments<T extends { docId: string }, R>(found: T[], docs: Map<string, StoredDocument>, dress: (item: T, doc: StoredDocument) => R): R[] {
  return found.flatMap((item) => {
    const doc = docs.get(item.docId);
    return doc ? [dress(item, doc)] : [];
  });
}
