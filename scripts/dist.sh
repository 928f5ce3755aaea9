#!/usr/bin/env bash
# Release archives from ./bin (what `make publish` produced): DIST/cast2md-VERSION-RID[-FLAVOUR].tar.gz holding cast2md/
# with the binary and whisper's runtimes/ folder (VERSION is the one built into the binary), DIST/SHA256SUMS listing every
# archive in DIST (install.sh refuses an archive whose checksum is missing or different, and picks the one for its
# platform from this list), and the two installers, so that a release folder served as is answers
# `curl -fsSL BASE/install.sh | bash`.
# BIN=bin-node EDITION=node packs the node edition (make publish-node) as DIST/cast2md-node-VERSION-RID[-FLAVOUR].tar.gz:
# the same program without serve, mcp, import and monitor, which install.sh takes for a node when the release has it.
#   scripts/dist.sh DIST RID [FLAVOUR]      (make dist runs it for both editions: make dist DIST=dist FLAVOUR=cuda)
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:?usage: scripts/dist.sh DIST RID [FLAVOUR]}; rid=${2:?usage: scripts/dist.sh DIST RID [FLAVOUR]}; flavour=${3:-}
bin=${BIN:-bin}; edition=${EDITION:-full}
case "$edition" in full) prefix=cast2md ;; node) prefix=cast2md-node ;; *) echo "EDITION must be full or node, not '$edition'" >&2; exit 2 ;; esac
[ -x "$bin/cast2md" ] || { echo "no ./$bin/cast2md: run make publish$([ "$edition" = node ] && echo -node) first" >&2; exit 1; }
mkdir -p "$dist"
dist=$(cd "$dist" && pwd)
# The first word of --version's first line: the node edition adds "(node edition)" after it.
version=$("$bin/cast2md" --version 2>/dev/null | head -n 1 | cut -d' ' -f1)
[[ "$version" =~ ^[0-9][0-9A-Za-z.+-]*$ ]] || { echo "$bin/cast2md --version printed no version ('$version')" >&2; exit 1; }
name="$prefix-$version-$rid${flavour:+-$flavour}.tar.gz"
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
mkdir "$stage/cast2md"
cp -P "$bin/cast2md" "$stage/cast2md/"
cp -P "$bin"/lib*.so* "$bin"/lib*.dylib "$stage/cast2md/" 2>/dev/null || true   # SQLite's and the monitor's libraries
[ -d "$bin/runtimes" ] && cp -RP "$bin/runtimes" "$stage/cast2md/"
if [ ! -x "$stage/cast2md/cast2md" ] || [ ! -d "$stage/cast2md/runtimes" ]; then
  echo "copying ./$bin failed (binary or runtimes/ missing)" >&2; exit 1
fi
# Stable archives: sorted names, no owner, the binary's time for every entry.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(stat -c %Y "$bin/cast2md")" -C "$stage" -czf "$dist/$name.new" cast2md
mv -f "$dist/$name.new" "$dist/$name"
(cd "$dist" && find . -maxdepth 1 -name '*.tar.gz' -printf '%f\n' | LC_ALL=C sort | xargs -r sha256sum > SHA256SUMS.new && mv -f SHA256SUMS.new SHA256SUMS)
cp install.sh install.ps1 "$dist/"
echo "$dist/$name"
echo "$dist/SHA256SUMS"
