import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { DocumentKind } from '../ingest/document-kind';

/**
 * The library's IndexedDB schema. Every change to it is a new version with its own step in
 * MIGRATIONS, so a library created by any earlier release opens and upgrades in place.
 */

/**
 * 'ingesting' while a tab writes it; 'ready' once complete; 'interrupted' when a tab closed
 * mid-way: its chunks are gone but its bytes are kept, so it can be resumed.
 */
export type DocumentState = 'ingesting' | 'ready' | 'interrupted';

export interface StoredDocument {
  /** SHA-256 of the original bytes, in hex: the same file added twice is the same document. */
  id: string;
  title: string;
  fileName: string;
  /** Size of the original file in bytes. */
  size: number;
  mimeType: string;
  pageCount: number;
  chunkCount: number;
  /** Characters of text extracted; 0 means the file has no text layer. */
  textChars: number;
  addedAt: number;
  /** A document is 'ingesting' until its last chunk is stored; only 'ready' ones are searchable. */
  state: DocumentState;
  /** Pages pdf.js could not read; the rest of the document is in the library. */
  failedPages?: number[];
  /** Pages with no text to read (scanned), when some pages have text: search cannot see these. */
  pagesWithoutText?: number[];
  /** Pages read when an import was interrupted. */
  pagesDone?: number;
  /** What the file is; absent means a PDF (documents added before other kinds existed). */
  kind?: DocumentKind;
  /** For web pages, Markdown and text: the heading of each section (a section plays a page's part). */
  sectionHeadings?: (string | null)[];
  /** The file's own date (its lastModified) when it was added, so a resumed import keeps it. */
  fileModifiedAt?: number;
  /** Where the document came from, and when it was saved: from the file itself, else its date. */
  sourceUrl?: string;
  savedAt?: number;
  publishedAt?: number;
}

export interface StoredFile {
  id: string;
  bytes: ArrayBuffer;
  /** The password that opens an encrypted PDF, kept beside it so the viewer can open it too. */
  password?: string;
}

export interface StoredChunk {
  /** `${chunkKeyPrefix(docId)}:${seq}`: short, and all of a document's chunks form one key range. */
  id: string;
  docId: string;
  seq: number;
  text: string;
  page: number;
  pageStart: number;
  pageEnd: number;
  /** Where later pages begin inside `text`: [character offset, page] pairs. */
  pageBreaks: [number, number][];
}

export interface StoredIndex {
  name: string;
  /** The library version the index reflects; any other means it is stale. */
  libraryVersion: number;
  /** Version of the search configuration that built it (tokenizer, fields). */
  searchVersion: number;
  json: string;
}

export interface SourceRef {
  n: number;
  chunkId: string;
  docId: string;
  title: string;
  fileName: string;
  page: number;
  /** 'section' for web pages, Markdown and text; absent means 'page'. */
  unit?: LocationUnit;
  /** The heading of that section, when it has one. */
  heading?: string;
  /** "saved 3 March from example.org", when known. */
  provenance?: string;
  /** Tokens the passage took in the prompt. */
  tokens: number;
  /** The passage as the model saw it: kept, so the answer stays explainable if the document goes. */
  text: string;
}

export type LocationUnit = 'page' | 'section';

export interface AnswerStats {
  promptTokens: number | null;
  cachedTokens: number | null;
  predictedTokens: number | null;
  tokensPerSecond: number | null;
  contextSize: number;
  passageTokens: number;
  /** Milliseconds from Send to the request leaving the page, and to the first token on screen. */
  sendToRequestMs: number | null;
  sendToFirstTokenMs: number | null;
  /** Which chat template made the prompt, as prepare.ts's templateLabel says it (absent in older answers). */
  template?: string;
}

/** 'streaming' only while an answer arrives; one found at start was cut off by a closed tab. */
export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'cut-off' | 'error';

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  status?: MessageStatus;
  /** Why the answer failed or was cut off. */
  error?: string;
  /** Something the person should know about how the answer was made (fewer passages, turns left out). */
  notice?: string;
  sources?: SourceRef[];
  stats?: AnswerStats;
}

export interface StoredConversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

export interface MetaRecord {
  key: string;
  value: number;
}

export interface LibrarySchema extends DBSchema {
  documents: { key: string; value: StoredDocument; indexes: { byState: DocumentState } };
  files: { key: string; value: StoredFile };
  chunks: { key: string; value: StoredChunk };
  searchIndex: { key: string; value: StoredIndex };
  meta: { key: string; value: MetaRecord };
  conversations: { key: string; value: StoredConversation; indexes: { byUpdated: number } };
  settings: { key: string; value: SettingRecord };
}

export type LibraryDB = IDBPDatabase<LibrarySchema>;
type UpgradeTransaction = IDBPTransaction<LibrarySchema, StoreNames<LibrarySchema>[], 'versionchange'>;

/** MIGRATIONS[n] upgrades a database from version n to n + 1. */
const MIGRATIONS: ((db: LibraryDB, tx: UpgradeTransaction) => void)[] = [
  (db) => {
    const documents = db.createObjectStore('documents', { keyPath: 'id' });
    documents.createIndex('byState', 'state');
    db.createObjectStore('files', { keyPath: 'id' });
    db.createObjectStore('chunks', { keyPath: 'id' });
    db.createObjectStore('searchIndex', { keyPath: 'name' });
    db.createObjectStore('meta', { keyPath: 'key' });
  },
  (db) => {
    const conversations = db.createObjectStore('conversations', { keyPath: 'id' });
    conversations.createIndex('byUpdated', 'updatedAt');
    db.createObjectStore('settings', { keyPath: 'key' });
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
export const DEFAULT_DB_NAME = 'memory-cache';

export function openLibraryDB(name = DEFAULT_DB_NAME): Promise<LibraryDB> {
  return openDB<LibrarySchema>(name, SCHEMA_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let version = oldVersion; version < SCHEMA_VERSION; version++) MIGRATIONS[version](db, tx);
    },
    blocking(_currentVersion, _blockedVersion, event) {
      // Another tab wants a newer schema: step aside so its upgrade can run, and reload
      // into the new version instead of working on a database that is about to change.
      (event.target as IDBDatabase).close();
      if (typeof window !== 'undefined') window.location.reload();
    },
  });
}
