/**
 * Asks the browser to confirm before the page is closed or reloaded while work is under way
 * (files being added, an answer arriving). Nothing is lost either way (see waiting-files and
 * markInterrupted), but the person may not have meant to stop it.
 */
export function warnBeforeLeaving(busy: () => boolean): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (busy()) event.preventDefault();
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  return () => window.removeEventListener('beforeunload', onBeforeUnload);
}
