import { describe, expect, it } from 'vitest';
import { composeDotArgs, modelEntryName, modelNamedIn, splitDotArgs, unportableArgument } from '../../embed/dot-args';
import { llamafileServerArgs, parseLlamafileVersion } from '../../embed/llamafile-version';

describe('.args for the embedded app', () => {
  it('serves the app, names an added model under /zip/, and keeps the person\u2019s arguments last', () => {
    expect(composeDotArgs({ previous: [], modelEntry: 'model.gguf', gpu: true, extra: ['--ctx-size', '8192'] })).toBe(
      '-m\n/zip/model.gguf\n--path\n/zip/memory-cache\n-ngl\n999\n--ctx-size\n8192\n...\n',
    );
    expect(composeDotArgs({ previous: [], gpu: false, extra: [] })).toBe('--path\n/zip/memory-cache\n...\n');
  });

  it('keeps what the llamafile already had, minus what it replaces', () => {
    // A 0.9-style .args (one argument per line) of a llamafile that holds its model.
    const old = splitDotArgs('-m\nmistral.gguf\n--mmproj\nproj.gguf\n--path\n/zip/old\n...\n');
    expect(composeDotArgs({ previous: old, gpu: false, extra: [] })).toBe('-m\nmistral.gguf\n--mmproj\nproj.gguf\n--path\n/zip/memory-cache\n...\n');
    expect(composeDotArgs({ previous: old, modelEntry: 'new.gguf', gpu: false, extra: [] })).toBe(
      '--mmproj\nproj.gguf\n-m\n/zip/new.gguf\n--path\n/zip/memory-cache\n...\n',
    );
    // A 0.10-style one: options with their values on one line, and a comment.
    const modern = splitDotArgs('# defaults\r\n-m /zip/qwen.gguf\r\n-ngl 99\r\n...\r\n');
    expect(composeDotArgs({ previous: modern, gpu: true, extra: [] })).toBe('# defaults\n-m /zip/qwen.gguf\n--path\n/zip/memory-cache\n-ngl\n999\n...\n');
  });

  it('finds the model a .args names inside the zip', () => {
    expect(modelNamedIn(['-m', 'mistral.gguf', '...'])).toBe('mistral.gguf');
    expect(modelNamedIn(['-m /zip/qwen.gguf'])).toBe('qwen.gguf');
    expect(modelNamedIn(['--model=/zip/a.gguf'])).toBe('a.gguf');
    expect(modelNamedIn(['-m', '/models/outside.gguf'])).toBeNull();
    expect(modelNamedIn(['--path', '/zip/memory-cache'])).toBeNull();
  });

  it('refuses arguments the two generations would read differently', () => {
    expect(unportableArgument('--ctx-size')).toBeNull();
    expect(unportableArgument('my model')).toMatch(/whitespace/);
    expect(unportableArgument('#1')).toMatch(/comment/);
    expect(unportableArgument('a\\nb')).toMatch(/line break/);
    expect(modelEntryName('My Model (Q4).gguf')).toBe('My_Model__Q4_.gguf');
    expect(modelEntryName('.hidden.gguf')).toBe('hidden.gguf');
  });
});

describe('telling llamafile generations apart', () => {
  it('reads the version line and picks the arguments that make a server', () => {
    const old = parseLlamafileVersion('llamafile v0.9.3\n');
    expect(old).toEqual({ version: '0.9.3', legacy: true });
    expect(llamafileServerArgs(old)).toEqual(['--server', '--nobrowser']);
    const modern = parseLlamafileVersion('llamafile v0.10.0');
    expect(modern).toEqual({ version: '0.10.0', legacy: false });
    expect(llamafileServerArgs(modern)).toEqual(['--server']);
    expect(parseLlamafileVersion('llamafile v0.8.14').legacy).toBe(true);
    expect(parseLlamafileVersion('version: 6500 (abc)\nbuilt with cc').version).toBeNull();
  });
});
