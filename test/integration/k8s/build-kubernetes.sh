#!/usr/bin/env bash
# Obtains kube-apiserver and kube-controller-manager for the integration suite and caches
# them outside the clone, keyed by version, so a second run on one machine skips the build.
#
# The binaries come from Debian's `kubernetes` source package (bookworm: upstream v1.20.2
# with its vendor/ tree), built offline with Debian's golang-go through the tree's own
# `make WHAT=...` flow (a bare `go build` lacks the generated OpenAPI code). The machine's
# apt sources list only `deb` entries, so matching `deb-src` entries are derived at run
# time into a private apt configuration: no system setting changes and no mirror host is
# written into the repository.
#
# Prints the cache directory holding bin/kube-apiserver and bin/kube-controller-manager.
# Needs root (apt-get install) unless golang-go, make and rsync are already there.
set -euo pipefail

K8S_VERSION="${ZT_K8S_VERSION:-1.20.2}"
CACHE_ROOT="${ZT_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zt}"
CACHE="$CACHE_ROOT/kubernetes-v$K8S_VERSION"
BIN="$CACHE/bin"
# Bumped when the build recipe changes, so caches built by an older recipe are rebuilt.
RECIPE=2
log() { echo "[build-kubernetes] $*" >&2; }
built() { [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kube-controller-manager" ] && [ "$(cat "$BIN/.recipe" 2>/dev/null)" = "$RECIPE" ]; }

if built; then
  log "cached: $BIN"
  echo "$CACHE"
  exit 0
fi

mkdir -p "$CACHE"
# One build at a time per cache directory.
exec 9>"$CACHE/.lock"
flock 9
if built; then
  echo "$CACHE"
  exit 0
fi

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != "0" ]; then
    log "needs packages ${missing[*]} (run as root, or install them first)"
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# golang-github-modern-go-reflect2-dev: see the vendor fix below.
apt_install golang-go make rsync dpkg-dev golang-github-modern-go-reflect2-dev

# --- private apt configuration with deb-src entries derived from the deb entries -----
APTDIR="$CACHE/apt"
rm -rf "$APTDIR"
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/parts"
SOURCES="$APTDIR/parts/zt-src.sources"
: >"$SOURCES"
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
  # deb822 stanzas: keep each stanza whose Types include deb, as a deb-src stanza.
  awk '
    function flush() { if (stanza != "" && isdeb) printf "%s\n", stanza; stanza=""; isdeb=0 }
    /^[[:space:]]*$/ { flush(); next }
    /^#/ { next }
    /^Types:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) isdeb=1; stanza = stanza "Types: deb-src\n"; next }
    { stanza = stanza $0 "\n" }
    END { flush() }
  ' "$f" >>"$SOURCES"
done
LIST="$APTDIR/parts/zt-src.list"
: >"$LIST"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >>"$LIST"
done
if [ ! -s "$SOURCES" ] && [ ! -s "$LIST" ]; then
  log "no deb entries found in /etc/apt to derive deb-src entries from"
  exit 1
fi
APT_OPTS=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$APTDIR/parts"
  -o "Dir::State::Lists=$APTDIR/lists"
  -o "Dir::Cache=$APTDIR/cache"
  -o "Dir::Cache::pkgcache="
  -o "Dir::Cache::srcpkgcache="
  -o "APT::Sandbox::User=root"
  -o "Acquire::Languages=none"
)

SRC="$CACHE/src"
rm -rf "$SRC"
mkdir -p "$SRC"
log "apt-get update (private deb-src lists)"
apt-get "${APT_OPTS[@]}" update -qq
log "apt-get source kubernetes=$K8S_VERSION"
# Bookworm's version string is 1.20.5+really1.20.2-...; pick whichever version carries
# the upstream release we want.
VERSION=$(apt-cache "${APT_OPTS[@]}" showsrc kubernetes | sed -n 's/^Version: //p' | grep -F "$K8S_VERSION" | head -n1)
if [ -z "$VERSION" ]; then
  log "no kubernetes source package with upstream $K8S_VERSION in the configured suites"
  exit 1
fi
(cd "$SRC" && apt-get "${APT_OPTS[@]}" source -qq "kubernetes=$VERSION" >/dev/null)
TREE=$(find "$SRC" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
[ -n "$TREE" ] || { log "source extraction failed"; exit 1; }

# The tree vendors modern-go/reflect2 v1.0.1, which breaks under Go >= 1.18 (the API
# server panics decoding any JSON body with a map). v1.0.2 is the fix, API-compatible;
# Debian ships it as source.
REFLECT2=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -f "$REFLECT2/reflect2.go" ] || { log "no reflect2 sources at $REFLECT2"; exit 1; }
rm -rf "$TREE/vendor/github.com/modern-go/reflect2"
mkdir -p "$TREE/vendor/github.com/modern-go/reflect2"
find "$REFLECT2" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' -exec cp {} "$TREE/vendor/github.com/modern-go/reflect2/" \;
[ -f "$REFLECT2/go_above_118.go" ] || log "warning: reflect2 at $REFLECT2 may predate the Go 1.18 fix"

log "building kube-apiserver and kube-controller-manager in $TREE (7-15 minutes cold)"
# No .git in a source package: the version stamp comes from the environment instead.
export KUBE_GIT_VERSION="v$K8S_VERSION" KUBE_GIT_TREE_STATE=clean KUBE_GIT_COMMIT=debian
export GOPROXY=off GOTOOLCHAIN=local
export GOCACHE="$CACHE/gocache"
(cd "$TREE" && make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >&2)

OUT="$TREE/_output/local/go/bin"
[ -x "$OUT/kube-apiserver" ] || OUT=$(dirname "$(find "$TREE/_output" -type f -name kube-apiserver | head -n1)")
mkdir -p "$BIN"
cp "$OUT/kube-apiserver" "$OUT/kube-controller-manager" "$BIN/"
echo "$RECIPE" >"$BIN/.recipe"
# The tree and the Go build cache are 1.5 GB; only the binaries are worth keeping.
rm -rf "$SRC" "$GOCACHE" "$APTDIR"
log "built in $((SECONDS / 60)) min $((SECONDS % 60)) s: $BIN"
echo "$CACHE"
