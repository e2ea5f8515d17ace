/**
 * Token counts of several texts from one `/tokenize` of them joined, with `with_pieces`
 * (llama-server): each token is given to the text its first byte falls in. One request
 * instead of one per text is most of the time between Send and the answer's request.
 * A token that spans the join of two texts counts for the first. The prompt builder adds
 * such counts up for the whole prompt, with a few tokens to spare (see prepare.ts).
 */

interface TokenWithPiece {
  id: number;
  /** The token's text, or its bytes when they are not whole UTF-8 characters. */
  piece: string | number[];
}

export function hasPiece(token: unknown): token is TokenWithPiece {
  if (typeof token !== 'object' || token === null || !('piece' in token)) return false;
  const { piece } = token as { piece: unknown };
  return typeof piece === 'string' || Array.isArray(piece);
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair: one 4-byte character.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The most the pieces may outgrow the text: SentencePiece models put a space before the first word. */
const MAX_ADDED_BYTES = 2;

/**
 * Counts per text, or null when the tokens carry no pieces (llamafile 0.9 ignores
 * `with_pieces` and sends ids) or the pieces do not spell the texts' length.
 */
export function countsFromPieces(tokens: unknown[], texts: string[]): number[] | null {
  if (!tokens.every(hasPiece)) return null;
  const pieceBytes = tokens.map(({ piece }) => (typeof piece === 'string' ? utf8Length(piece) : piece.length));
  const ends: number[] = [];
  let textBytes = 0;
  for (const text of texts) ends.push((textBytes += utf8Length(text)));
  const added = pieceBytes.reduce((sum, n) => sum + n, 0) - textBytes;
  if (added < 0 || added > MAX_ADDED_BYTES) return null;
  const counts = texts.map(() => 0);
  let part = 0;
  // Bytes the tokeniser added come first, so each token's start in the texts is its offset less them.
  let offset = -added;
  pieceBytes.forEach((bytes) => {
    while (part < texts.length - 1 && offset >= ends[part]) part++;
    counts[part]++;
    offset += bytes;
  });
  return counts;
}
