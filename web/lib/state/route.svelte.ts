import { parseViewerRoute, viewerHash, type ViewerRoute } from '../viewer-route';

/** The current route as reactive state, and the moves between views. */
export class Router {
  hash = $state(typeof location === 'undefined' ? '' : location.hash);
  /** True while the open viewer was opened from within the page (not by a pasted link). */
  private openedHere = false;
  readonly viewer = $derived(parseViewerRoute(this.hash));

  start(): () => void {
    const update = () => {
      const wasViewing = this.viewer !== null;
      this.hash = location.hash;
      // A citation link or a search result opened the viewer from within the page.
      if (this.viewer !== null && !wasViewing) this.openedHere = true;
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }

  open(route: ViewerRoute): void {
    location.hash = viewerHash(route);
  }

  /** Moves within the open viewer without adding a history entry per page. */
  replace(route: ViewerRoute): void {
    history.replaceState(history.state, '', viewerHash(route));
    this.hash = location.hash;
  }

  /** Goes back when the viewer was opened from this page, so the Back button and Close agree. */
  closeViewer(): void {
    if (this.openedHere) history.back();
    else location.hash = '#/';
    this.openedHere = false;
  }
}
