import { Template } from '@huggingface/jinja';
import type { ChatMessage } from '../server/client';

/**
 * Chat templates turn messages into the one prompt string a model was trained on. The
 * model's own template comes first (from the server); these built-ins serve servers that
 * cannot say which template their model uses (llamafile 0.9), chosen in Settings or guessed
 * from the model's name. All of them are Jinja, rendered by the same engine as the model's.
 */

export type BuiltinTemplateId = 'chatml' | 'llama3' | 'mistral' | 'gemma' | 'phi3' | 'phi4' | 'plain';
export type TemplateChoice = 'auto' | BuiltinTemplateId;

interface BuiltinTemplate {
  label: string;
  source: string;
  /** Strings that end the assistant's turn, in case the server does not stop on them itself. */
  stop: string[];
  /** The template has no system role: the system text goes at the start of the first user turn. */
  mergeSystem: boolean;
}

export const BUILTIN_TEMPLATES: Record<BuiltinTemplateId, BuiltinTemplate> = {
  chatml: {
    label: 'ChatML (Qwen, Hermes, many fine-tunes)',
    source:
      "{% for m in messages %}{{ '<|im_start|>' + m.role + '\\n' + m.content + '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
    stop: ['<|im_end|>', '<|im_start|>'],
    mergeSystem: false,
  },
  llama3: {
    label: 'Llama 3',
    source:
      "{% for m in messages %}{{ '<|start_header_id|>' + m.role + '<|end_header_id|>\\n\\n' + (m.content | trim) + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
    stop: ['<|eot_id|>', '<|start_header_id|>'],
    mergeSystem: false,
  },
  mistral: {
    label: 'Mistral',
    source: "{% for m in messages %}{% if m.role == 'user' %}{{ '[INST] ' + m.content + ' [/INST]' }}{% else %}{{ m.content + '</s>' }}{% endif %}{% endfor %}",
    stop: ['</s>', '[INST]'],
    mergeSystem: true,
  },
  gemma: {
    label: 'Gemma',
    source:
      "{% for m in messages %}{{ '<start_of_turn>' + ('model' if m.role == 'assistant' else 'user') + '\\n' + (m.content | trim) + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}",
    stop: ['<end_of_turn>', '<start_of_turn>'],
    mergeSystem: true,
  },
  phi3: {
    label: 'Phi-3',
    source:
      "{% for m in messages %}{{ '<|' + m.role + '|>\\n' + m.content + '<|end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}",
    stop: ['<|end|>', '<|user|>'],
    mergeSystem: false,
  },
  phi4: {
    // ChatML's markers, with <|im_sep|> between the role and the text instead of a line break.
    label: 'Phi-4',
    source:
      "{% for m in messages %}{{ '<|im_start|>' + m.role + '<|im_sep|>' + m.content + '<|im_end|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant<|im_sep|>' }}{% endif %}",
    stop: ['<|im_end|>', '<|im_start|>'],
    mergeSystem: false,
  },
  plain: {
    label: 'Plain text',
    source:
      "{% for m in messages %}{% if m.role == 'system' %}{{ m.content + '\\n\\n' }}{% elif m.role == 'user' %}{{ 'Question: ' + m.content + '\\n' }}{% else %}{{ 'Answer: ' + m.content + '\\n\\n' }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ 'Answer:' }}{% endif %}",
    stop: ['\nQuestion:'],
    mergeSystem: false,
  },
};

/** A best guess from the model's file name, for servers that do not report a template. */
export function guessTemplate(modelName: string): BuiltinTemplateId {
  const name = modelName.toLowerCase();
  if (/llama[-_ ]?3|meta-llama-3/.test(name)) return 'llama3';
  if (/mistral|mixtral/.test(name)) return 'mistral';
  if (/gemma/.test(name)) return 'gemma';
  if (/phi[-_ ]?4/.test(name)) return 'phi4';
  if (/phi[-_ ]?3/.test(name)) return 'phi3';
  return 'chatml';
}

/** For templates without a system role: the system text opens the first question. */
export function mergeSystemIntoFirstUser(messages: ChatMessage[]): ChatMessage[] {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const rest = messages.filter((m) => m.role !== 'system');
  if (!system) return rest;
  const firstUser = rest.findIndex((m) => m.role === 'user');
  if (firstUser === -1) return [{ role: 'user', content: system }, ...rest];
  return rest.map((m, i) => (i === firstUser ? { ...m, content: `${system}\n\n${m.content}` } : m));
}

/**
 * Renders messages with a Jinja chat template. The start-of-text token is left out on
 * purpose: the server adds it when it tokenises the prompt, and a second one confuses models.
 * The end-of-text token is the model's own (from /props): templates close earlier assistant
 * turns with it (Mistral's `</s>`), and an empty one runs those turns into the next.
 */
export function renderJinja(source: string, messages: ChatMessage[], eosToken = ''): string {
  return new Template(source).render({ messages, add_generation_prompt: true, bos_token: '', eos_token: eosToken });
}

export function renderBuiltin(id: BuiltinTemplateId, messages: ChatMessage[]): { prompt: string; stop: string[] } {
  const template = BUILTIN_TEMPLATES[id];
  const prepared = template.mergeSystem ? mergeSystemIntoFirstUser(messages) : messages;
  return { prompt: renderJinja(template.source, prepared), stop: template.stop };
}

/** End-of-turn markers that appear in a rendered prompt: the answer must stop at the next one. */
export function stopStringsFor(prompt: string): string[] {
  const markers = Object.values(BUILTIN_TEMPLATES)
    .filter((t) => t !== BUILTIN_TEMPLATES.plain)
    .flatMap((t) => t.stop)
    .filter((marker) => marker.startsWith('<') && prompt.includes(marker));
  return [...new Set(markers)];
}
