import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerClient } from '../../web/lib/server/client';
import { countsFromPieces, utf8Length } from '../../web/lib/server/token-pieces';

describe('token counts from one tokenisation of joined texts', () => {
  it('gives each token to the text it starts in, with the space SentencePiece adds in front', () => {
    // What llama-server answered for "Hello wörld\n\n[1] ok" with a SentencePiece model.
    const tokens = [' He', 'll', 'o', ' w', [195], [182], 'r', 'ld', '\n', '\n', '[', '1', ']', ' o', 'k'].map((piece, id) => ({ id, piece }));
    expect(countsFromPieces(tokens, ['Hello wörld\n\n', '[1] ok'])).toEqual([10, 5]);
    // " w" spans the join of the first two: it counts for the first.
    expect(countsFromPieces(tokens, ['Hello ', 'wörld\n\n', '', '[1] ok'])).toEqual([4, 6, 0, 5]);
  });

  it('works without an added space (BPE models), and with characters outside the first plane', () => {
    const tokens = ['a', 'b', '😀', 'c'].map((piece, id) => ({ id, piece }));
    expect(countsFromPieces(tokens, ['ab', '😀c'])).toEqual([2, 2]);
    expect(utf8Length('😀é')).toBe(6);
  });

  it('declines ids without pieces (llamafile 0.9) and pieces that do not spell the texts', () => {
    expect(countsFromPieces([1, 2, 3], ['abc'])).toBeNull();
    expect(countsFromPieces([{ id: 1, piece: 'abcdefgh' }], ['abc'])).toBeNull();
    expect(countsFromPieces([{ id: 1, piece: 'a' }], ['abcdef'])).toBeNull();
  });
});

describe('ServerClient.countTokensEach', () => {
  /** A /tokenize that answers as llama-server (pieces) or as llamafile 0.9 (ids only), one token per character. */
  function tokenizer(withPieces: boolean): { bodies: { content: string; with_pieces?: boolean }[] } {
    const log = { bodies: [] as { content: string; with_pieces?: boolean }[] };
    vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:8080/' });
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { content: string; with_pieces?: boolean };
      log.bodies.push(body);
      const chars = Array.from(body.content);
      const tokens = withPieces && body.with_pieces ? chars.map((piece, id) => ({ id, piece })) : chars.map((_, id) => id);
      return new Response(JSON.stringify({ tokens }), { headers: { 'Content-Type': 'application/json' } });
    });
    return log;
  }

  afterEach(() => vi.unstubAllGlobals());

  it('asks llama-server once for all the texts', async () => {
    const log = tokenizer(true);
    const client = new ServerClient();
    expect(await client.countTokensEach(['abc', 'de', 'f'])).toEqual([3, 2, 1]);
    expect(log.bodies).toHaveLength(1);
  });

  it('learns that llamafile 0.9 sends no pieces, and counts each text by itself from then on', async () => {
    const log = tokenizer(false);
    const client = new ServerClient();
    expect(await client.countTokensEach(['abc', 'de', 'f'])).toEqual([3, 2, 1]);
    expect(log.bodies.map((b) => b.content)).toEqual(['abcdef', 'abc', 'de', 'f']);
    expect(await client.countTokensEach(['gh', 'i'])).toEqual([2, 1]);
    expect(log.bodies.map((b) => b.content).slice(4)).toEqual(['gh', 'i']);
  });
});
