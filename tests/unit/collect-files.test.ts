import { describe, expect, it } from 'vitest';
import { collectedNotice, collectFolder, documentsFromFolder, filesFromDrop } from '../../web/lib/ingest/collect-files';

/**
 * A drop as the browser hands it over: DataTransfer items whose entries are walked with
 * callbacks. Built here from plain objects, since Node has neither; the walk and what it
 * reports are what is tested.
 */

type Node = File | Error | { [name: string]: Node };

function entryOf(name: string, node: Node, path: string): FileSystemEntry {
  const fullPath = `${path}/${name}`;
  if (node instanceof File || node instanceof Error) {
    return {
      name,
      fullPath,
      isFile: true,
      isDirectory: false,
      file: (ok: (f: File) => void, fail: (e: Error) => void) => (node instanceof File ? ok(node) : fail(node)),
    } as unknown as FileSystemEntry;
  }
  return {
    name,
    fullPath,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let done = false;
      return {
        readEntries: (ok: (entries: FileSystemEntry[]) => void) => {
          ok(done ? [] : Object.entries(node).map(([child, value]) => entryOf(child, value, fullPath)));
          done = true;
        },
      };
    },
  } as unknown as FileSystemEntry;
}

function dropOf(top: Record<string, Node>): DataTransfer {
  const entries = Object.entries(top).map(([name, node]) => entryOf(name, node, ''));
  return {
    items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry })),
    files: [],
  } as unknown as DataTransfer;
}

const pdf = (name: string) => new File(['%PDF-1.7'], name, { type: 'application/pdf' });

describe('collecting the files of a drop or a folder', () => {
  it('skips an entry the browser cannot read, keeps the rest, and says which', async () => {
    const collected = await filesFromDrop(
      dropOf({ papers: { 'a.pdf': pdf('a.pdf'), 'locked.pdf': new Error('NotReadableError'), deeper: { 'b.pdf': pdf('b.pdf') } }, 'c.pdf': pdf('c.pdf') }),
    );
    expect(collected.files.map((f) => f.name).sort()).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);
    expect(collected.unreadable).toEqual(['/papers/locked.pdf']);
    expect(collectedNotice(collected)).toBe('Skipped an item the browser could not read: /papers/locked.pdf.');
  });

  it('says when a dropped folder holds no documents', async () => {
    const collected = await filesFromDrop(dropOf({ Photos: { 'cat.jpg': new File(['x'], 'cat.jpg') }, 'c.pdf': pdf('c.pdf') }));
    expect(collected.files.map((f) => f.name)).toEqual(['c.pdf']);
    expect(collectedNotice(collected)).toBe('No PDFs, saved web pages, Markdown or text files in “Photos”.');
  });

  it('says when a picked folder holds no documents, and nothing when it does', () => {
    expect(collectedNotice(collectFolder([new File(['x'], 'cat.jpg')]))).toBe('No PDFs, saved web pages, Markdown or text files in that folder.');
    expect(collectedNotice(collectFolder([]))).toBe('No PDFs, saved web pages, Markdown or text files in that folder.');
    expect(collectedNotice(collectFolder([pdf('a.pdf')]))).toBeNull();
  });
});

function picked(path: string): File {
  const file = new File(['x'], path.split('/').pop() ?? path);
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

describe('documentsFromFolder', () => {
  it('leaves out the frames and parts a "Web page, complete" save keeps beside its page', () => {
    const files = [
      'Saved/Otters.html',
      'Saved/Otters_files/frame.html',
      'Saved/Otters_files/deeper/ad.htm',
      'Saved/Otters_files/style.css',
      'Saved/Kelp.htm',
      'Saved/Kelp_files/frame.html',
      'Saved/Project_files/report.pdf',
      'Saved/notes.md',
      'Saved/photo.jpg',
    ].map(picked);
    expect(documentsFromFolder(files).map((f) => f.webkitRelativePath)).toEqual(['Saved/Otters.html', 'Saved/Kelp.htm', 'Saved/Project_files/report.pdf', 'Saved/notes.md']);
  });
});
