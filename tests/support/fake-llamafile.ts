// A stand-in for a llamafile, for tests: no llamafile can be downloaded here. Like a real one
// it is an executable followed by a zip (made with Info-ZIP, offsets adjusted with `zip -A` so
// they count from the start of the file, as in a llamafile) holding a `.args` and a GGUF model.
//
// The executable is a bash script that behaves the way each generation does where Memory
// Cache depends on it, then runs the real llama-server with the arguments translated:
// - `--version` prints "llamafile vX.Y.Z";
// - it unpacks its own zip and reads `.args` as that version does (0.9: one argument per line;
//   0.10: words, `#` comments), putting the command line where `...` is (or at the end);
// - `/zip/NAME` names a file in its zip; `-m NAME` finds NAME in the zip, as llamafile does;
// - 0.9 picks its mode from the command line alone: without `--server` there it refuses (a real
//   one would start its chat CLI); without `--nobrowser` a real one opens a browser: this one
//   writes the URL it would open to `<file>.browser` (see openedBrowser);
// - 0.10 picks its mode after reading `.args`; `--nobrowser` is an error;
// - `startDelaySeconds` makes it print loading lines for that long before it serves, as a
//   large model does.

import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export type FakeVersion = '0.9.3' | '0.10.0';

function script(version: FakeVersion, llamaServer: string, delay: number): string {
  const legacy = version.startsWith('0.9.');
  return `#!/usr/bin/env bash
# Fake llamafile ${version} for Memory Cache's tests: see tests/support/fake-llamafile.ts.
set -euo pipefail
for arg in "$@"; do
  if [[ $arg == --version ]]; then echo "llamafile v${version}"; exit 0; fi
done
self=$(readlink -f "$0")
root="$self.d"
if [[ ! -d $root ]]; then
  unzip -qq -o "$self" -d "$root.tmp" || [[ $? == 1 ]]
  mv "$root.tmp" "$root"
fi
args=()
dots=0
if [[ -f $root/.args ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    line=\${line%$'\\r'}
    ${
      legacy
        ? `[[ -z $line ]] && continue
    words=("$line")`
        : `[[ $line =~ ^[[:space:]]*# ]] && continue
    read -ra words <<<"$line"`
    }
    for word in "\${words[@]}"; do
      if [[ $word == ... ]]; then args+=("$@"); dots=1; else args+=("$word"); fi
    done
  done <"$root/.args"
fi
((dots)) || args+=("$@")
${
  legacy
    ? `server=0
for arg in "$@"; do [[ $arg == --server ]] && server=1; done
if ((!server)); then
  echo "fake llamafile ${version}: no --server on the command line: a real one would start its chat CLI" >&2
  exit 64
fi
browser=1
for arg in "\${args[@]}"; do [[ $arg == --nobrowser ]] && browser=0; done
((browser)) && echo "a browser at the server's URL" >>"$self.browser"`
    : `server=0
for arg in "\${args[@]}"; do
  [[ $arg == --server ]] && server=1
  if [[ $arg == --nobrowser ]]; then echo "error: invalid argument: --nobrowser" >&2; exit 1; fi
done
if ((!server)); then
  echo "fake llamafile ${version}: no --server: a real one would start its terminal chat" >&2
  exit 64
fi`
}
for ((left = ${delay}; left > 0; left--)); do
  echo "llama_model_loader: loading the model (fake, $left s left)" >&2
  sleep 1
done
out=()
for ((i = 0; i < \${#args[@]}; i++)); do
  arg=\${args[i]}
  case $arg in
    --server | --nobrowser) continue ;;
    /zip/*) arg=$root/\${arg#/zip/} ;;
  esac
  if [[ $arg == -m || $arg == --model ]] && ((i + 1 < \${#args[@]})); then
    out+=("$arg")
    i=$((i + 1))
    arg=\${args[i]}
    if [[ $arg == /zip/* ]]; then arg=$root/\${arg#/zip/}; elif [[ ! -e $arg && -e $root/$arg ]]; then arg=$root/$arg; fi
  fi
  out+=("$arg")
done
exec ${JSON.stringify(llamaServer)} "\${out[@]}"
exit 1
`;
}

export interface FakeLlamafileOptions {
  version: FakeVersion;
  llamaServer: string;
  /** Files to put in its zip, by name. */
  files: Record<string, string | Buffer>;
  startDelaySeconds?: number;
}

/** Writes the fake llamafile to `path`; returns the size of its program part. */
export function writeFakeLlamafile(path: string, options: FakeLlamafileOptions): number {
  const program = Buffer.from(script(options.version, options.llamaServer, options.startDelaySeconds ?? 0));
  const work = mkdtempSync(join(tmpdir(), 'fake-llamafile-'));
  try {
    const names = Object.keys(options.files);
    for (const name of names) writeFileSync(join(work, name), options.files[name]);
    // Stored, like a llamafile's weights; -X leaves out extra attributes.
    execFileSync('zip', ['-q', '-X', '-0', join(work, 'part.zip'), ...names], { cwd: work });
    writeFileSync(path, Buffer.concat([program, readFileSync(join(work, 'part.zip'))]));
    execFileSync('zip', ['-q', '-A', path], { stdio: 'ignore' });
    chmodSync(path, 0o755);
    return program.length;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Where a fake llamafile unpacks itself when run. */
export function unpackedDir(path: string): string {
  return join(path, '..', `${basename(path)}.d`);
}

/** Whether a fake llamafile 0.9 was started so that a real one would have opened a browser. */
export function openedBrowser(path: string): boolean {
  return existsSync(`${path}.browser`);
}
