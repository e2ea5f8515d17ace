import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel, CHATML_TEMPLATE, TEST_MODEL, writeTestModel } from '../support/test-model';

// An independent GGUF reader, so the writer is checked against the format
// rather than against itself.
type Meta = number | bigint | boolean | string | Meta[];

interface TensorInfo {
  name: string;
  dims: number[];
  type: number;
  offset: number;
}

interface Gguf {
  version: number;
  metadata: Map<string, Meta>;
  tensors: TensorInfo[];
  dataStart: number;
}

function parseGguf(buf: Buffer): Gguf {
  let pos = 0;
  const u32 = (): number => {
    const v = buf.readUInt32LE(pos);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    const v = Number(buf.readBigUInt64LE(pos));
    pos += 8;
    return v;
  };
  const string = (): string => {
    const n = u64();
    const s = buf.toString('utf8', pos, pos + n);
    pos += n;
    return s;
  };
  const value = (type: number): Meta => {
    switch (type) {
      case 0:
        return buf.readUInt8(pos++);
      case 1:
        return buf.readInt8(pos++);
      case 4:
        return u32();
      case 5: {
        const v = buf.readInt32LE(pos);
        pos += 4;
        return v;
      }
      case 6: {
        const v = buf.readFloatLE(pos);
        pos += 4;
        return v;
      }
      case 7:
        return buf.readUInt8(pos++) !== 0;
      case 8:
        return string();
      case 9: {
        const itemType = u32();
        const n = u64();
        return Array.from({ length: n }, () => value(itemType));
      }
      case 10:
        return buf.readBigUInt64LE((pos += 8) - 8);
      default:
        throw new Error(`unexpected GGUF value type ${type} at ${pos}`);
    }
  };

  expect(buf.toString('ascii', 0, 4)).toBe('GGUF');
  pos = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, Meta>();
  for (let i = 0; i < kvCount; i++) {
    const key = string();
    metadata.set(key, value(u32()));
  }
  const tensors: TensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = string();
    const nDims = u32();
    const dims = Array.from({ length: nDims }, () => u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const alignment = Number(metadata.get('general.alignment') ?? 32);
  const dataStart = Math.ceil(pos / alignment) * alignment;
  return { version, metadata, tensors, dataStart };
}

describe('generated test model', () => {
  let dir: string;
  let file: Buffer;
  let gguf: Gguf;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'memory-cache-model-'));
    const path = join(dir, 'nested', 'test-model.gguf');
    await writeTestModel(path);
    file = await readFile(path);
    gguf = parseGguf(file);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is GGUF v3, small, and the same bytes every time', () => {
    expect(gguf.version).toBe(3);
    expect(file.length).toBeGreaterThan(100_000);
    // Under 2 MB: generated in a blink on every test run.
    expect(file.length).toBeLessThan(2_000_000);
    expect(buildTestModel().equals(file)).toBe(true);
  });

  it('describes a tiny llama with a long enough context', () => {
    const m = gguf.metadata;
    expect(m.get('general.architecture')).toBe('llama');
    expect(m.get('general.alignment')).toBe(32);
    expect(m.get('llama.context_length')).toBeGreaterThanOrEqual(4096);
    expect(m.get('llama.embedding_length')).toBe(TEST_MODEL.embeddingLength);
    expect(m.get('llama.block_count')).toBe(TEST_MODEL.blockCount);
    expect(m.get('llama.attention.head_count')).toBe(TEST_MODEL.headCount);
    expect(m.get('tokenizer.chat_template')).toBe(CHATML_TEMPLATE);
  });

  it('has a SentencePiece vocabulary with byte fallback', () => {
    const m = gguf.metadata;
    expect(m.get('tokenizer.ggml.model')).toBe('llama');
    const tokens = m.get('tokenizer.ggml.tokens') as string[];
    const types = m.get('tokenizer.ggml.token_type') as number[];
    const scores = m.get('tokenizer.ggml.scores') as number[];
    expect(types).toHaveLength(tokens.length);
    expect(scores).toHaveLength(tokens.length);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(m.get('llama.vocab_size')).toBe(tokens.length);

    expect(tokens[TEST_MODEL.unkId]).toBe('<unk>');
    expect(tokens[TEST_MODEL.bosId]).toBe('<s>');
    expect(tokens[TEST_MODEL.eosId]).toBe('</s>');
    expect(m.get('tokenizer.ggml.bos_token_id')).toBe(TEST_MODEL.bosId);
    expect(m.get('tokenizer.ggml.eos_token_id')).toBe(TEST_MODEL.eosId);
    expect(m.get('tokenizer.ggml.unknown_token_id')).toBe(TEST_MODEL.unkId);
    for (let b = 0; b < 256; b++) {
      const id = TEST_MODEL.firstByteId + b;
      expect(tokens[id]).toBe(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      expect(types[id]).toBe(6);
    }
    expect(tokens[TEST_MODEL.imStartId]).toBe('<|im_start|>');
    expect(tokens[TEST_MODEL.imEndId]).toBe('<|im_end|>');
    expect(tokens).toContain('\u2581Hello');
    expect(tokens).toContain('\u2581world');
  });

  it('lays out llama tensors, aligned, filling the file exactly', () => {
    const { tensors, dataStart } = gguf;
    const vocab = (gguf.metadata.get('tokenizer.ggml.tokens') as string[]).length;
    const byName = new Map(tensors.map((t) => [t.name, t]));
    expect(byName.get('token_embd.weight')?.dims).toEqual([TEST_MODEL.embeddingLength, vocab]);
    expect(byName.get('output.weight')?.dims).toEqual([TEST_MODEL.embeddingLength, vocab]);
    for (let i = 0; i < TEST_MODEL.blockCount; i++) {
      expect(byName.get(`blk.${i}.ffn_down.weight`)?.dims).toEqual([
        TEST_MODEL.feedForwardLength,
        TEST_MODEL.embeddingLength,
      ]);
    }
    expect(tensors).toHaveLength(3 + 9 * TEST_MODEL.blockCount);

    expect(dataStart % 32).toBe(0);
    let end = 0;
    for (const t of tensors) {
      expect(t.type).toBe(0); // F32
      expect(t.offset % 32).toBe(0);
      expect(t.offset).toBeGreaterThanOrEqual(end);
      end = t.offset + 4 * t.dims.reduce((a, b) => a * b, 1);
    }
    expect(dataStart + end).toBe(file.length);

    // Norm weights are ones; the rest must be finite, non-degenerate noise.
    const norm = byName.get('output_norm.weight');
    expect(norm && file.readFloatLE(dataStart + norm.offset)).toBe(1);
    const embd = byName.get('token_embd.weight');
    const first = embd ? file.readFloatLE(dataStart + embd.offset) : NaN;
    const second = embd ? file.readFloatLE(dataStart + embd.offset + 4) : NaN;
    expect(Number.isFinite(first) && first !== second).toBe(true);
  });
});
