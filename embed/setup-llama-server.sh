#!/usr/bin/env bash
# Installs upstream llama.cpp `llama-server` into a private cache folder, for
# `npm start` and the end-to-end tests.
#
# Where it comes from: Debian unstable (sid) packages llama.cpp. Its binaries
# need a newer C library than Debian 12 has, so nothing is installed into the
# system: the .debs (llama.cpp plus its runtime libraries, glibc included) are
# unpacked into one folder and started through that folder's own dynamic
# loader. apt runs with its own sources list, lists, cache and an empty
# status file: the machine's package lists and installed packages are neither
# used nor changed (its apt.conf, e.g. a proxy, still applies).
#
# Usage: embed/setup-llama-server.sh [--force]
#   MEMORY_CACHE_HOME        cache root (default: <repo>/.cache)
#   MEMORY_CACHE_DEBIAN_MIRROR  e.g. http://deb.debian.org/debian (default:
#                            the machine's own Debian mirror)
#   MEMORY_CACHE_APT_KEYRING keyring that verifies sid (default: the system's)
#   MEMORY_CACHE_APT_INSECURE=1  last resort, see verify_and_update below
#
# The last line of stdout is the path of the wrapper to run; all progress goes
# to stderr so callers can take `| tail -n1`.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache_home=${MEMORY_CACHE_HOME:-$repo/.cache}
[[ $cache_home == /* ]] || cache_home=$PWD/$cache_home
dest=$cache_home/llama-server
wrapper=$dest/bin/llama-server
force=0
[[ ${1:-} == --force ]] && force=1

log() { printf '%s\n' "setup-llama-server: $*" >&2; }
die() { log "error: $*"; exit 1; }

installed_ok() { [[ -x $wrapper ]] && "$wrapper" --version >/dev/null 2>&1; }

# Checked before taking the lock so the common case costs one --version call.
if [[ $force == 0 ]] && installed_ok; then
  printf '%s\n' "$wrapper"
  exit 0
fi

[[ $(uname -m) == x86_64 ]] || die "only x86_64 is supported (this is $(uname -m))"
for tool in apt-get dpkg flock; do
  command -v "$tool" >/dev/null || die "$tool not found (a Debian-based system is needed)"
done

mkdir -p "$dest"
# Parallel test workers may all call this script; one installs, the rest wait
# and then find the finished install.
exec 9>"$dest/.lock"
flock 9
if [[ $force == 0 ]] && installed_ok; then
  printf '%s\n' "$wrapper"
  exit 0
fi

# Runtime libraries come from sid too: llama.cpp is built against sid's glibc
# and libstdc++. zlib1g and libzstd1 are pulled in by libssl3t64.
# (libc6's libc-gconv-modules-extra and libssl's openssl-provider-legacy are
# only loaded on demand and are not needed by llama-server.)
packages=(llama.cpp-tools libllama0 libggml0
  libc6 libstdc++6 libgcc-s1 libgomp1 libssl3t64 zlib1g libzstd1)

staging=$(mktemp -d "$dest/.staging.XXXXXX")
trap 'rm -rf "$staging"' EXIT

# The Debian mirror this machine already uses (it may be the only one that
# network policy lets through); deb.debian.org otherwise. Only the main
# archive qualifies: not -security, not snapshot.debian.org, not ports.
find_mirror() {
  local f
  {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f $f ]] || continue
      # one-line format: deb [options] URI suite components
      sed -E 's/#.*//; s/\[[^]]*\]//' "$f" | awk '$1 == "deb" { print $2 }'
    done
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f $f ]] || continue
      # deb822: stanzas separated by blank lines; skip disabled ones
      awk '
        function flush() { if (enabled && uris != "") print uris; uris = ""; enabled = 1 }
        BEGIN { enabled = 1 }
        /^[[:space:]]*#/ { next }
        /^[[:space:]]*$/ { flush(); next }
        tolower($1) == "uris:" { $1 = ""; uris = $0 }
        tolower($1) == "enabled:" && tolower($2) == "no" { enabled = 0 }
        END { flush() }' "$f" | tr ' ' '\n'
    done
  } | grep -E '^https?://[^/]+(/.*)?/debian/?$' | head -n1 | sed 's:/*$::' || true
}
mirror=${MEMORY_CACHE_DEBIAN_MIRROR:-$(find_mirror)}
mirror=${mirror:-http://deb.debian.org/debian}
log "mirror: $mirror"

aptdir=$staging/apt
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
apt_opts=(
  -o "Dir::Etc::SourceList=$aptdir/sources.list"
  -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$aptdir/lists"
  -o "Dir::Cache=$aptdir/cache"
  # An empty status file: the host's installed versions must not be
  # mistaken for candidates, and its pins must not apply.
  -o Dir::State::status=/dev/null
  -o Dir::Etc::Preferences=/dev/null
  -o Dir::Etc::PreferencesParts=/dev/null
  -o Acquire::Languages=none
  # The download folder belongs to us, not to the _apt sandbox user.
  -o "APT::Sandbox::User=$(id -un)"
)

# apt_update SUITES SOURCE-OPTION, e.g. apt_update sid signed-by=KEYRING
apt_update() {
  local suites=$1 option=$2 s
  : >"$aptdir/sources.list"
  for s in $suites; do
    printf 'deb [arch=amd64 %s] %s %s main\n' "$option" "$mirror" "$s" >>"$aptdir/sources.list"
  done
  rm -rf "$aptdir/lists" && mkdir -p "$aptdir/lists/partial"
  apt-get "${apt_opts[@]}" -q update 2>&1 | tee "$aptdir/update.log" >&2
  # apt-get update exits 0 on some fetch failures; no index means failure.
  compgen -G "$aptdir/lists/*_Packages*" >/dev/null
}

signature_failed() {
  grep -qE 'NO_PUBKEY|EXPKEYSIG|is not signed|signatures were invalid|signature' "$aptdir/update.log"
}

apt_download() { (cd "$1" && shift && apt-get "${apt_opts[@]}" -q download "$@" >&2); }

# sid's Release file is signed by the two newest archive keys. Debian 12's
# keyring has the bookworm and trixie keys, which is enough today; once sid
# moves past those, the system keyring can no longer verify it.
verify_and_update() {
  local keyring=${MEMORY_CACHE_APT_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
  if [[ -f $keyring ]]; then
    apt_update sid "signed-by=$keyring" && return
    signature_failed || die "apt-get update of sid from $mirror failed (see above)"
  fi
  # Proper fallback: a newer debian-archive-keyring from the machine's own
  # release (point releases add the next release's keys), fetched through
  # the same private apt setup and verified by the system keyring, so the
  # chain of trust stays intact.
  log "the keyring $keyring cannot verify sid; fetching a newer debian-archive-keyring"
  local codename
  # shellcheck disable=SC1091
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  if [[ -n $codename ]] &&
    apt_update "$codename $codename-updates" signed-by=/usr/share/keyrings/debian-archive-keyring.gpg &&
    mkdir -p "$staging/keyring" && apt_download "$staging/keyring" debian-archive-keyring; then
    dpkg -x "$staging"/keyring/debian-archive-keyring_*.deb "$staging/keyring/root"
    local newer=$staging/keyring/root/usr/share/keyrings/debian-archive-keyring.gpg
    if [[ -f $newer ]] && apt_update sid "signed-by=$newer"; then
      return
    fi
  fi
  # Last resort, opt-in only: skip signature checks altogether. The packages
  # are then as trustworthy as the network path to the mirror.
  if [[ ${MEMORY_CACHE_APT_INSECURE:-0} == 1 ]]; then
    log "WARNING: MEMORY_CACHE_APT_INSECURE=1: sid's signature is NOT verified"
    apt_update sid trusted=yes || die "apt-get update of sid from $mirror failed (see above)"
    return
  fi
  die "cannot verify Debian sid's signature with any keyring at hand.
  Install a newer debian-archive-keyring, point MEMORY_CACHE_APT_KEYRING at one,
  or (at your own risk) rerun with MEMORY_CACHE_APT_INSECURE=1."
}

verify_and_update

log "downloading: ${packages[*]}"
mkdir -p "$staging/debs"
apt_download "$staging/debs" "${packages[@]}"

root=$staging/root
for deb in "$staging"/debs/*.deb; do
  dpkg -x "$deb" "$root"
done
for deb in "$staging"/debs/*.deb; do
  # shellcheck disable=SC2016 # dpkg-deb's own ${field} syntax
  dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb"
done | sort >"$root/PACKAGES"

lib=$root/usr/lib/x86_64-linux-gnu
[[ -x $root/usr/bin/llama-server ]] || die "llama-server missing from llama.cpp-tools"
[[ -x $lib/ld-linux-x86-64.so.2 ]] || die "dynamic loader missing from libc6"
ls "$lib"/ggml/backends0/libggml-cpu-*.so >/dev/null 2>&1 || die "no CPU backend in libggml0"

# Sid's dependencies drift. Ask the unpacked loader to resolve every library
# and fail loudly if one is missing or would come from the host, rather than
# at first use.
check_libs() {
  local f out
  for f in "$root/usr/bin/llama-server" "$lib"/ggml/backends0/*.so; do
    out=$("$lib/ld-linux-x86-64.so.2" --library-path "$lib:$lib/llama:$lib/ggml" --list "$f" 2>&1) ||
      die "cannot resolve the libraries of $f: $out"
    if grep -E '=> ' <<<"$out" | grep -v -e "=> $root/" -e 'linux-vdso' >&2; then
      die "the libraries above of ${f##*/} are not in the unpacked packages; add their packages to this script"
    fi
  done
}
check_libs

mkdir -p "$staging/bin"
cat >"$staging/bin/llama-server" <<'EOF'
#!/usr/bin/env bash
# Written by embed/setup-llama-server.sh. Runs Debian sid's llama-server
# through the unpacked dynamic loader, since the host's C library is too old.
set -euo pipefail
self=$(readlink -f "${BASH_SOURCE[0]}")
root=$(cd "$(dirname "$self")/../root" && pwd)
lib=$root/usr/lib/x86_64-linux-gnu
backends=$lib/ggml/backends0
# ggml looks for its CPU backend plugin next to the executable, which here is
# the loader, so it finds none unless told. Chosen at run time because the
# cache may be copied to another machine.
if [[ -z ${GGML_BACKEND_PATH:-} ]]; then
  flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
  variant=x64
  if [[ $flags == *" avx2 "* && $flags == *" fma "* && $flags == *" f16c "* &&
    $flags == *" bmi2 "* && -f $backends/libggml-cpu-haswell.so ]]; then
    variant=haswell
  fi
  export GGML_BACKEND_PATH=$backends/libggml-cpu-$variant.so
fi
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib:$lib/llama:$lib/ggml" \
  "$root/usr/bin/llama-server" "$@"
EOF
chmod +x "$staging/bin/llama-server"

# Swap in the new install only now, so an interrupted run leaves the old one
# (or nothing) rather than half a tree.
rm -rf "${dest:?}/root" "${dest:?}/bin"
mv "$root" "$dest/root"
mv "$staging/bin" "$dest/bin"

"$wrapper" --version >&2 || die "the installed llama-server does not start"
log "installed into $dest"
printf '%s\n' "$wrapper"
