import { ServerError, serverErrorFromResponse } from './errors';
import { completionEvents, type StreamEvent } from './stream';
import { countsFromPieces, hasPiece } from './token-pieces';

/**
 * All talk with the model server that serves this page (a llamafile, or llama-server).
 * URLs are relative to the page, so the app works wherever it is mounted. The differences
 * between llamafile 0.9 and llama-server (0.10) stay in here and in stream.ts.
 */

export interface ServerInfo {
  model: string;
  contextSize: number | null;
  /** The model's chat template (llama-server only; llamafile 0.9 does not report it). */
  chatTemplate: string | null;
  /** llama-server has `/apply-template`; llamafile 0.9 does not. */
  modern: boolean;
  /** The text of the model's end-of-text token, where the server says (llama-server); templates use it. */
  eosToken?: string;
}

export type ServerStatus =
  | { state: 'checking' }
  | { state: 'connected'; info: ServerInfo }
  | { state: 'loading' }
  /** The server answers, but wants an API key this page does not have (or has wrong). */
  | { state: 'needs-key' }
  | { state: 'unreachable'; reason: string };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  prompt: string;
  n_predict: number;
  temperature: number;
  top_p: number;
  stop: string[];
  /** Reuse the longest common prefix with the slot's previous prompt (0.9 defaults to false). */
  cache_prompt: true;
  stream: true;
}

export function serverUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

interface PropsResponse {
  model_path?: string;
  model_alias?: string;
  chat_template?: string;
  eos_token?: string;
  build_info?: string;
  default_generation_settings?: { model?: string; n_ctx?: number };
}

function modelName(props: PropsResponse): string {
  const path = props.model_alias ?? props.model_path ?? props.default_generation_settings?.model ?? 'unknown model';
  return path.split(/[\\/]/).pop() ?? path;
}

export class ServerClient {
  /** The server's `--api-key`, sent as a bearer token. */
  apiKey = '';
  /** null until the first attempt tells whether `/apply-template` exists. */
  private applyTemplateSupported: boolean | null = null;
  /** null until the first attempt tells whether `/tokenize` sends each token's text. */
  private piecesSupported: boolean | null = null;

  private headers(json = false): HeadersInit {
    const headers: Record<string, string> = {};
    if (json) headers['Content-Type'] = 'application/json';
    if (this.apiKey) headers.Authorization = `Bearer ${this.apiKey}`;
    return headers;
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(serverUrl(path), { cache: 'no-store', ...init, headers: this.headers(init.body !== undefined) });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ServerError('unreachable', 'no model server answers');
    }
    if (!response.ok) throw await serverErrorFromResponse(response);
    return response;
  }

  private async postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.request(path, { method: 'POST', body: JSON.stringify(body), signal });
    return (await response.json()) as T;
  }

  async status(signal?: AbortSignal): Promise<ServerStatus> {
    let health: Response;
    try {
      health = await fetch(serverUrl('health'), { signal, cache: 'no-store', headers: this.headers() });
    } catch {
      return { state: 'unreachable', reason: 'no server answers' };
    }
    if (health.status === 503) return { state: 'loading' };
    if (!health.ok) return { state: 'unreachable', reason: health.status === 404 ? 'the page is served without one' : `the server answered ${health.status}` };
    try {
      const props = (await (await this.request('props', { signal })).json()) as PropsResponse;
      const modern = props.chat_template !== undefined || props.build_info !== undefined || props.model_path !== undefined;
      return {
        state: 'connected',
        info: { model: modelName(props), contextSize: props.default_generation_settings?.n_ctx ?? null, chatTemplate: props.chat_template ?? null, modern, eosToken: props.eos_token },
      };
    } catch (error) {
      if (error instanceof ServerError && error.kind === 'auth') return { state: 'needs-key' };
      return { state: 'connected', info: { model: 'unknown model', contextSize: null, chatTemplate: null, modern: false } };
    }
  }

  /** Exact token count of a text, as the model will see it (without the start token). */
  async countTokens(text: string, signal?: AbortSignal): Promise<number> {
    const { tokens } = await this.postJson<{ tokens: unknown[] }>('tokenize', { content: text, add_special: false }, signal);
    return tokens.length;
  }

  /**
   * Token counts of texts that will stand one after another in a prompt: in one request
   * where the server tells each token's text (llama-server), else one request per text.
   */
  async countTokensEach(texts: string[], signal?: AbortSignal): Promise<number[]> {
    if (texts.length === 0) return [];
    if (texts.length > 1 && this.piecesSupported !== false) {
      const { tokens } = await this.postJson<{ tokens: unknown[] }>('tokenize', { content: texts.join(''), add_special: false, with_pieces: true }, signal);
      // Ids without pieces: a server that ignores with_pieces (llamafile 0.9), for good. Pieces
      // that do not spell the texts: this once, one request per text.
      this.piecesSupported = tokens.every(hasPiece);
      const counts = countsFromPieces(tokens, texts);
      if (counts !== null) return counts;
    }
    const counts: number[] = [];
    // One at a time: llama-server has few HTTP threads, and a burst can leave one waiting seconds.
    for (const text of texts) counts.push(await this.countTokens(text, signal));
    return counts;
  }

  /** The prompt for these messages in the model's own template, or null where the server cannot say. */
  async applyTemplate(messages: ChatMessage[], signal?: AbortSignal): Promise<string | null> {
    if (this.applyTemplateSupported === false) return null;
    try {
      const { prompt } = await this.postJson<{ prompt: string }>('apply-template', { messages }, signal);
      this.applyTemplateSupported = true;
      return prompt;
    } catch (error) {
      // llamafile 0.9 has no such route: 404 (its body says "File Not Found").
      if (error instanceof ServerError && (error.status === 404 || error.status === 405)) {
        this.applyTemplateSupported = false;
        return null;
      }
      throw error;
    }
  }

  /** Streams a completion. Aborting the signal closes the connection, which stops the server's generation. */
  async *complete(request: CompletionRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
    const response = await this.request('completion', { method: 'POST', body: JSON.stringify(request), signal });
    if (!response.body) throw new ServerError('malformed', 'the server sent no answer body');
    yield* completionEvents(response.body);
  }
}
