/**
 * Gathers the files a person dropped or picked. Files chosen one by one are all tried (a
 * wrongly named PDF still works, and anything else gets a clear "not a PDF"); files that come
 * from a folder are filtered to the kinds the library reads, since folders hold everything.
 */

const DOCUMENT_NAME = /\.(pdf|html?|xhtml|mhtml?|mht|md|markdown|txt)$/i;

/** The file picker's filter: what the library reads. */
export const ACCEPTED_FILES = 'application/pdf,.pdf,text/html,.html,.htm,.mhtml,.mht,.md,.markdown,text/plain,.txt';

/** How an import counts its progress, judged by the name before the bytes are read. */
export function progressUnit(fileName: string): 'page' | 'section' {
  return /\.(html?|xhtml|mhtml?|mht|md|markdown|txt)$/i.test(fileName) ? 'section' : 'page';
}

/**
 * A browser's "Web page, complete" puts the page's frames, scripts and styles in "<name>_files"
 * beside "<name>.html": they are parts of that page, not documents of their own.
 */
function isPageResources(folder: string, siblings: (name: string) => boolean): boolean {
  const base = /^(.+)_files$/.exec(folder)?.[1];
  return base !== undefined && (siblings(`${base}.html`) || siblings(`${base}.htm`));
}

/** Whether a file picked with its folder (webkitRelativePath "a/Page_files/x.html") lies in a saved page's resources. */
function inPageResources(path: string, paths: ReadonlySet<string>): boolean {
  const parts = path.split('/');
  return parts.slice(0, -1).some((folder, i) => isPageResources(folder, (name) => paths.has([...parts.slice(0, i), name].join('/'))));
}

export function documentsFromFolder(files: Iterable<File>): File[] {
  const all = Array.from(files);
  const paths = new Set(all.map((f) => f.webkitRelativePath).filter(Boolean));
  return all.filter((f) => (DOCUMENT_NAME.test(f.name) || f.type === 'application/pdf') && !(f.webkitRelativePath && inPageResources(f.webkitRelativePath, paths)));
}

/** What a pick or a drop brought: the files to add, and what could not be read or held nothing. */
export interface Collected {
  files: File[];
  /** Paths of entries the browser could not read (a file without permission, a broken link). */
  unreadable: string[];
  /** Folders that held no file the library reads, by name ('' when the browser gives none). */
  emptyFolders: string[];
}

/** The files of a folder chosen with the folder picker. */
export function collectFolder(files: Iterable<File>): Collected {
  const documents = documentsFromFolder(files);
  return { files: documents, unreadable: [], emptyFolders: documents.length === 0 ? [''] : [] };
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every file under a folder; an entry that cannot be read is noted and skipped, not the whole drop. */
async function filesInDirectory(directory: FileSystemDirectoryEntry, unreadable: string[]): Promise<File[]> {
  const reader = directory.createReader();
  const files: File[] = [];
  // readEntries returns at most ~100 entries a call: read until it returns none.
  const entries: FileSystemEntry[] = [];
  for (;;) {
    let batch: FileSystemEntry[];
    try {
      batch = await readEntries(reader);
    } catch {
      unreadable.push(directory.fullPath || directory.name);
      break;
    }
    if (batch.length === 0) break;
    entries.push(...batch);
  }
  const names = new Set(entries.map((entry) => entry.name));
  for (const entry of entries) {
    if (entry.isDirectory) {
      if (!isPageResources(entry.name, (name) => names.has(name))) files.push(...(await filesInDirectory(entry as FileSystemDirectoryEntry, unreadable)));
    } else if (entry.isFile) {
      const file = await fileOf(entry as FileSystemFileEntry).catch(() => null);
      if (file) files.push(file);
      else unreadable.push(entry.fullPath || entry.name);
    }
  }
  return files;
}

/** The files of a drop, with dropped folders walked recursively. */
export async function filesFromDrop(transfer: DataTransfer): Promise<Collected> {
  // Entries must be taken synchronously, before the first await: the list empties afterwards.
  const entries = Array.from(transfer.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null));
  const looseFiles = Array.from(transfer.files);
  const collected: Collected = { files: [], unreadable: [], emptyFolders: [] };
  if (entries.every((e) => e === null)) return { ...collected, files: looseFiles };
  for (const [i, entry] of entries.entries()) {
    if (entry?.isDirectory) {
      const documents = documentsFromFolder(await filesInDirectory(entry as FileSystemDirectoryEntry, collected.unreadable));
      if (documents.length === 0) collected.emptyFolders.push(entry.name);
      collected.files.push(...documents);
    } else if (entry?.isFile) {
      const file = await fileOf(entry as FileSystemFileEntry).catch(() => null);
      if (file) collected.files.push(file);
      else collected.unreadable.push(entry.name);
    } else if (looseFiles[i]) collected.files.push(looseFiles[i]);
  }
  return collected;
}

/** What to tell the person about a pick or drop, beyond the files it adds; null when nothing. */
export function collectedNotice(collected: Collected): string | null {
  const notes: string[] = [];
  if (collected.emptyFolders.length > 0) {
    const named = collected.emptyFolders.filter((name) => name.length > 0);
    const where = named.length === 0 ? 'that folder' : named.map((name) => `“${name}”`).join(', ');
    notes.push(`No PDFs, saved web pages, Markdown or text files in ${where}.`);
  }
  if (collected.unreadable.length > 0) {
    const names = collected.unreadable.slice(0, 3).join(', ') + (collected.unreadable.length > 3 ? ` and ${collected.unreadable.length - 3} more` : '');
    notes.push(`Skipped ${collected.unreadable.length === 1 ? 'an item' : `${collected.unreadable.length} items`} the browser could not read: ${names}.`);
  }
  return notes.length > 0 ? notes.join(' ') : null;
}
