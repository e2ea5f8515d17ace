/**
 * Every way a request to the model server can fail, in one shape. The two server
 * generations report errors differently (llamafile 0.9: text/plain bodies, some overwritten
 * with a generic phrase, and `error:` lines in a stream; llama-server: JSON `{error:{...}}`
 * bodies and `data: {"error":...}` lines), and the rest of the app should not care which.
 */

export type ServerErrorKind =
  /** The prompt does not fit the context window. */
  | 'context'
  /** The API key is missing or wrong. */
  | 'auth'
  /** The server is still loading the model. */
  | 'loading'
  /** No server answered at all. */
  | 'unreachable'
  /** The stream ended before the server said it was done (server killed, network cut). */
  | 'cut-off'
  /** The server sent something that is not its protocol. */
  | 'malformed'
  | 'other';

export class ServerError extends Error {
  constructor(
    readonly kind: ServerErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly promptTokens: number | null = null,
    readonly contextSize: number | null = null,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

interface ErrorPayload {
  code?: number;
  message?: string;
  type?: string;
  n_prompt_tokens?: number;
  n_ctx?: number;
  content?: string;
}

const CONTEXT_WORDS = /context|exceed|too long|n_ctx/i;

/** Builds the error from a parsed error object (`{error:{...}}` or 0.9's `{content}`), or plain text. */
export function serverErrorFrom(payload: ErrorPayload | string, status: number | null): ServerError {
  const message = typeof payload === 'string' ? payload.trim() : (payload.message ?? payload.content ?? '').trim();
  const type = typeof payload === 'string' ? '' : (payload.type ?? '');
  if (type === 'exceed_context_size_error' || (status === 400 && CONTEXT_WORDS.test(message))) {
    const p = typeof payload === 'string' ? {} : payload;
    return new ServerError('context', message || 'the prompt does not fit the context window', status, p.n_prompt_tokens ?? null, p.n_ctx ?? null);
  }
  if (status === 401 || type === 'authentication_error') return new ServerError('auth', 'the server needs an API key (set it in Settings), or the key is wrong', status);
  if (status === 503 || type === 'unavailable_error') return new ServerError('loading', 'the server is still loading the model', status);
  return new ServerError('other', message || `the server answered ${status ?? 'with an error'}`, status);
}

/** Reads the error out of a failed response, whichever generation sent it. */
export async function serverErrorFromResponse(response: Response): Promise<ServerError> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: ErrorPayload | string } & ErrorPayload;
    const payload = parsed.error ?? parsed;
    return serverErrorFrom(payload, response.status);
  } catch {
    return serverErrorFrom(text, response.status);
  }
}
