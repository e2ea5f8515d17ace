import { describe, expect, it } from 'vitest';
import { documentsFromFolder } from '../../web/lib/ingest/collect-files';

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
