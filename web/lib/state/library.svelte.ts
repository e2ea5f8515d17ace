import { openLibraryDB, type LibraryDB, type StoredDocument } from '../storage/schema';
import { chunkId, chunkKeyPrefix, deleteDocument, discardUnfinishedDocument, getDocument, getFile, listInterruptedDocuments, listReadyDocuments, listUnfinishedDocuments, markInterrupted } from '../storage/library';
import { requestPersistentStorage, storageUsage, type StorageUsage } from '../storage/usage';
import { ingestFile, type IngestOutcome } from '../ingest/ingest-file';
import { PdfReader } from '../pdf/pdf-reader';
import { progressUnit } from '../ingest/collect-files';
import { holdWhileOpen, ingestLockName, tabLockName, whenFree, withLockIfFree } from '../locks';
import { noteWaitingFiles, takeLeftWaitingFiles, type WaitingFile } from '../ingest/waiting-files';
import { newId } from '../ids';
import { IndexClient } from '../search/index-client';
import { searchLibrary, type SearchResultItem } from '../search/search-library';
import { retrievePassages, type RetrievedPassage } from '../search/retrieve';
import { inScope, isWholeLibrary, WHOLE_LIBRARY, type Scope } from '../search/scope';
import type { TabChannel, TabMessage } from './tabs';
import type { ImportReport } from '../backup/report';

/**
 * The library as the page sees it: the ready documents, the import queue, the search index
 * and the storage figures, as reactive state the components read. Components call its
 * methods; the work itself is done by the plain modules it calls.
 */

export type QueueStatus = 'waiting' | 'held' | 'reading' | 'extracting' | 'saving' | 'password' | 'duplicate' | 'failed' | 'cancelled';

export interface QueueItem {
  key: number;
  fileName: string;
  size: number;
  status: QueueStatus;
  page: number;
  pageCount: number;
  /** Pages for a PDF, sections for the other kinds. */
  unit: 'page' | 'section';
  message: string;
  /** For an encrypted PDF: the password to try. */
  password?: string;
}

const ACTIVE: QueueStatus[] = ['waiting', 'held', 'reading', 'extracting', 'saving'];
const PERSIST_DELAY_MS = 1500;
/** Files read at once: one per core, but no more than this (each lane's PDF reader holds a file). */
const MAX_LANES = 4;
const PROGRESS_INTERVAL_MS = 150;

export function isActive(item: QueueItem): boolean {
  return ACTIVE.includes(item.status);
}

export class Library {
  docs = $state<StoredDocument[]>([]);
  /** Imports a closed tab left unfinished: their bytes are kept so they can be resumed. */
  interrupted = $state<StoredDocument[]>([]);
  queue = $state<QueueItem[]>([]);
  /** Files a closed tab never got to: named so the person can add them again. */
  notAdded = $state<WaitingFile[]>([]);
  usage = $state<StorageUsage | null>(null);
  persisted = $state<boolean | null>(null);
  /** False until the index is loaded; search waits for it. */
  searchable = $state(false);
  startError = $state<string | null>(null);

  readonly docsById = $derived(new Map(this.docs.map((d) => [d.id, d])));
  /** The period and site that search, chat and the library list are limited to. */
  scope = $state<Scope>(WHOLE_LIBRARY);
  readonly docsInScope = $derived(isWholeLibrary(this.scope) ? this.docs : this.docs.filter((d) => inScope(d, this.scope)));
  readonly activeCount = $derived(this.queue.filter(isActive).length);

  private db: LibraryDB | null = null;
  /** The search index, held by a worker so that loading, growing and saving it never freeze the page. */
  private index: IndexClient | null = null;
  /** The library version the in-memory index reflects; null once it is unknown (another writer). */
  private indexedVersion: number | null = 0;
  private controllers = new Map<number, AbortController>();
  private pendingFiles = new Map<number, File>();
  private nextKey = 1;
  /** Import lanes at work, by number. */
  private readonly busyLanes = new Set<number>();

  private get pumping(): boolean {
    return this.busyLanes.size > 0;
  }

  private persistTimer: ReturnType<typeof setTimeout> | null = null;

  /** This page's own name among the open tabs. */
  private readonly tabId = newId();

  constructor(private readonly tabs: TabChannel | null = null) {}

  async start(dbName?: string): Promise<void> {
    holdWhileOpen(tabLockName(this.tabId));
    try {
      this.db = await openLibraryDB(dbName);
      await this.markUnfinishedInterrupted(this.db);
      this.docs = await listReadyDocuments(this.db);
      this.interrupted = await listInterruptedDocuments(this.db);
      // Only a note for the person: a failure to read it must not keep the library closed.
      await this.findNotAdded(this.db).catch(() => undefined);
      this.index = new IndexClient();
      const opened = await this.index.open(dbName);
      this.indexedVersion = opened.libraryVersion;
      this.searchable = true;
    } catch (error) {
      this.startError = error instanceof Error ? error.message : String(error);
      return;
    }
    this.tabs?.listen((message) => void this.applyOtherTab(message));
    void this.refreshUsage();
    void requestPersistentStorage().then((p) => (this.persisted = p));
    if (this.queue.some((q) => q.status === 'waiting')) this.pump();
  }

  /**
   * What a closed or crashed tab left half-written loses its chunks and waits to be resumed,
   * unless another open tab is still writing it.
   */
  private async markUnfinishedInterrupted(db: LibraryDB): Promise<void> {
    for (const doc of await listUnfinishedDocuments(db)) {
      await withLockIfFree(ingestLockName(doc.id), () => markInterrupted(db, doc.id));
    }
  }

  private async findNotAdded(db: LibraryDB): Promise<void> {
    const { files, openTabs } = await takeLeftWaitingFiles(db, this.tabId);
    // What was being written when the tab closed is kept and shown as interrupted; what
    // another tab has added since is there already.
    const known = new Set([...this.docs, ...this.interrupted].map((d) => `${d.fileName}\n${d.size}`));
    this.notAdded = [...this.notAdded, ...files.filter((f) => !known.has(`${f.fileName}\n${f.size}`))];
    // A tab that is open now may close with files still to add: look again when it does.
    for (const tabId of openTabs) {
      if (this.watchedTabs.has(tabId)) continue;
      const closed = whenFree(tabLockName(tabId));
      if (!closed) continue;
      this.watchedTabs.add(tabId);
      void closed.then(() => {
        this.watchedTabs.delete(tabId);
        return this.findNotAdded(db);
      }).catch(() => undefined);
    }
  }

  /** Other open tabs whose closing this tab waits for (see findNotAdded). */
  private readonly watchedTabs = new Set<string>();

  dismissNotAdded(): void {
    this.notAdded = [];
  }

  /**
   * Writes down which files this tab has yet to add (see waiting-files): at once, since a tab
   * may be closed a moment after files are dropped on it. One small record, once per change.
   */
  private noteQueue(): void {
    if (!this.db) return;
    const waiting = this.queue.filter((q) => isActive(q) || q.status === 'password').map(({ fileName, size }) => ({ fileName, size }));
    // Only a note for a closed tab to leave behind: the import goes on without it.
    noteWaitingFiles(this.db, this.tabId, waiting).catch(() => undefined);
  }

  /** Starts an interrupted import again from the bytes it kept. */
  async resume(doc: StoredDocument): Promise<void> {
    if (!this.db) return;
    const file = await getFile(this.db, doc.id);
    this.interrupted = this.interrupted.filter((d) => d.id !== doc.id);
    if (!file) return;
    // The file's own date, not now: where the file carries no date of its own, it is the date saved.
    this.addFiles([new File([file.bytes], doc.fileName, { type: doc.mimeType, lastModified: doc.fileModifiedAt })], file.password);
  }

  /** Forgets an interrupted import, bytes and all. */
  async forget(doc: StoredDocument): Promise<void> {
    const db = this.db;
    if (!db) return;
    // Not while a tab (this one or another) is writing it; and a ready one is never discarded.
    await withLockIfFree(ingestLockName(doc.id), () => discardUnfinishedDocument(db, doc.id));
    this.interrupted = this.interrupted.filter((d) => d.id !== doc.id);
    void this.refreshUsage();
  }

  addFiles(files: File[], password?: string): void {
    for (const file of files) {
      this.queue.push({ key: this.nextKey++, fileName: file.name, size: file.size, status: 'waiting', page: 0, pageCount: 0, unit: progressUnit(file.name), message: '', password });
      this.pendingFiles.set(this.nextKey - 1, file);
    }
    this.noteQueue();
    this.pump();
  }

  /** Tries an encrypted PDF again with the password the person typed. */
  unlock(key: number, password: string): void {
    const item = this.queue.find((q) => q.key === key);
    if (!item || item.status !== 'password' || !this.pendingFiles.has(key)) return;
    item.password = password;
    item.status = 'waiting';
    this.pump();
  }

  /**
   * Imports the waiting files, a few at once: each lane has a PDF reader worker of its own, so
   * two cores read two files. A lane takes the next waiting file as soon as it is free, and an
   * idle lane starts again when files are added, even while another is still on a long one.
   */
  private pump(): void {
    const db = this.db;
    if (!db) return;
    const lanes = Math.max(1, Math.min(MAX_LANES, navigator.hardwareConcurrency || 2));
    for (let lane = 0; lane < lanes; lane++) {
      if (this.busyLanes.has(lane) || !this.nextWaiting()) continue;
      this.busyLanes.add(lane);
      void this.runLane(db, lane);
    }
  }

  private async runLane(db: LibraryDB, lane: number): Promise<void> {
    try {
      for (let item = this.nextWaiting(); item; item = this.nextWaiting()) await this.process(db, item, lane);
    } finally {
      this.busyLanes.delete(lane);
    }
    if (this.pumping) return;
    this.schedulePersist();
    void this.refreshUsage();
  }

  /** One PDF reader worker per lane, made when the lane first reads a PDF and kept for the next. */
  private pdfReaders = new Map<number, PdfReader>();

  private pdfReaderFor(lane: number): PdfReader {
    let reader = this.pdfReaders.get(lane);
    // A reader whose worker died (or never loaded) is replaced, so the lane reads on.
    if (!reader || reader.failed) {
      reader = new PdfReader(`pdf reader ${lane + 1}`);
      this.pdfReaders.set(lane, reader);
    }
    return reader;
  }

  /** A further reader, lent to a file read alone so that a long PDF is read two pages at a time. */
  private helperReader: PdfReader | null = null;
  /** The queue key of the file the helper is lent to. */
  private helperLentTo: number | null = null;

  private lendHelper(item: QueueItem): PdfReader | undefined {
    if (this.helperLentTo !== null || this.queue.some((q) => q.key !== item.key && isActive(q))) return undefined;
    if (!this.helperReader || this.helperReader.failed) this.helperReader = new PdfReader('pdf reader (helper)');
    this.helperLentTo = item.key;
    return this.helperReader;
  }

  private nextWaiting(): QueueItem | undefined {
    return this.queue.find((q) => q.status === 'waiting');
  }

  private async process(db: LibraryDB, item: QueueItem, lane: number): Promise<void> {
    const file = this.pendingFiles.get(item.key);
    if (!file) {
      // Not left waiting: the lane would take it again at once, for ever.
      item.status = 'failed';
      item.message = 'its file is no longer at hand; add it again';
      return;
    }
    const controller = new AbortController();
    this.controllers.set(item.key, controller);
    item.status = 'reading';
    let outcome: IngestOutcome;
    let shownAt = 0;
    const isPdf = progressUnit(file.name) === 'page';
    try {
      outcome = await ingestFile(db, file, {
        signal: controller.signal,
        password: item.password,
        pdfReader: isPdf ? this.pdfReaderFor(lane) : undefined,
        borrowHelper: isPdf ? () => this.lendHelper(item) : undefined,
        onProgress: (p) => {
          // A page count that changes hundreds of times a second costs the page a layout and
          // a paint each frame, and no one reads it that fast: a few updates a second.
          const now = performance.now();
          if (p.stage === item.status && p.page < p.pageCount && now - shownAt < PROGRESS_INTERVAL_MS) return;
          shownAt = now;
          item.status = p.stage;
          item.page = p.page;
          item.pageCount = p.pageCount;
        },
      });
    } catch (error) {
      outcome = { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      this.controllers.delete(item.key);
      if (this.helperLentTo === item.key) this.helperLentTo = null;
    }
    // An encrypted PDF keeps its file until the person types the password or skips it.
    if (outcome.kind !== 'password') this.pendingFiles.delete(item.key);
    switch (outcome.kind) {
      case 'added':
        await this.indexDocument(outcome.doc, outcome.libraryVersion);
        this.docs = [outcome.doc, ...this.docs.filter((d) => d.id !== outcome.doc.id)];
        this.interrupted = this.interrupted.filter((d) => d.id !== outcome.doc.id);
        this.queue = this.queue.filter((q) => q.key !== item.key);
        this.tabs?.post({ type: 'document-added', docId: outcome.doc.id, libraryVersion: outcome.libraryVersion });
        break;
      case 'duplicate':
        item.status = 'duplicate';
        item.message = `Already in your library as “${outcome.doc.title}”`;
        break;
      case 'password':
        item.status = 'password';
        item.message = outcome.incorrect ? 'That password did not open it. Try again, or skip this file.' : 'This PDF is protected by a password.';
        break;
      case 'failed':
        item.status = 'failed';
        item.message = outcome.reason;
        break;
      case 'cancelled':
        item.status = 'cancelled';
        break;
    }
    this.noteQueue();
    // A resumed import that failed or was cancelled is interrupted again, bytes kept.
    if (outcome.kind === 'failed' || outcome.kind === 'cancelled') this.interrupted = await listInterruptedDocuments(db);
  }

  private async indexDocument(doc: StoredDocument, libraryVersion: number): Promise<void> {
    await this.index?.addDocument(doc.id, doc.title);
    this.noteVersion(libraryVersion);
  }

  /**
   * Records that the index holds the change that made this library version. Lanes and other
   * tabs may finish out of order: the index is current up to the last version with no gap
   * before it, and only that version is saved with it.
   */
  private noteVersion(libraryVersion: number): void {
    if (this.indexedVersion === null) return;
    this.seenVersions.add(libraryVersion);
    while (this.seenVersions.has(this.indexedVersion + 1)) this.seenVersions.delete(++this.indexedVersion);
  }

  private seenVersions = new Set<number>();

  cancel(key: number): void {
    const item = this.queue.find((q) => q.key === key);
    if (!item) return;
    this.controllers.get(key)?.abort();
    if (item.status === 'waiting') {
      item.status = 'cancelled';
      this.pendingFiles.delete(key);
    }
    this.noteQueue();
  }

  cancelAll(): void {
    for (const item of this.queue) if (isActive(item)) this.cancel(item.key);
  }

  dismiss(key: number): void {
    this.queue = this.queue.filter((q) => q.key !== key || isActive(q));
    if (!this.queue.some((q) => q.key === key)) this.pendingFiles.delete(key);
    this.noteQueue();
  }

  dismissFinished(): void {
    for (const item of this.queue) if (!isActive(item)) this.pendingFiles.delete(item.key);
    this.queue = this.queue.filter(isActive);
  }

  async remove(doc: StoredDocument): Promise<void> {
    if (!this.db) return;
    const version = await deleteDocument(this.db, doc.id);
    this.forgetDocument(doc.id, doc.chunkCount, version);
    this.tabs?.post({ type: 'document-deleted', docId: doc.id, chunkCount: doc.chunkCount, libraryVersion: version });
  }

  private forgetDocument(docId: string, chunkCount: number, libraryVersion: number): void {
    void this.index?.remove(Array.from({ length: chunkCount }, (_, seq) => chunkId(docId, seq)));
    this.noteVersion(libraryVersion);
    this.docs = this.docs.filter((d) => d.id !== docId);
    this.schedulePersist();
    void this.refreshUsage();
  }

  async exportBackup(onlyIds?: Set<string>): Promise<Blob | null> {
    if (!this.db) return null;
    // The zip code loads only when a backup is made or restored.
    const { exportLibrary } = await import('../backup/backup');
    return exportLibrary(this.db, onlyIds);
  }

  /** Restores a backup file into this library, then makes what it added searchable here and in other tabs. */
  async importBackup(file: Blob): Promise<ImportReport | null> {
    const db = this.db;
    if (!db) return null;
    const { importLibrary } = await import('../backup/backup');
    const report = await importLibrary(db, file);
    for (const { id, libraryVersion } of report.added) {
      const doc = await getDocument(db, id);
      if (!doc) continue;
      await this.indexDocument(doc, libraryVersion);
      this.docs = [doc, ...this.docs.filter((d) => d.id !== id)];
      this.interrupted = this.interrupted.filter((d) => d.id !== id);
      this.tabs?.post({ type: 'document-added', docId: id, libraryVersion });
    }
    this.schedulePersist();
    void this.refreshUsage();
    return report;
  }

  /** Brings this tab up to date with a change another tab made. */
  private async applyOtherTab(message: TabMessage): Promise<void> {
    const db = this.db;
    if (!db) return;
    if (message.type === 'document-added') {
      const doc = await getDocument(db, message.docId);
      if (!doc || doc.state !== 'ready' || this.docsById.has(doc.id)) return;
      await this.indexDocument(doc, message.libraryVersion);
      this.docs = [doc, ...this.docs];
      // It may have been resumable here: it is not any more.
      this.interrupted = this.interrupted.filter((d) => d.id !== doc.id);
      this.schedulePersist();
      void this.refreshUsage();
    } else if (message.type === 'document-deleted') {
      if (this.docsById.has(message.docId)) this.forgetDocument(message.docId, message.chunkCount, message.libraryVersion);
    }
  }

  /** The documents a scope allows, by chunk key prefix; null for the whole library (the fast path). */
  private scopePrefixes(scope: Scope): Set<string> | null {
    if (isWholeLibrary(scope)) return null;
    return new Set(this.docs.filter((doc) => inScope(doc, scope)).map((doc) => chunkKeyPrefix(doc.id)));
  }

  search(query: string, limit = 20): Promise<SearchResultItem[]> {
    if (!this.db || !this.index || !this.searchable) return Promise.resolve([]);
    return searchLibrary(this.index, this.docsById, query, limit, this.scopePrefixes(this.scope));
  }

  /**
   * Passages for a question to the model within a scope: the `wanted` best, spread over the
   * documents that match, then as many spares (see findPassages).
   */
  retrieve(query: string, wanted: number, scope: Scope = this.scope, recent = ''): Promise<RetrievedPassage[]> {
    if (!this.db || !this.index || !this.searchable) return Promise.resolve([]);
    return retrievePassages(this.index, this.docsById, query, wanted, this.scopePrefixes(scope), recent);
  }

  get database(): LibraryDB | null {
    return this.db;
  }

  private schedulePersist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => void this.persistNow(), PERSIST_DELAY_MS);
  }

  /** Saves the index unless its version is unknown, in which case the next start rebuilds it. */
  async persistNow(): Promise<void> {
    this.persistTimer = null;
    if (!this.index || this.indexedVersion === null || this.pumping) return;
    await this.index.persist(this.indexedVersion);
  }

  async refreshUsage(): Promise<void> {
    this.usage = await storageUsage();
  }
}
