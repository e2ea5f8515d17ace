import type { Library } from './library.svelte';
import type { ServerMonitor } from './server.svelte';
import type { ChatMessage, ServerInfo } from '../server/client';
import { ServerError, type ServerErrorKind } from '../server/errors';
import type { CompletionFinal } from '../server/stream';
import { PromptBuilder, type PreparedPrompt } from '../chat/prepare';
import { DEFAULT_CHAT_SETTINGS, sanitizeSettings, type ChatSettings } from '../chat/settings';
import type { LibraryDB, StoredConversation, StoredMessage } from '../storage/schema';
import { deleteConversation, getConversation, getSetting, listConversations, putSettings, renameConversation, saveConversationMessages } from '../storage/conversations';
import { conversationLockName, whenFree, withLockIfFree } from '../locks';
import { describeStorageFailure } from '../storage/usage';
import { arrivingStore, forgetArrivingAnswer, keepArrivingAnswer, keptArrivingAnswers, restoreArrivingAnswer } from '../storage/arriving-answers';
import { newId } from '../ids';
import { shortened } from '../format';
import { whenAborted } from '../abort';
import { historyOf } from '../chat/history';
import type { TabChannel } from './tabs';
import { isWholeLibrary, questionScope, scopeNotice, WHOLE_LIBRARY } from '../search/scope';

/**
 * Conversations with the library: sending a question, streaming the answer into the page
 * a frame at a time, stopping, regenerating, and keeping every conversation in IndexedDB.
 */

const SETTINGS_KEY = 'chat';
const API_KEY_KEY = 'apiKey';
const SESSION_API_KEY = 'memory-cache:apiKey';
const TITLE_LENGTH = 60;
/** How many times a prompt that overflowed the context is retried with fewer passages. */
const OVERFLOW_RETRIES = 3;
const PARTIAL_SAVE_MS = 3000;
/** Failures that say something about the server itself, not about this one request. */
const SERVER_STATE_ERRORS = new Set<ServerErrorKind>(['unreachable', 'cut-off', 'loading', 'auth']);
/** Earlier questions that join a follow-up's search. */
const RECENT_QUESTIONS = 2;

export class Chat {
  conversations = $state<StoredConversation[]>([]);
  currentId = $state<string | null>(null);
  settings = $state<ChatSettings>({ ...DEFAULT_CHAT_SETTINGS });
  apiKey = $state('');
  rememberApiKey = $state(false);
  /** False once the person removed the period their question names (the chip by the question field). */
  usePeriodFromQuestion = $state(true);
  /**
   * False until the stored settings are read: a Settings form opened sooner would show, and
   * save, the defaults. True from the moment `started` settles.
   */
  settingsLoaded = $state(false);
  /** The id of the answer being streamed, if any. */
  streamingId = $state<string | null>(null);
  /** When the answer being streamed was asked for, and when its last words came (performance.now()). */
  waitStartedAt = $state(0);
  lastWordsAt = $state(0);
  /** Ticks once a second while an answer streams, so waits can be told in seconds. */
  clock = $state(0);
  /** The conversation that answer belongs to (not necessarily the one shown). */
  private streamingConversation: StoredConversation | null = null;

  readonly current = $derived(this.conversations.find((c) => c.id === this.currentId) ?? null);
  readonly busy = $derived(this.streamingId !== null);

  private db: LibraryDB | null = null;
  /**
   * Settles once start() has the database and the stored settings (or knows there is no
   * database). The page takes questions before that, after a reload of a large library:
   * their answers wait for it rather than search an index not yet open, use default
   * settings, or go unsaved; so do renames and deletions of their conversations.
   */
  private readonly started: Promise<void>;
  private markStarted: () => void = () => undefined;
  private controller: AbortController | null = null;
  private readonly builder: PromptBuilder;

  constructor(
    private readonly library: Library,
    private readonly server: ServerMonitor,
    private readonly tabs: TabChannel | null = null,
  ) {
    this.builder = new PromptBuilder(server.client);
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }

  async start(): Promise<void> {
    this.db = this.library.database;
    const db = this.db;
    try {
      if (!db) return;
      // Settings first: the Settings form opens once they are read, and must never show (and
      // save) the defaults over a person's own because something later failed.
      await this.loadSettings();
    } finally {
      this.settingsLoaded = true;
      this.markStarted();
    }
    this.tabs?.listen((message) => {
      if (message.type === 'conversations-changed') void this.refresh();
      if (message.type === 'settings-changed') void this.loadSettings();
    });
    // The first status check ran before the key was known.
    if (this.apiKey) void this.server.check();
    try {
      // As any later look at storage: a question asked before this read ends (the page is
      // usable at once) must keep its conversation, and the answer arriving into it.
      await this.refresh();
    } catch (error) {
      this.storageProblem = `Your conversations could not be read: ${error instanceof Error ? error.message : String(error)}. Search and reading still work.`;
    }
  }

  /**
   * An answer still marked as streaming, in a conversation no open tab is answering in, was
   * cut off by a tab that closed: what arrived is kept, marked so.
   */
  private async markAbandonedAnswers(db: LibraryDB, conversations: StoredConversation[]): Promise<void> {
    const storage = arrivingStore();
    const kept = keptArrivingAnswers(storage);
    // Kept for a conversation deleted since.
    for (const id of kept.keys()) if (!conversations.some((c) => c.id === id)) forgetArrivingAnswer(storage, id);
    for (const conversation of conversations) {
      const arriving = conversation.messages.filter((m) => m.status === 'streaming');
      // Kept by a page that has gone, for an answer that has since ended (or was never stored).
      if (arriving.length === 0 && kept.has(conversation.id)) forgetArrivingAnswer(storage, conversation.id);
      if (arriving.length === 0 || conversation.id === this.streamingConversation?.id) continue;
      await withLockIfFree(conversationLockName(conversation.id), async () => {
        // Read again under the lock: the answer may have ended, and been saved, since the list
        // was read; marking that older copy would write it over the finished answer.
        const fresh = await getConversation(db, conversation.id);
        const keptAnswer = kept.get(conversation.id);
        // What arrived after the last partial save, kept as its page went (see saveArrivingAnswer).
        if (fresh && keptAnswer) restoreArrivingAnswer(fresh, keptAnswer);
        const stillArriving = fresh?.messages.filter((m) => m.status === 'streaming') ?? [];
        if (fresh && stillArriving.length > 0) {
          for (const message of stillArriving) {
            message.status = 'cut-off';
            message.error = 'the page was closed while this answer was arriving';
          }
          await saveConversationMessages(db, fresh, false);
        }
        if (keptAnswer) forgetArrivingAnswer(storage, conversation.id);
        if (fresh) conversation.messages = fresh.messages;
      });
    }
  }

  /** Takes in the stored settings and API key: at start, and after another tab or a restore wrote them. */
  async loadSettings(): Promise<void> {
    if (!this.db) return;
    this.settings = sanitizeSettings(await getSetting<Partial<ChatSettings>>(this.db, SETTINGS_KEY));
    const storedKey = await getSetting<string>(this.db, API_KEY_KEY);
    this.rememberApiKey = typeof storedKey === 'string' && storedKey.length > 0;
    this.setApiKeyInMemory(storedKey || sessionStorage.getItem(SESSION_API_KEY) || '');
  }

  /** After a backup was restored: its conversations and settings, here and in the other tabs. */
  async afterRestore(): Promise<void> {
    await this.refresh();
    await this.loadSettings();
    this.tabs?.post({ type: 'conversations-changed' });
    this.tabs?.post({ type: 'settings-changed' });
  }

  private setApiKeyInMemory(key: string): void {
    this.apiKey = key;
    this.server.client.apiKey = key;
  }

  async saveSettings(settings: ChatSettings, apiKey: string, remember: boolean): Promise<void> {
    this.settings = sanitizeSettings(settings);
    this.setApiKeyInMemory(apiKey);
    this.rememberApiKey = remember;
    if (remember) sessionStorage.removeItem(SESSION_API_KEY);
    else if (apiKey) sessionStorage.setItem(SESSION_API_KEY, apiKey);
    else sessionStorage.removeItem(SESSION_API_KEY);
    const db = this.db;
    if (db) {
      const saved = await this.guardWrite(
        async () => {
          await putSettings(db, { [SETTINGS_KEY]: $state.snapshot(this.settings), [API_KEY_KEY]: remember ? apiKey : '' });
          return true;
        },
        'The settings could not be saved',
        'save them again',
      );
      if (saved) this.tabs?.post({ type: 'settings-changed' });
    }
    void this.server.check();
  }

  newConversation(): void {
    this.currentId = null;
  }

  select(id: string): void {
    this.currentId = id;
  }

  async rename(id: string, title: string): Promise<void> {
    const conversation = this.conversations.find((c) => c.id === id);
    const clean = title.trim().slice(0, 200);
    await this.started;
    const db = this.db;
    if (!conversation || !clean || !db) return;
    const before = conversation.title;
    conversation.title = clean;
    this.localWrites++;
    const renamed = await this.guardWrite(() => renameConversation(db, id, clean), 'The conversation could not be renamed', 'rename it again');
    if (renamed === null) conversation.title = before;
    else this.tabs?.post({ type: 'conversations-changed' });
  }

  /** Deleted, or being deleted: never saved again, even by an answer that was streaming into it. */
  private readonly deleted = new Set<string>();

  async remove(id: string): Promise<void> {
    this.deleted.add(id);
    if (this.streamingConversation?.id === id) this.stop();
    // Gone from storage before it is gone from the page, so what the person sees is what stays.
    await this.started;
    const db = this.db;
    if (db) {
      this.localWrites++;
      const deleted = await this.guardWrite(async () => {
        await deleteConversation(db, id);
        return true;
      }, 'The conversation could not be deleted', 'delete it again');
      if (!deleted) {
        this.deleted.delete(id);
        return;
      }
    }
    this.conversations = this.conversations.filter((c) => c.id !== id);
    if (this.currentId === id) this.currentId = null;
    this.tabs?.post({ type: 'conversations-changed' });
  }

  /** Writes of conversations this tab has begun: a refresh that overlapped one reads again (see refresh). */
  private localWrites = 0;

  /** Conversations known to be in storage: one that is not there any more was deleted in another tab. */
  private readonly storedIds = new Set<string>();

  /**
   * Saves the conversation's messages (see saveConversationMessages), creating it until a
   * first save has worked. Never throws: a failed write is told in `storageProblem`.
   */
  private async save(conversation: StoredConversation): Promise<void> {
    await this.started;
    const db = this.db;
    if (!db || this.deleted.has(conversation.id) || !this.conversations.some((c) => c.id === conversation.id)) return;
    const snapshot = $state.snapshot(conversation) as StoredConversation;
    const create = !this.storedIds.has(conversation.id);
    this.localWrites++;
    const wrote = await this.guardWrite(() => saveConversationMessages(db, snapshot, create), 'This conversation could not be saved', 'ask again');
    if (!wrote) return;
    this.storedIds.add(conversation.id);
    this.tabs?.post({ type: 'conversations-changed' });
  }

  /** What went wrong with the last write to storage, in words a person can act on; null once one works. */
  storageProblem = $state<string | null>(null);

  /** Runs a write to storage; a failure becomes `storageProblem` ("<what failed>: <why and what to do>") and null. */
  private async guardWrite<T>(write: () => Promise<T>, whatFailed: string, retry: string): Promise<T | null> {
    try {
      const result = await write();
      this.storageProblem = null;
      return result;
    } catch (error) {
      const reason = (await describeStorageFailure(error, retry)) ?? (error instanceof Error ? error.message : String(error));
      this.storageProblem = `${whatFailed}: ${reason}.`;
      return null;
    }
  }

  private refreshes = 0;

  /** Something the person should know about their last question that is not part of an answer. */
  notice = $state<string | null>(null);

  /** Takes in what another tab (or an import) changed; the answer this tab is streaming stays as it is here. */
  async refresh(): Promise<void> {
    const db = this.db;
    if (!db) return;
    const generation = ++this.refreshes;
    let stored: StoredConversation[];
    // A write of this tab's that began meanwhile may be missing from what was read (the first
    // save of a conversation just started, an answer's last): then it is read again.
    for (;;) {
      const writes = this.localWrites;
      stored = await listConversations(db);
      // An answer whose tab closed while this one was open is cut off, not "arriving" for ever.
      await this.markAbandonedAnswers(db, stored);
      if (writes === this.localWrites) break;
    }
    // A later refresh has read newer conversations: this one's are out of date.
    if (generation !== this.refreshes) return;
    for (const { id } of stored) this.storedIds.add(id);
    const streaming = this.streamingConversation;
    // Started in this tab and never stored yet (its first save is to come, or failed): no
    // other tab can have deleted it, so it stays, before the stored ones.
    const unstored = this.conversations.filter((c) => !this.storedIds.has(c.id) && !this.deleted.has(c.id));
    this.conversations = [
      ...unstored,
      ...stored.map((c) => {
        if (!streaming || c.id !== streaming.id) return c;
        streaming.title = c.title;
        return streaming;
      }),
    ];
    if (this.currentId && !this.conversations.some((c) => c.id === this.currentId)) this.currentId = null;
    this.watchArriving(stored);
  }

  /** Conversations another tab is answering in, whose end this tab waits for. */
  private readonly watched = new Set<string>();

  /**
   * Waits for the end of each answer another tab is writing, then looks again: a tab that
   * finishes says so itself, but one that is closed mid-answer says nothing, and its answer
   * would show as arriving for ever.
   */
  private watchArriving(conversations: StoredConversation[]): void {
    for (const conversation of conversations) {
      const { id } = conversation;
      if (this.watched.has(id) || id === this.streamingConversation?.id || !conversation.messages.some((m) => m.status === 'streaming')) continue;
      const ended = whenFree(conversationLockName(id));
      if (!ended) return;
      this.watched.add(id);
      void ended.then(() => {
        this.watched.delete(id);
        void this.refresh();
      });
    }
  }

  private connectedInfo(): ServerInfo | null {
    const status = this.server.status;
    return status.state === 'connected' ? status.info : null;
  }

  /**
   * The question a follow-up leans on: the last one of the current conversation that was
   * answered in full (the conversation the model is given holds only those, see historyOf).
   */
  readonly previousQuestion = $derived(historyOf(this.current?.messages ?? []).findLast((m) => m.role === 'user')?.content ?? '');

  /** Asks a question; false when it was not asked (another tab is answering in this conversation). */
  async send(question: string): Promise<boolean> {
    const text = question.trim();
    if (!text || this.busy || !this.connectedInfo()) return false;
    const sentAt = performance.now();
    this.notice = null;
    let conversation = this.current;
    if (!conversation) {
      const now = Date.now();
      const created: StoredConversation = { id: newId(), title: shortened(text, TITLE_LENGTH), createdAt: now, updatedAt: now, messages: [] };
      this.conversations.unshift(created);
      this.currentId = created.id;
      conversation = this.conversations[0];
    }
    const target = conversation;
    return this.whileAnswering(target, async () => {
      const history = historyOf(target.messages);
      target.messages.push({ id: newId(), role: 'user', content: text, createdAt: Date.now() });
      target.messages.push({ id: newId(), role: 'assistant', content: '', createdAt: Date.now(), status: 'streaming' });
      const answer = target.messages[target.messages.length - 1];
      await this.answer(target, answer, text, history, sentAt);
    });
  }

  /**
   * Runs an answer while holding the conversation's lock, so two tabs never answer in the
   * same conversation at once (each would write its own turns over the other's).
   */
  private async whileAnswering(conversation: StoredConversation, answer: () => Promise<void>): Promise<boolean> {
    const ran = await withLockIfFree(conversationLockName(conversation.id), async () => {
      await answer();
      return true;
    });
    if (ran === null) this.notice = 'This conversation is getting an answer in another tab. Wait for it there, or start a new conversation here.';
    return ran !== null;
  }

  /** Asks the same question again, in place of the given answer. */
  async regenerate(answerId: string): Promise<void> {
    const conversation = this.current;
    if (!conversation || this.busy || !this.connectedInfo()) return;
    const index = conversation.messages.findIndex((m) => m.id === answerId);
    const question = conversation.messages[index - 1];
    if (index < 1 || question.role !== 'user') return;
    this.notice = null;
    const target = conversation;
    await this.whileAnswering(target, async () => {
      const answer = target.messages[index];
      Object.assign(answer, { content: '', status: 'streaming', error: undefined, notice: undefined, sources: undefined, stats: undefined });
      await this.answer(target, answer, question.content, historyOf(target.messages.slice(0, index - 1)), performance.now());
    });
  }

  stop(): void {
    this.controller?.abort();
  }

  /** The page is going away: what has arrived of the answer is kept now, not only at the last partial save. */
  saveArrivingAnswer(): void {
    const conversation = this.streamingConversation;
    const answer = conversation?.messages.find((m) => m.id === this.streamingId);
    if (!conversation || !answer) return;
    keepArrivingAnswer(arrivingStore(), conversation.id, $state.snapshot(answer) as StoredMessage);
    // Also begun, for a page that lives on (kept in the back-forward cache).
    void this.save(conversation);
  }

  private async answer(conversation: StoredConversation, answer: StoredMessage, question: string, history: ChatMessage[], sentAt: number): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.streamingId = answer.id;
    this.streamingConversation = conversation;
    this.waitStartedAt = this.lastWordsAt = this.clock = sentAt;
    const ticker = setInterval(() => (this.clock = performance.now()), 1000);
    let saver: ReturnType<typeof setInterval> | undefined;
    try {
      // Stop ends this wait too: the library may take a while to open.
      await Promise.race([this.started, whenAborted(controller.signal)]);
      controller.signal.throwIfAborted();
      const info = this.connectedInfo();
      // The passages are asked for before anything else: finding them is most of the wait
      // before the request, and the index's worker does it while this thread goes on.
      // Follow-ups lean on the recent questions for what "it" or "they" refer to.
      const recentQuestions = history.filter((m) => m.role === 'user').slice(-RECENT_QUESTIONS).map((m) => m.content);
      const { scope, query } = questionScope(question, recentQuestions[recentQuestions.length - 1] ?? '', this.library.scope, { usePhrase: this.usePeriodFromQuestion });
      // Their words about a period ("what did I save last week") say when, not what: left out.
      const recentWords = recentQuestions.map((q) => questionScope(q, '', WHOLE_LIBRARY).query);
      const retrieving = info ? this.library.retrieve(query, this.settings.passageCount, scope, recentWords.join(' ')) : Promise.resolve([]);
      retrieving.catch(() => undefined);
      conversation.updatedAt = Date.now();
      this.moveToTop(conversation);
      // Not awaited: IndexedDB runs this write before any later one, and the answer need not wait.
      void this.save(conversation);
      // What has arrived is saved every few seconds, so a closed tab loses little of it.
      saver = setInterval(() => void this.save(conversation), PARTIAL_SAVE_MS);
      if (!info) throw new ServerError('unreachable', 'no model server is connected');
      if (!isWholeLibrary(scope)) answer.notice = scopeNotice(scope, this.library.docs);
      let maxPassages = this.settings.passageCount;
      for (let attempt = 0; ; attempt++) {
        const prepared = await this.builder.prepare({ question, history, candidates: retrieving, settings: $state.snapshot(this.settings) as ChatSettings, server: info, maxPassages }, controller.signal);
        this.describePrompt(answer, prepared);
        if (prepared.passagesFound > 0 && prepared.passages.length === 0) {
          answer.notice = `None of the matching passages fit the model's context of ${prepared.contextSize.toLocaleString()} tokens, so this answer does not draw on your documents.`;
        }
        const outcome = await this.stream(answer, prepared, controller.signal, sentAt);
        // llamafile 0.9 cuts a prompt that is too long without an error, and only says so at the end.
        const overflowed = outcome === 'overflow' || (outcome !== null && outcome.truncated);
        if (overflowed && prepared.passages.length > 0 && attempt < OVERFLOW_RETRIES) {
          maxPassages = Math.floor(prepared.passages.length / 2);
          answer.content = '';
          answer.notice = `The prompt did not fit the model's context, so this answer uses ${maxPassages} passage${maxPassages === 1 ? '' : 's'} instead of ${prepared.passages.length}.`;
          continue;
        }
        if (outcome === 'overflow') throw new ServerError('context', "the question and conversation do not fit the model's context");
        answer.status = 'done';
        break;
      }
    } catch (error) {
      if (controller.signal.aborted) {
        answer.status = 'stopped';
      } else {
        answer.status = answer.content ? 'cut-off' : 'error';
        answer.error = error instanceof Error ? error.message : String(error);
        // The status line should not go on saying "connected" about a server that just failed.
        if (error instanceof ServerError && SERVER_STATE_ERRORS.has(error.kind)) void this.server.check();
      }
    } finally {
      clearInterval(saver);
      clearInterval(ticker);
      // Closing the connection is what stops the server generating after an error here.
      controller.abort();
      this.streamingId = null;
      this.controller = null;
      conversation.updatedAt = Date.now();
      // A conversation deleted while its answer streamed stays deleted (save skips it). Until
      // the finished answer is stored, a refresh keeps this tab's copy, not the stored one.
      // Before the chat has started, the save waits for the database, and the conversation
      // need not: a refresh keeps what is not stored yet, and the person can ask again.
      const saved = this.save(conversation);
      if (this.settingsLoaded) await saved;
      if (this.streamingConversation === conversation) this.streamingConversation = null;
    }
  }

  private describePrompt(answer: StoredMessage, prepared: PreparedPrompt): void {
    answer.sources = prepared.passages.map(({ n, chunkId, docId, title, fileName, page, unit, heading, provenance, tokens, text }) => ({ n, chunkId, docId, title, fileName, page, unit, heading, provenance, tokens, text }));
    answer.stats = {
      promptTokens: prepared.promptTokens,
      cachedTokens: null,
      predictedTokens: null,
      tokensPerSecond: null,
      contextSize: prepared.contextSize,
      passageTokens: prepared.passageTokens,
      sendToRequestMs: null,
      sendToFirstTokenMs: null,
      template: prepared.templateLabel,
    };
    if (prepared.turnsDropped > 0 && !answer.notice) answer.notice = 'Earlier turns of this conversation were left out to make room for the passages.';
  }

  /**
   * Streams one completion into the answer. Tokens are gathered and written once per
   * animation frame: one re-render per token would make long answers stutter.
   * Returns the final chunk, or 'overflow' when the server refused the prompt as too long.
   */
  private async stream(answer: StoredMessage, prepared: PreparedPrompt, signal: AbortSignal, sentAt: number): Promise<CompletionFinal | 'overflow' | null> {
    const { settings } = this;
    let pending = '';
    let frame = 0;
    const flush = () => {
      frame = 0;
      if (!pending) return;
      if (answer.stats && answer.stats.sendToFirstTokenMs === null) answer.stats.sendToFirstTokenMs = Math.round(performance.now() - sentAt);
      answer.content += pending;
      this.lastWordsAt = performance.now();
      pending = '';
    };
    try {
      const events = this.server.client.complete(
        { prompt: prepared.prompt, n_predict: prepared.nPredict, temperature: settings.temperature, top_p: settings.topP, stop: prepared.stop, cache_prompt: true, stream: true },
        signal,
      );
      if (answer.stats) answer.stats.sendToRequestMs = Math.round(performance.now() - sentAt);
      for await (const event of events) {
        if (event.type === 'token') {
          pending += event.content;
          frame ||= requestAnimationFrame(flush);
        } else {
          cancelAnimationFrame(frame);
          flush();
          const final = event.final;
          if (answer.stats) {
            answer.stats.promptTokens = final.promptTokens ?? answer.stats.promptTokens;
            answer.stats.cachedTokens = final.cachedTokens;
            answer.stats.predictedTokens = final.predictedTokens;
            answer.stats.tokensPerSecond = final.tokensPerSecond;
          }
          return final;
        }
      }
      return null;
    } catch (error) {
      if (error instanceof ServerError && error.kind === 'context') return 'overflow';
      throw error;
    } finally {
      cancelAnimationFrame(frame);
      flush();
    }
  }

  private moveToTop(conversation: StoredConversation): void {
    const index = this.conversations.findIndex((c) => c.id === conversation.id);
    if (index > 0) this.conversations.unshift(...this.conversations.splice(index, 1));
  }
}
