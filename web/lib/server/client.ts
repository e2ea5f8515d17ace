/**
 * Talks to the model server that serves this page (llamafile or llama-server). URLs are
 * relative to the page, so the app works wherever it is mounted.
 */

export type ServerStatus =
  | { state: 'checking' }
  | { state: 'connected'; model: string; contextSize: number | null }
  | { state: 'loading' }
  | { state: 'unreachable'; reason: string };

export function serverUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

interface PropsResponse {
  model_path?: string;
  model_alias?: string;
  default_generation_settings?: { model?: string; n_ctx?: number };
}

function modelName(props: PropsResponse): string {
  const path = props.model_alias ?? props.model_path ?? props.default_generation_settings?.model ?? 'unknown model';
  return path.split(/[\\/]/).pop() ?? path;
}

export async function checkServer(signal?: AbortSignal): Promise<ServerStatus> {
  let health: Response;
  try {
    health = await fetch(serverUrl('health'), { signal, cache: 'no-store' });
  } catch {
    return { state: 'unreachable', reason: 'no server answers' };
  }
  if (health.status === 503) return { state: 'loading' };
  if (!health.ok) return { state: 'unreachable', reason: health.status === 404 ? 'the page is served without one' : `the server answered ${health.status}` };
  try {
    const response = await fetch(serverUrl('props'), { signal, cache: 'no-store' });
    if (!response.ok) return { state: 'connected', model: 'unknown model', contextSize: null };
    const props = (await response.json()) as PropsResponse;
    return { state: 'connected', model: modelName(props), contextSize: props.default_generation_settings?.n_ctx ?? null };
  } catch {
    return { state: 'connected', model: 'unknown model', contextSize: null };
  }
}
