import type { ChatMessage, ServerInfo } from '../server/client';
import { ServerError } from '../server/errors';
import { answerReserve, packPassages, passageRoom, worthCounting } from '../prompt/budget';
import { formatPassage, PASSAGES_HEADING, passagesSection, stableOrder, type Passage } from '../prompt/passages';
import { BUILTIN_TEMPLATES, guessTemplate, mergeSystemIntoFirstUser, renderBuiltin, renderJinja, stopStringsFor, type BuiltinTemplateId } from '../prompt/templates';
import { utf8Length } from '../server/token-pieces';
import type { ChatSettings } from './settings';

/**
 * Builds the prompt for a question: the system prompt and the passages first (in a stable
 * order, for the server's prompt cache), then the conversation, then the question, in the
 * model's own chat template, with as many of the best passages as fit the context window.
 * Every count is a real token count from the server; only the passages that might fit are counted.
 */

export interface PromptServer {
  countTokens(text: string, signal?: AbortSignal): Promise<number>;
  /** Counts of texts that will stand one after another, in as few requests as the server allows. */
  countTokensEach(texts: string[], signal?: AbortSignal): Promise<number[]>;
  applyTemplate(messages: ChatMessage[], signal?: AbortSignal): Promise<string | null>;
}

export interface UsedPassage extends Passage {
  /** Its number in the prompt: the model cites it as [n]. */
  n: number;
  tokens: number;
}

export type TemplateSource = 'server' | 'model' | BuiltinTemplateId;

export interface PreparedPrompt {
  prompt: string;
  stop: string[];
  passages: UsedPassage[];
  /** Passages found for the question, before those that did not fit were left out. */
  passagesFound: number;
  /**
   * Tokens of the whole prompt, start token included. Where the passages simply took the
   * stand-in's place, the sum of counts made apart: a few tokens over the prompt's own count
   * (it includes the line saying no passages are given), which the server's answer replaces.
   */
  promptTokens: number;
  /** Tokens of the passages alone. */
  passageTokens: number;
  nPredict: number;
  contextSize: number;
  templateSource: TemplateSource;
  /** Which template made the prompt and why, as a person reads it under the answer. */
  templateLabel: string;
  /** Earlier turns left out because they did not fit. */
  turnsDropped: number;
}

export interface PrepareInput {
  question: string;
  /** Earlier turns, oldest first. */
  history: ChatMessage[];
  /** Retrieved passages, best first; a promise lets the conversation be measured while they are found. */
  candidates: Passage[] | Promise<Passage[]>;
  settings: ChatSettings;
  server: ServerInfo;
  /** Lower than settings.passageCount when a retry must use fewer. */
  maxPassages?: number;
}

const DEFAULT_CONTEXT = 2048;
/** Stands where the passages go while the conversation is rendered; no text has it. */
const SECTION_STAND_IN = '\u0001passages\u0001';
/** Earlier messages considered at all: a long chat's early turns rarely help and cost tokens. */
const MAX_HISTORY_MESSAGES = 6;
/**
 * An uncounted passage is guessed at this fraction of its size at the bytes per token of the
 * passages counted so far (of the same library and model: within a fifth of it, as a rule).
 * A guess too small costs a count of the spares; one too large may leave out a spare that
 * would just have fitted a prompt already nearly full.
 */
const GUESS_FRACTION = 0.8;

/** A passage as it is counted: with a two-digit number and the blank line that joins passages, so the count holds whatever number it gets. */
const countedText = (passage: Passage) => `${formatPassage(10, passage)}\n\n`;

/** Token counts made for one model: another tokenizer counts differently. */
interface ModelCounts {
  model: string;
  /** Formatted passages, by chunk id: a chunk is counted once per session. */
  passages: Map<string, number>;
  /** The passages heading: the same every time, counted once. */
  heading: number | null;
  /** Bytes and tokens of every passage counted: what guesses for the others go by. */
  bytes: number;
  tokens: number;
}

/** "the model's own (applied by the server)", "built-in ChatML (guessed from the model's name)"… */
export function templateLabel(source: TemplateSource, why: 'chosen' | 'guessed' = 'guessed'): string {
  if (source === 'server') return "the model's own (applied by the server)";
  if (source === 'model') return "the model's own (from the server, rendered here)";
  const name = BUILTIN_TEMPLATES[source].label.replace(/ \(.*\)$/, '');
  return `built-in ${name} (${why === 'chosen' ? 'chosen in Settings' : "guessed from the model's name"})`;
}

const noCounts = (model: string): ModelCounts => ({ model, passages: new Map(), heading: null, bytes: 0, tokens: 0 });

export class PromptBuilder {
  private counts = noCounts('');

  constructor(private readonly server: PromptServer) {}

  private async render(messages: ChatMessage[], input: PrepareInput, signal?: AbortSignal): Promise<{ prompt: string; stop: string[]; source: TemplateSource; label: string }> {
    const { settings, server } = input;
    if (settings.template !== 'auto') return { ...renderBuiltin(settings.template, messages), source: settings.template, label: templateLabel(settings.template, 'chosen') };
    if (server.modern) {
      const prompt = await this.server.applyTemplate(messages, signal).catch((error: unknown) => {
        // A template that rejects these messages (some refuse a system role) is not fatal:
        // the model's template rendered here, or a built-in, still works.
        if (error instanceof ServerError && error.kind !== 'unreachable' && error.kind !== 'auth') return null;
        throw error;
      });
      if (prompt !== null) return { prompt, stop: stopStringsFor(prompt), source: 'server', label: templateLabel('server') };
    }
    if (server.chatTemplate) {
      // Some templates refuse a system role (Gemma's and Mistral's raise_exception): the model's
      // own template still serves, with the system text opening the first question.
      for (const turns of [messages, mergeSystemIntoFirstUser(messages)]) {
        try {
          const prompt = renderJinja(server.chatTemplate, turns, server.eosToken);
          return { prompt, stop: stopStringsFor(prompt), source: 'model', label: templateLabel('model') };
        } catch {
          // Falls through: merged, then a built-in template.
        }
      }
    }
    const id = guessTemplate(server.model);
    return { ...renderBuiltin(id, messages), source: id, label: templateLabel(id, 'guessed') };
  }

  /**
   * Counts the passages not yet counted (and the heading, the first time) in one request where
   * the server allows, into the counts of the model they are counted for.
   */
  private async countPassages(counts: ModelCounts, passages: Passage[], signal?: AbortSignal): Promise<void> {
    const uncounted = [...new Map(passages.filter((p) => !counts.passages.has(p.chunkId)).map((p) => [p.chunkId, p])).values()];
    const withHeading = counts.heading === null;
    const texts = uncounted.map(countedText);
    const counted = await this.server.countTokensEach(withHeading ? [`${PASSAGES_HEADING}\n\n`, ...texts] : texts, signal);
    if (withHeading) counts.heading = counted.shift() ?? 0;
    uncounted.forEach((p, i) => {
      counts.passages.set(p.chunkId, counted[i]);
      counts.bytes += utf8Length(texts[i]);
      counts.tokens += counted[i];
    });
  }

  async prepare(input: PrepareInput, signal?: AbortSignal): Promise<PreparedPrompt> {
    if (this.counts.model !== input.server.model) this.counts = noCounts(input.server.model);
    const counts = this.counts;
    const guessTokens = (passage: Passage) => {
      const bytesPerToken = counts.tokens > 0 ? counts.bytes / counts.tokens : 4;
      return Math.floor((utf8Length(countedText(passage)) / bytesPerToken) * GUESS_FRACTION);
    };
    const contextSize = input.server.contextSize ?? DEFAULT_CONTEXT;
    const reserve = answerReserve(contextSize, input.settings.maxAnswerTokens);
    const limit = contextSize - reserve;
    const maxPassages = Math.min(input.maxPassages ?? input.settings.passageCount, input.settings.passageCount);

    const messagesWith = (section: string, history: ChatMessage[]): ChatMessage[] => [
      { role: 'system', content: `${input.settings.systemPrompt.trim()}\n\n${section}` },
      ...history,
      { role: 'user', content: input.question },
    ];
    // +1: the start-of-text token the server adds.
    const countPrompt = async (prompt: string) => (await this.server.countTokens(prompt, signal)) + 1;
    const recent = input.history.slice(-MAX_HISTORY_MESSAGES);

    // The conversation is rendered once, with a stand-in where the passages go, and measured
    // while the passages are found; the prompt with passages is then the same text with the
    // passages in place of the stand-in, without another round trip to the server. A template
    // that does not copy the system message as it is gets the passages rendered by it.
    const measuring = (async () => {
      const shape = async (turns: ChatMessage[]) => {
        const rendered = await this.render(messagesWith(SECTION_STAND_IN, turns), input, signal);
        const around = rendered.prompt.split(SECTION_STAND_IN);
        const substitutes = around.length === 2;
        const fill = (section: string): Promise<string> =>
          substitutes ? Promise.resolve(`${around[0]}${section}${around[1]}`) : this.render(messagesWith(section, turns), input, signal).then((r) => r.prompt);
        return { ...rendered, fill, substitutes };
      };
      // The conversation so far, as much of it as leaves room for passages.
      let history = recent;
      let rendered = await shape(history);
      let baseTokens = await countPrompt(await rendered.fill(passagesSection([])));
      while (baseTokens > limit * 0.6 && history.length > 0) {
        history = history.slice(2);
        rendered = await shape(history);
        baseTokens = await countPrompt(await rendered.fill(passagesSection([])));
      }
      return { history, baseTokens, rendered };
    })();
    measuring.catch(() => undefined);
    const candidates = (await input.candidates).slice(0, maxPassages * 2);
    // The best that could go in are counted while the conversation is measured; spares only
    // if room is left that they might fit.
    const countingBest = this.countPassages(counts, candidates.slice(0, maxPassages), signal);
    countingBest.catch(() => undefined);

    const { history, baseTokens, rendered } = await measuring;
    if (baseTokens > limit) throw new ServerError('context', `the question alone is too long for the model's context of ${contextSize} tokens`);
    await countingBest;
    const headingTokens = maxPassages > 0 ? (counts.heading ?? 0) : 0;
    const room = passageRoom({ contextSize, answerReserve: reserve, baseTokens: baseTokens + headingTokens });
    const countOf = (p: Passage) => counts.passages.get(p.chunkId) ?? null;
    // One round of spares settles it unless its counts change the guesses (see worthCounting): two at most.
    for (let round = 0; round < 2; round++) {
      const more = worthCounting(candidates.map(countOf), candidates.map(guessTokens), room, maxPassages);
      if (more.length === 0) break;
      await this.countPassages(counts, more.map((i) => candidates[i]), signal);
    }
    const sizes = candidates.map((p) => countOf(p) ?? Infinity);
    let picked = packPassages(sizes, room, maxPassages);
    // Passages go into the prompt in document order, each with its count.
    const inPrompt = (indexes: number[]) => stableOrder(indexes.map((i) => ({ ...candidates[i], tokens: sizes[i] })));
    const tokensOf = (passages: { tokens: number }[]) => passages.reduce((sum, p) => sum + p.tokens, 0);

    const finish = (passages: (Passage & { tokens: number })[], prompt: string, promptTokens: number): PreparedPrompt => {
      const used = passages.map((p, i) => ({ ...p, n: i + 1 }));
      return {
        prompt,
        stop: rendered.stop,
        passages: used,
        passagesFound: candidates.length,
        promptTokens,
        passageTokens: tokensOf(used),
        nPredict: Math.max(16, Math.min(input.settings.maxAnswerTokens, contextSize - promptTokens)),
        contextSize,
        templateSource: rendered.source,
        templateLabel: rendered.label,
        // Only turns left out for room count: older ones beyond the last few never go in.
        turnsDropped: recent.length - history.length,
      };
    };

    if (rendered.substitutes || picked.length === 0) {
      // The passages stand in the prompt exactly as they were counted, so the counts add up
      // without counting the prompt again: the request leaves a round trip sooner.
      const passages = inPrompt(picked);
      return finish(passages, await rendered.fill(passagesSection(passages)), baseTokens + (passages.length > 0 ? headingTokens + tokensOf(passages) : 0));
    }
    // A template that rewrites the system message may change the passages' counts: the
    // rendered prompt's own count decides, and a passage too many is dropped, worst first.
    for (;;) {
      const passages = inPrompt(picked);
      const prompt = await rendered.fill(passagesSection(passages));
      const promptTokens = await countPrompt(prompt);
      if (promptTokens <= limit || picked.length === 0) {
        if (promptTokens > contextSize - 16) throw new ServerError('context', `the prompt does not fit the model's context of ${contextSize} tokens`);
        return finish(passages, prompt, promptTokens);
      }
      picked = picked.slice(0, -1);
    }
  }
}
