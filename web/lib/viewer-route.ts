/**
 * Hash routing: no server that serves this app rewrites paths, so the location after '#'
 * carries the view. `#/doc/<id>?page=3&terms=a,b&chunk=<chunk id>` opens the viewer.
 */

export interface ViewerRoute {
  docId: string;
  page: number;
  terms: string[];
  chunkId: string | null;
}

export function parseViewerRoute(hash: string): ViewerRoute | null {
  const match = /^#\/doc\/([0-9a-f]{64})(?:\?(.*))?$/.exec(hash);
  if (!match) return null;
  const params = new URLSearchParams(match[2] ?? '');
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  const terms = (params.get('terms') ?? '').split(',').filter((t) => t.length > 0);
  return { docId: match[1], page: Number.isFinite(page) && page > 0 ? page : 1, terms, chunkId: params.get('chunk') };
}

export function viewerHash(route: ViewerRoute): string {
  const params = new URLSearchParams({ page: String(route.page) });
  if (route.terms.length > 0) params.set('terms', route.terms.join(','));
  if (route.chunkId) params.set('chunk', route.chunkId);
  return `#/doc/${route.docId}?${params.toString()}`;
}
