import { describe, expect, it } from 'vitest';
import { deleteDocuments, exportDocuments, nameDocuments, pruneSelection, selectedAmong, toggleSelection } from '../../web/lib/library-selection';
import type { StoredDocument } from '../../web/lib/storage/schema';

const doc = (id: string): StoredDocument => ({ id, title: `Title ${id}`, fileName: `${id}.pdf`, size: 1, mimeType: 'application/pdf', pageCount: 1, chunkCount: 1, textChars: 1, addedAt: 0, state: 'ready' });
const shown = ['a', 'b', 'c', 'd', 'e'].map(doc);

describe('library selection', () => {
  it('selects a range with Shift from the last box clicked, in the order shown', () => {
    const one = toggleSelection(new Set(), shown, 'b', true, null, false);
    expect([...one]).toEqual(['b']);
    expect([...toggleSelection(one, shown, 'd', true, 'b', true)].sort()).toEqual(['b', 'c', 'd']);
    expect([...toggleSelection(new Set(['a', 'b', 'c', 'd']), shown, 'b', false, 'd', true)].sort()).toEqual(['a']);
    // Without Shift, or when the earlier box is no longer shown, only the one clicked.
    expect([...toggleSelection(one, shown, 'd', true, 'b', false)].sort()).toEqual(['b', 'd']);
    expect([...toggleSelection(one, shown, 'd', true, 'gone', true)].sort()).toEqual(['b', 'd']);
  });

  it('keeps only what is shown', () => {
    const selected = new Set(['a', 'x', 'c']);
    expect([...pruneSelection(selected, shown)]).toEqual(['a', 'c']);
    const kept = new Set(['a']);
    expect(pruneSelection(kept, shown)).toBe(kept);
    expect(selectedAmong(shown, new Set(['e', 'a', 'x'])).map((d) => d.id)).toEqual(['a', 'e']);
  });

  it('names what it is about to delete', () => {
    expect(nameDocuments(shown.slice(0, 1))).toBe('Title a');
    expect(nameDocuments(shown.slice(0, 3))).toBe('Title a, Title b and Title c');
    expect(nameDocuments(shown)).toBe('Title a, Title b and 3 more');
  });

  it('deletes past a failure and says which failed', async () => {
    const steps: string[] = [];
    const result = await deleteDocuments(
      shown.slice(0, 3),
      async (d) => {
        if (d.id === 'b') throw new Error('the disk is full');
      },
      (m) => steps.push(m),
    );
    expect(steps).toEqual(['Deleting 1 of 3…', 'Deleting 2 of 3…', 'Deleting 3 of 3…']);
    expect(result).toEqual({ message: 'Deleted 2 documents; could not delete Title b (the disk is full).', failed: true });
  });

  it('exports a backup of the documents, and says why when it cannot', async () => {
    let asked: Set<string> | undefined;
    let saved = '';
    const ok = await exportDocuments(shown.slice(0, 2), async (ids) => ((asked = ids), new Blob(['zip'])), (_, name) => (saved = name));
    expect([...(asked ?? [])]).toEqual(['a', 'b']);
    expect(saved).toMatch(/^memory-cache-2-documents-\d{4}-\d{2}-\d{2}\.zip$/);
    expect(ok).toEqual({ message: `Exported 2 documents as ${saved}. Bring it back with Import backup.`, failed: false });
    const failed = await exportDocuments(shown.slice(0, 1), () => Promise.reject(new Error('quota exceeded')), () => undefined);
    expect(failed).toEqual({ message: 'The documents could not be exported: quota exceeded.', failed: true });
  });
});
