/**
 * An attachment that moves the keyboard focus to an element as it appears: for controls that
 * replace the one just pressed (Delete → Really delete, Rename → the name field), so the focus
 * does not fall back to the page.
 */
export function focusOnAppear(element: HTMLElement): void {
  element.focus();
}
