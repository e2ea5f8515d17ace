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

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function filesInDirectory(directory: FileSystemDirectoryEntry): Promise<File[]> {
  const reader = directory.createReader();
  const files: File[] = [];
  // readEntries returns at most ~100 entries a call: read until it returns none.
  const entries: FileSystemEntry[] = [];
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) entries.push(...batch);
  const names = new Set(entries.map((entry) => entry.name));
  for (const entry of entries) {
    if (entry.isDirectory && !isPageResources(entry.name, (name) => names.has(name))) files.push(...(await filesInDirectory(entry as FileSystemDirectoryEntry)));
    else if (entry.isFile) files.push(await fileOf(entry as FileSystemFileEntry));
  }
  return files;
}

/** The files of a drop, with dropped folders walked recursively. */
export async function filesFromDrop(transfer: DataTransfer): Promise<File[]> {
  // Entries must be taken synchronously, before the first await: the list empties afterwards.
  const entries = Array.from(transfer.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null));
  const looseFiles = Array.from(transfer.files);
  if (entries.every((e) => e === null)) return looseFiles;
  const files: File[] = [];
  for (const [i, entry] of entries.entries()) {
    if (entry?.isDirectory) files.push(...documentsFromFolder(await filesInDirectory(entry as FileSystemDirectoryEntry)));
    else if (entry?.isFile) files.push(await fileOf(entry as FileSystemFileEntry));
    else if (looseFiles[i]) files.push(looseFiles[i]);
  }
  return files;
}
