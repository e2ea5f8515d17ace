import { tick } from 'svelte';

/**
 * An attachment that moves the keyboard focus to an element as it appears: for controls that
 * replace the one just pressed (Delete → Really delete, Rename → the name field), so the focus
 * does not fall back to the page.
 */
export function focusOnAppear(element: HTMLElement): void {
  element.focus();
}

/**
 * For a control that removes its list item: call before the removal, and the function it
 * gives after. The focus goes to the first button of the item now in its place (or of the
 * new last item), else to `fallback`, unless the person has moved it somewhere meanwhile.
 */
export function focusAfterRemoval(control: HTMLElement, fallback?: () => HTMLElement | undefined): () => Promise<void> {
  const item = control.closest('li');
  const list = item?.parentElement ?? null;
  const index = item && list ? [...list.children].indexOf(item) : 0;
  return async () => {
    await tick();
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const items = list ? [...list.children] : [];
    const next = items[Math.min(index, items.length - 1)];
    (next?.querySelector('button') ?? fallback?.())?.focus();
  };
}
