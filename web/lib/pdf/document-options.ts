/**
 * How every PDF is opened, on the page (the viewer) and in the import workers: pdf.js's data
 * files (CJK cMaps, the standard fonts, image decoders) from beside the app, and nothing
 * run that a document brings.
 */
export function documentOptions(assetBase: string) {
  const asset = (name: string) => new URL(`pdfjs/${name}/`, assetBase).href;
  return {
    cMapUrl: asset('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: asset('standard_fonts'),
    wasmUrl: asset('wasm'),
    iccUrl: asset('iccs'),
    // Documents are untrusted input: never let pdf.js compile code from them.
    isEvalSupported: false,
    enableXfa: false,
    stopAtErrors: false,
  };
}
