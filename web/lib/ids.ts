/**
 * Random ids for records the app creates. crypto.randomUUID exists only on secure origins;
 * getRandomValues exists everywhere, including a llamafile opened over the LAN by plain http.
 */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
