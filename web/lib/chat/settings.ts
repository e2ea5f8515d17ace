import { BUILTIN_TEMPLATES, type TemplateChoice } from '../prompt/templates';

/** What a person can tune about answers; persisted in IndexedDB. */
export interface ChatSettings {
  temperature: number;
  topP: number;
  /** The longest answer, in tokens. */
  maxAnswerTokens: number;
  /** At most this many passages go into a prompt (fewer when the context is small). */
  passageCount: number;
  systemPrompt: string;
  template: TemplateChoice;
}

export const DEFAULT_SYSTEM_PROMPT = `You are Memory Cache, an assistant that answers questions from the user's own saved documents.
Answer using only the numbered passages below. After each statement, cite the passage it comes from as [n], for example [2].
If the passages do not contain the answer, say that your documents do not cover it, and do not make an answer up.
Be concise.`;

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  temperature: 0.2,
  topP: 0.95,
  maxAnswerTokens: 512,
  passageCount: 6,
  systemPrompt: DEFAULT_SYSTEM_PROMPT,
  template: 'auto',
};

/** Settings read from storage, with anything missing or out of range replaced by the default. */
export function sanitizeSettings(stored: Partial<ChatSettings> | undefined): ChatSettings {
  const s = { ...DEFAULT_CHAT_SETTINGS, ...stored };
  const clamp = (value: number, min: number, max: number, fallback: number) => (Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback);
  return {
    temperature: clamp(s.temperature, 0, 2, DEFAULT_CHAT_SETTINGS.temperature),
    topP: clamp(s.topP, 0, 1, DEFAULT_CHAT_SETTINGS.topP),
    maxAnswerTokens: Math.round(clamp(s.maxAnswerTokens, 16, 8192, DEFAULT_CHAT_SETTINGS.maxAnswerTokens)),
    passageCount: Math.round(clamp(s.passageCount, 0, 20, DEFAULT_CHAT_SETTINGS.passageCount)),
    systemPrompt: typeof s.systemPrompt === 'string' && s.systemPrompt.trim() ? s.systemPrompt : DEFAULT_SYSTEM_PROMPT,
    // A stored name no release knows (an older or newer build, a hand edit) would break every question.
    template: s.template === 'auto' || Object.hasOwn(BUILTIN_TEMPLATES, s.template) ? s.template : 'auto',
  };
}
