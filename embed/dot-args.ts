// A llamafile's `.args`: the arguments it starts with. Written one argument per line, the one
// form both generations read the same way: llamafile 0.9 takes each line as one argument
// (no comments, spaces kept), 0.10 splits on any whitespace and skips `#` comments. A line
// `...` marks where the person's own command-line arguments go.

export const APP_FOLDER = 'memory-cache';

export interface DotArgsPlan {
  /** The lines of the llamafile's own `.args`, if it has one. */
  previous: string[];
  /** The model's name inside the zip, when one is added. */
  modelEntry?: string;
  gpu: boolean;
  /** The person's extra server arguments. */
  extra: string[];
}

// Options whose value is replaced, with how many values follow them.
const PATH_OPTIONS = ['--path'];
const MODEL_OPTIONS = ['-m', '--model'];
const GPU_OPTIONS = ['-ngl', '--gpu-layers', '--n-gpu-layers'];

/** Why an argument cannot go into `.args` so that both generations read it the same, or null. */
export function unportableArgument(arg: string): string | null {
  if (arg === '') return 'it is empty';
  if (/\s/.test(arg)) return 'it contains whitespace (llamafile 0.10 would split it)';
  if (arg.startsWith('#')) return 'it starts with # (llamafile 0.10 reads a comment)';
  if (arg.includes('\\n')) return 'it contains \\n (llamafile 0.9 reads a line break)';
  if (arg === '...') return '... marks where the command line goes';
  return null;
}

export function splitDotArgs(text: string): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * The previous lines minus what this build sets: a line holding an option that is replaced
 * goes, with its value (on the same line, or the next). Everything else is kept as it was.
 */
function keptLines(previous: string[], replaced: Set<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < previous.length; i++) {
    const line = previous[i];
    if (line === '...') continue;
    const [option, ...rest] = line.split(/\s+/);
    const name = option.split('=')[0];
    if (replaced.has(name)) {
      if (rest.length === 0 && !option.includes('=')) i++;
      continue;
    }
    kept.push(line);
  }
  return kept;
}

export function composeDotArgs(plan: DotArgsPlan): string {
  const replaced = new Set([...PATH_OPTIONS, ...(plan.modelEntry ? MODEL_OPTIONS : []), ...(plan.gpu ? GPU_OPTIONS : [])]);
  const lines = [
    ...keptLines(plan.previous, replaced),
    ...(plan.modelEntry ? ['-m', `/zip/${plan.modelEntry}`] : []),
    '--path',
    `/zip/${APP_FOLDER}`,
    ...(plan.gpu ? ['-ngl', '999'] : []),
    ...plan.extra,
    '...',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The model file inside the zip that a `.args` names (`-m NAME` or `-m /zip/NAME`), or null:
 * none named, or one outside the zip (a path on the disk).
 */
export function modelNamedIn(lines: string[]): string | null {
  let found: string | null = null;
  const words = lines.flatMap((line) => line.split(/\s+/));
  for (let i = 0; i < words.length; i++) {
    const [option, inline] = words[i].split(/=(.*)/s);
    if (!MODEL_OPTIONS.includes(option)) continue;
    const value = inline ?? words[i + 1] ?? '';
    found = value.startsWith('/zip/') ? value.slice('/zip/'.length) : value && !value.includes('/') ? value : null;
  }
  return found;
}

/** A name for the model inside the zip that `.args` can hold as one argument. */
export function modelEntryName(fileName: string): string {
  const cleaned = fileName.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[.#]+/, '');
  return cleaned || 'model.gguf';
}
