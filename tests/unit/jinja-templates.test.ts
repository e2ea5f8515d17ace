import { describe, expect, it } from 'vitest';
import { renderJinja } from '../../web/lib/prompt/templates';
import { PromptBuilder, type PromptServer } from '../../web/lib/chat/prepare';
import { DEFAULT_CHAT_SETTINGS } from '../../web/lib/chat/settings';
import type { ChatMessage } from '../../web/lib/server/client';

/**
 * Chat templates in the form models ship them (tokenizer_config.json's chat_template, which
 * llama-server reports in /props): written here after the published Llama 3.1, Qwen2.5,
 * Gemma 2 and Mistral templates, with the constructs they rely on (bos_token and eos_token,
 * set and slicing, namespace-free loops with loop.first and loop.index0, filters, and
 * raise_exception), each rendered by the app's Jinja engine and compared with the prompt the
 * model's documentation gives for the same conversation.
 */

const LLAMA_31 = `{{- bos_token }}
{%- if not date_string is defined %}{%- set date_string = "26 Jul 2024" %}{%- endif %}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{{- "Cutting Knowledge Date: December 2023\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{{- system_message }}
{{- "<|eot_id|>" }}
{%- for message in messages %}
    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}`;

const QWEN_25 = `{%- if messages[0]['role'] == 'system' %}
    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
{%- else %}
    {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant") %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}`;

const GEMMA_2 =
  "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}" +
  "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
  "{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}" +
  "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}";

const MISTRAL =
  "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
  "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}" +
  "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

const conversation: ChatMessage[] = [
  { role: 'system', content: 'Answer from the passages.' },
  { role: 'user', content: 'What do starfish eat?' },
  { role: 'assistant', content: 'Mussels [1].' },
  { role: 'user', content: 'How many?' },
];
const withoutSystem = conversation.slice(1);

describe('real-world chat templates through the Jinja engine', () => {
  it('Llama 3.1: the system turn with its dates, trimmed turns, no start token (the server adds it)', () => {
    expect(renderJinja(LLAMA_31, conversation, '<|eot_id|>')).toBe(
      '<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nAnswer from the passages.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nWhat do starfish eat?<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nMussels [1].<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHow many?<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  it('Qwen2.5: the given system prompt, or its own default without one', () => {
    expect(renderJinja(QWEN_25, conversation.slice(0, 2), '<|im_end|>')).toBe(
      '<|im_start|>system\nAnswer from the passages.<|im_end|>\n<|im_start|>user\nWhat do starfish eat?<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(renderJinja(QWEN_25, withoutSystem.slice(0, 1))).toBe(
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat do starfish eat?<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('Gemma 2: refuses a system role with its own message; renders the turns as user and model', () => {
    expect(() => renderJinja(GEMMA_2, conversation)).toThrow('System role not supported');
    expect(renderJinja(GEMMA_2, withoutSystem, '<eos>')).toBe(
      '<start_of_turn>user\nWhat do starfish eat?<end_of_turn>\n<start_of_turn>model\nMussels [1].<end_of_turn>\n<start_of_turn>user\nHow many?<end_of_turn>\n<start_of_turn>model\n',
    );
  });

  it("Mistral: earlier answers closed by the model's end token, as /props reports it", () => {
    expect(renderJinja(MISTRAL, withoutSystem, '</s>')).toBe('[INST] What do starfish eat? [/INST]Mussels [1].</s>[INST] How many? [/INST]');
    expect(() => renderJinja(MISTRAL, conversation, '</s>')).toThrow('Conversation roles must alternate');
  });
});

describe("a model's own template that refuses a system role", () => {
  const server: PromptServer = {
    countTokens: async (text) => text.length,
    countTokensEach: async (texts) => texts.map((t) => t.length),
    applyTemplate: async () => null,
  };

  it.each([
    ['Gemma 2', GEMMA_2, '<start_of_turn>user\n'],
    ['Mistral', MISTRAL, '[INST] '],
  ])('%s is still used, with the system prompt opening the first question', async (_name, template, opening) => {
    const prepared = await new PromptBuilder(server).prepare({
      question: 'What do starfish eat?',
      history: [],
      candidates: [],
      settings: DEFAULT_CHAT_SETTINGS,
      server: { model: 'model.gguf', contextSize: 4096, chatTemplate: template, modern: true, eosToken: '</s>' },
    });
    expect(prepared.templateSource).toBe('model');
    expect(prepared.prompt.startsWith(`${opening}${DEFAULT_CHAT_SETTINGS.systemPrompt}`)).toBe(true);
    expect(prepared.prompt).toContain('What do starfish eat?');
  });
});
