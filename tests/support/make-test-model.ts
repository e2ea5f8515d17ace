// Writes the generated test model: `npx tsx tests/support/make-test-model.ts [OUT]`
// (default .cache/test-model.gguf, relative to the repository root).
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTestModel } from './test-model';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = resolve(process.argv[2] ?? resolve(repoRoot, '.cache/test-model.gguf'));
await writeTestModel(out);
const { size } = await stat(out);
console.log(`${out} (${size} bytes)`);
