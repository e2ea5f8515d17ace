// A tiny llama-architecture GGUF model for tests: random weights, so its text
// is gibberish, but llama-server loads it, tokenizes, templates and generates
// with it like with a real model, in a fraction of a second and without any
// download. Generated rather than committed, so the format is documented here
// and the file is reproducible byte for byte (fixed-seed PRNG, no timestamps).
//
// Format reference: GGUF v3 (ggml/docs/gguf.md in llama.cpp).

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Facts about the generated model that tests may rely on. */
export const TEST_MODEL = {
  name: 'memory-cache-test-model',
  // Longer than any test needs, so a test can ask for a long answer.
  contextLength: 32768,
  // Big enough that a long answer takes seconds to generate (Stop must have something to
  // stop), small enough to generate in well under a second.
  embeddingLength: 128,
  blockCount: 2,
  headCount: 4,
  feedForwardLength: 256,
  unkId: 0,
  bosId: 1,
  eosId: 2,
  /** Id of `<0x00>`; byte b is token `firstByteId + b`. */
  firstByteId: 3,
  imStartId: 259,
  imEndId: 260,
} as const;

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// GGUF metadata value types. (Plain objects, not enums, so the file stays
// plain type-strippable TypeScript.)
const ValueType = {
  Uint32: 4,
  Int32: 5,
  Float32: 6,
  Bool: 7,
  String: 8,
  Array: 9,
} as const;
type ValueTypes = typeof ValueType;

// ggml tensor types.
const GGML_TYPE_F32 = 0;
// LLAMA_FTYPE_ALL_F32
const FILE_TYPE_ALL_F32 = 0;
const ALIGNMENT = 32;

// SentencePiece token types as llama.cpp reads them.
const TokenType = {
  Normal: 1,
  Unknown: 2,
  Control: 3,
  Byte: 6,
} as const;
type TokenTypeValue = (typeof TokenType)[keyof typeof TokenType];

type Value =
  | {
      type: ValueTypes['Uint32'] | ValueTypes['Int32'] | ValueTypes['Float32'];
      value: number;
    }
  | { type: ValueTypes['Bool']; value: boolean }
  | { type: ValueTypes['String']; value: string }
  | { type: ValueTypes['Array']; itemType: ValueTypes['String']; value: readonly string[] }
  | {
      type: ValueTypes['Array'];
      itemType: ValueTypes['Int32'] | ValueTypes['Float32'];
      value: readonly number[];
    };

const u32 = (value: number): Value => ({ type: ValueType.Uint32, value });
const f32 = (value: number): Value => ({ type: ValueType.Float32, value });
const str = (value: string): Value => ({ type: ValueType.String, value });

/** Little-endian byte sink; GGUF is little-endian throughout. */
class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  bytes(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.bytes(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.bytes(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.bytes(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.bytes(b);
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.bytes(b);
  }
  padTo(alignment: number): void {
    const rem = this.length % alignment;
    if (rem !== 0) this.bytes(Buffer.alloc(alignment - rem));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeValue(w: ByteWriter, v: Value): void {
  w.u32(v.type);
  switch (v.type) {
    case ValueType.Uint32:
      return w.u32(v.value);
    case ValueType.Int32:
      return w.i32(v.value);
    case ValueType.Float32:
      return w.f32(v.value);
    case ValueType.Bool:
      return w.bytes(Buffer.from([v.value ? 1 : 0]));
    case ValueType.String:
      return w.string(v.value);
    case ValueType.Array:
      w.u32(v.itemType);
      w.u64(v.value.length);
      if (v.itemType === ValueType.String) {
        for (const s of v.value) w.string(s);
      } else {
        const put = v.itemType === ValueType.Int32 ? w.i32.bind(w) : w.f32.bind(w);
        for (const n of v.value) put(n);
      }
  }
}

/** mulberry32: tiny, fast, and the same on every platform and Node version. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
}

// Words in the test prompts, so they tokenize to a few whole pieces rather
// than to single characters.
const WORDS = [
  'the', 'a', 'and', 'is', 'of', 'to', 'in', 'it', 'you', 'I', 'what', 'how',
  'Hello', 'hello', 'world', 'Hi', 'cache', 'memory', 'document', 'question',
  'answer', 'page', 'PDF', 'file', 'user', 'assistant', 'system',
];

function buildVocab(): Vocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const add = (piece: string, type: TokenTypeValue, score = 0): void => {
    if (tokens.includes(piece)) return;
    tokens.push(piece);
    scores.push(score);
    types.push(type);
  };

  add('<unk>', TokenType.Unknown);
  add('<s>', TokenType.Control);
  add('</s>', TokenType.Control);
  // Byte fallback: any text the pieces below cannot cover still tokenizes.
  for (let b = 0; b < 256; b++) {
    add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, TokenType.Byte);
  }
  // ChatML markers as single control tokens, as in real ChatML models.
  add('<|im_start|>', TokenType.Control);
  add('<|im_end|>', TokenType.Control);

  // SentencePiece marks a preceding space with U+2581 and merges the
  // adjacent pair whose union has the highest score; longer pieces score
  // higher so that merging runs all the way to whole words.
  add('\u2581', TokenType.Normal, -1000);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c), TokenType.Normal, -1000);
  for (const word of WORDS) {
    const piece = `\u2581${word}`;
    // Every prefix must be a piece too: merges only join two existing pieces.
    for (let end = 2; end <= piece.length; end++) {
      add(piece.slice(0, end), TokenType.Normal, -1000 + end);
    }
  }
  return { tokens, scores, types };
}

interface Tensor {
  name: string;
  /** ggml order: ne[0] is the innermost (contiguous) dimension. */
  dims: number[];
  data: Float32Array;
}

function buildTensors(vocabSize: number): Tensor[] {
  const { embeddingLength: nEmbd, feedForwardLength: nFf, blockCount } = TEST_MODEL;
  const rand = prng(0x6d656d63); // "memc"
  const random = (name: string, dims: number[], scale: number): Tensor => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = (rand() * 2 - 1) * scale;
    return { name, dims, data };
  };
  // Norm weights of one keep activations at a sane scale; random ones could
  // make the logits overflow and the sampler see NaNs.
  const ones = (name: string, n: number): Tensor => ({
    name,
    dims: [n],
    data: new Float32Array(n).fill(1),
  });
  const w = 1 / Math.sqrt(nEmbd);

  const output = random('output.weight', [nEmbd, vocabSize], w);
  // Zero logits for the tokens that end a turn, far below the best random logit: the model
  // never stops by itself, so an answer always runs to its token limit, as long as asked.
  for (const id of [TEST_MODEL.unkId, TEST_MODEL.bosId, TEST_MODEL.eosId, TEST_MODEL.imStartId, TEST_MODEL.imEndId]) {
    output.data.fill(0, id * nEmbd, (id + 1) * nEmbd);
  }
  const tensors: Tensor[] = [random('token_embd.weight', [nEmbd, vocabSize], 1), ones('output_norm.weight', nEmbd), output];
  for (let i = 0; i < blockCount; i++) {
    const p = `blk.${i}.`;
    tensors.push(
      ones(`${p}attn_norm.weight`, nEmbd),
      random(`${p}attn_q.weight`, [nEmbd, nEmbd], w),
      random(`${p}attn_k.weight`, [nEmbd, nEmbd], w),
      random(`${p}attn_v.weight`, [nEmbd, nEmbd], w),
      random(`${p}attn_output.weight`, [nEmbd, nEmbd], w),
      ones(`${p}ffn_norm.weight`, nEmbd),
      random(`${p}ffn_gate.weight`, [nEmbd, nFf], w),
      random(`${p}ffn_up.weight`, [nEmbd, nFf], w),
      random(`${p}ffn_down.weight`, [nFf, nEmbd], 1 / Math.sqrt(nFf)),
    );
  }
  return tensors;
}

/** The whole model file, deterministic. */
export function buildTestModel(): Buffer {
  const vocab = buildVocab();
  const tensors = buildTensors(vocab.tokens.length);
  const m = TEST_MODEL;

  const metadata: [string, Value][] = [
    ['general.architecture', str('llama')],
    ['general.name', str(m.name)],
    ['general.file_type', u32(FILE_TYPE_ALL_F32)],
    ['general.alignment', u32(ALIGNMENT)],
    ['llama.context_length', u32(m.contextLength)],
    ['llama.embedding_length', u32(m.embeddingLength)],
    ['llama.block_count', u32(m.blockCount)],
    ['llama.feed_forward_length', u32(m.feedForwardLength)],
    ['llama.attention.head_count', u32(m.headCount)],
    ['llama.attention.head_count_kv', u32(m.headCount)],
    ['llama.rope.dimension_count', u32(m.embeddingLength / m.headCount)],
    ['llama.attention.layer_norm_rms_epsilon', f32(1e-5)],
    ['llama.vocab_size', u32(vocab.tokens.length)],
    ['tokenizer.ggml.model', str('llama')],
    [
      'tokenizer.ggml.tokens',
      { type: ValueType.Array, itemType: ValueType.String, value: vocab.tokens },
    ],
    [
      'tokenizer.ggml.scores',
      { type: ValueType.Array, itemType: ValueType.Float32, value: vocab.scores },
    ],
    [
      'tokenizer.ggml.token_type',
      { type: ValueType.Array, itemType: ValueType.Int32, value: vocab.types },
    ],
    ['tokenizer.ggml.unknown_token_id', u32(m.unkId)],
    ['tokenizer.ggml.bos_token_id', u32(m.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(m.eosId)],
    ['tokenizer.ggml.add_bos_token', { type: ValueType.Bool, value: true }],
    ['tokenizer.ggml.add_eos_token', { type: ValueType.Bool, value: false }],
    ['tokenizer.chat_template', str(CHATML_TEMPLATE)],
  ];

  const w = new ByteWriter();
  w.bytes(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, value] of metadata) {
    w.string(key);
    writeValue(w, value);
  }

  // Offsets are relative to the start of the data section, each aligned.
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    offset = Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
    offsets.push(offset);
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_TYPE_F32);
    w.u64(offset);
    offset += t.data.byteLength;
  }

  w.padTo(ALIGNMENT);
  const dataStart = w.length;
  tensors.forEach((t, i) => {
    const pad = dataStart + (offsets[i] ?? 0) - w.length;
    if (pad > 0) w.bytes(Buffer.alloc(pad));
    // Float32Array is host-endian; write through DataView to be sure of LE.
    const bytes = Buffer.alloc(t.data.byteLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    t.data.forEach((v, j) => view.setFloat32(j * 4, v, true));
    w.bytes(bytes);
  });
  return w.toBuffer();
}

/**
 * Writes the model to `path`, creating its folder. Written to a temporary
 * name and renamed, so parallel test workers never load a half-written file.
 */
export async function writeTestModel(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, buildTestModel());
  await rename(tmp, path);
}
