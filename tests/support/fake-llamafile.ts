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

// A stand-in for llamafile's `zipalign` (llamafile/zipalign.c), for tests: a Python program
// that shares no code with embed/zip-append.ts. Like the real one it answers -h with its
// manual ("PKZIP for LLMs", bold letters overstruck with backspaces), takes the flags
// -0..-9, -j, -v, -N and -a ALIGN (default 65536), names entries by their paths without the
// leading / (with -j, by their file names), replaces entries of the same name, and appends
// after the last byte of the file: every entry stored, zip64, a new central directory. It
// also writes each call, as JSON, to `<its path>.calls`.
const ZIPALIGN = String.raw`#!/usr/bin/env python3
import getopt, json, os, struct, sys, zlib

if any(a in ('-h', '-help', '--help') for a in sys.argv[1:]):
    bold = lambda s: ''.join(c + '\b' + c for c in s)
    print('ZIPALIGN(1)                 General Commands Manual                ZIPALIGN(1)\n')
    print(bold('NAME'))
    print('     ' + bold('zipalign') + ' - PKZIP for LLMs\n')
    print(bold('SYNOPSIS'))
    print('     ' + bold('zipalign') + ' [FLAG...] ZIP FILE...')
    sys.exit(0)

with open(sys.argv[0] + '.calls', 'a') as log:
    log.write(json.dumps({'cwd': os.getcwd(), 'args': sys.argv[1:]}) + '\n')

opts, rest = getopt.getopt(sys.argv[1:], '0123456789vjNa:')
level, junk, align = 0, False, 65536
for o, v in opts:
    if o[1].isdigit(): level = int(o[1])
    elif o == '-j': junk = True
    elif o == '-a': align = int(v)
if level: sys.exit('fake zipalign: only -0 (stored) is implemented')
if align < 1 or align & (align - 1): sys.exit('zipalign: fatal error: FLAG_alignment must be two power')
out, inputs = rest[0], rest[1:]
names = [os.path.basename(p) if junk else p.lstrip('/') for p in inputs]
if len(set(names)) != len(names): sys.exit('zip asset name specified multiple times')

f = open(out, 'r+b')
size = f.seek(0, 2)
f.seek(max(0, size - 65536))
tail = f.read()
at = tail.rfind(b'PK\x05\x06')
if at < 0: sys.exit('fake zipalign: no zip in ' + out)
if at >= 20 and tail[at - 20:at - 16] == b'PK\x06\x07':
    f.seek(struct.unpack('<Q', tail[at - 12:at - 4])[0])
    eocd64 = f.read(56)
    count, cdsize, cdoff = struct.unpack('<QQQ', eocd64[32:56])
else:
    count, cdsize, cdoff = struct.unpack('<HII', tail[at + 10:at + 20])
f.seek(cdoff)
old = f.read(cdsize)
kept, pos = [], 0
for _ in range(count):
    n, m, k = struct.unpack('<HHH', old[pos + 28:pos + 34])
    end = pos + 46 + n + m + k
    if old[pos + 46:pos + 46 + n].decode() not in names: kept.append(old[pos:end])
    pos = end

# 1700000000 as a DOS date and time, as zipalign writes without -N (UTC here).
dostime, dosdate = (22 << 11) | (13 << 5) | (20 >> 1), ((2023 - 1980) << 9) | (11 << 5) | 14
records = []
for path, name in zip(inputs, names):
    st = os.stat(path)
    if not os.path.isfile(path): sys.exit(path + ': not a regular file')
    data = open(path, 'rb').read()
    crc, name = zlib.crc32(data), name.encode()
    hdrlen = 30 + len(name) + 20
    while (size + hdrlen) % align: size += 1
    f.seek(size)
    f.write(struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0x800, 0, dostime, dosdate, crc, 0xffffffff, 0xffffffff, len(name), 20))
    f.write(name + struct.pack('<HHQQ', 1, 16, len(data), len(data)) + data)
    records.append(struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, (3 << 8) | 45, 45, 0x800, 0, dostime, dosdate, crc,
                               0xffffffff, 0xffffffff, len(name), 28, 0, 0, 0, (st.st_mode << 16) & 0xffffffff, 0xffffffff)
                   + name + struct.pack('<HHQQQ', 1, 24, len(data), len(data), size))
    size += hdrlen + len(data)

cdir = b''.join(kept + records)
total = len(kept) + len(records)
f.seek(size)
f.write(cdir)
f.write(struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, (3 << 8) | 45, 45, 0, 0, total, total, len(cdir), size))
f.write(struct.pack('<IIQI', 0x07064b50, 0, size + len(cdir), 1))
f.write(struct.pack('<IHHHHII', 0x06054b50, 0, 0, min(total, 0xffff), min(total, 0xffff), len(cdir), 0xffffffff) + b'\0\0')
f.close()
`;

// Android's build tools have a zipalign too, which does something else.
const ANDROID_ZIPALIGN = `#!/usr/bin/env bash
echo "$*" >>"$0.calls"
cat >&2 <<'EOF'
Zip alignment utility
Copyright (C) 2009 The Android Open Source Project

Usage: zipalign [-f] [-p] [-v] [-z] <align> infile.zip outfile.zip
       zipalign -c [-p] [-v] <align> infile.zip
EOF
exit 2
`;

/** Writes a stand-in zipalign (llamafile's, or Android's) to `path`. */
export function writeFakeZipalign(path: string, kind: 'llamafile' | 'android' = 'llamafile'): void {
  writeFileSync(path, kind === 'llamafile' ? ZIPALIGN : ANDROID_ZIPALIGN);
  chmodSync(path, 0o755);
}

export interface ZipalignCallRecord {
  cwd: string;
  args: string[];
}

/** The calls a stand-in llamafile zipalign was given, in order. */
export function zipalignCallsOf(path: string): ZipalignCallRecord[] {
  if (!existsSync(`${path}.calls`)) return [];
  return readFileSync(`${path}.calls`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ZipalignCallRecord);
}
