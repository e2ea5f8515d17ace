/**
 * Hands a file made in the page to the browser's downloads. The object URL lives on for a
 * minute: revoking it at once cancels the download in some browsers.
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
