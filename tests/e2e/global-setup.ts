import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startLlamaServer } from '../../embed/llama-server';
import { writeTestModel } from '../support/test-model';

/**
 * One real llama-server for the end-to-end tests, serving the built app with `--path dist`
 * the way a llamafile serves it from its zip, with the project's own generated tiny model
 * (or MEMORY_CACHE_TEST_MODEL, for readable output).
 */

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    modelPath: string;
  }
}

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export async function testModelPath(): Promise<string> {
  const fromEnv = process.env.MEMORY_CACHE_TEST_MODEL;
  if (fromEnv) return resolve(fromEnv);
  const path = join(root, '.cache', 'test-model.gguf');
  await writeTestModel(path);
  return path;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/ is not built: run `npx vite build` (npm test does it)');
  const model = await testModelPath();
  const server = await startLlamaServer({ model, staticDir: dist, ctxSize: 2048 });
  project.provide('appUrl', `${server.url}/`);
  project.provide('modelPath', model);
  return () => server.stop();
}
