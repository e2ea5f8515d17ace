/** Settles when the signal aborts (never without one), so a wait can end on Stop or Cancel. */
export function whenAborted(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
}
