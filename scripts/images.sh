#!/usr/bin/env bash
# Builds the container images with podman (or docker): cast2md (Dockerfile, the server) and cast2md-node (Dockerfile.node).
#   scripts/images.sh [server|node ...]      (make images; default both)
#   scripts/images.sh --run-flags            print the flags `run` needs with this engine here (the specs use them)
#   scripts/images.sh --engine               print the engine (podman, docker) these use
#   scripts/images.sh --check                exit 0 when podman or docker answers here, else print why and exit 1
# IMAGES_FROM=bin (default) puts ./bin and ./bin-node, which `make publish` and `make publish-node` built and the specs
# tested, into the runtime stage in place
# of the Dockerfiles' SDK build stage (that needs a host whose glibc is not newer than Debian 12's, 2.36);
# IMAGES_FROM=source runs the Dockerfiles whole, building in mcr.microsoft.com/dotnet/sdk. Either way the runtime stage
# is the same: Debian 12 slim, ffmpeg and the binary with its libraries, no SDK, no compiler, no whisper.cpp source.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'images: %s\n' "$*" >&2; }
die() { printf 'images: error: %s\n' "$*" >&2; exit 1; }

engine=${CAST2MD_ENGINE:-}
if [ -z "$engine" ]; then
  for e in podman docker; do
    if command -v "$e" >/dev/null 2>&1 && timeout 20 "$e" info >/dev/null 2>&1; then engine=$e; break; fi
  done
fi
why_not() {
  local found=()
  for e in podman docker; do command -v "$e" >/dev/null 2>&1 && found+=("$e"); done
  if [ ${#found[@]} -eq 0 ]; then echo "neither podman nor docker is installed (Debian: apt-get install podman)"
  else echo "${found[*]} installed but '${found[0]} info' fails (no daemon, or no permission): $(timeout 20 "${found[0]}" info 2>&1 | tail -n 1)"; fi
}

base=debian:bookworm-slim
probe() { "$engine" run --rm --network host "$@" "$base" true >/dev/null 2>&1; }

# The base image: pulled, else (no registry reachable) bootstrapped from Debian's own archive with mmdebstrap, which
# apt reaches where registries are out of reach. It is Debian 12 minbase under the slim image's name (somewhat larger).
ensure_base() {
  "$engine" image exists "$base" 2>/dev/null && return 0
  [ "$engine" = docker ] && docker image inspect "$base" >/dev/null 2>&1 && return 0
  "$engine" pull "$base" >&2 && return 0
  command -v mmdebstrap >/dev/null 2>&1 || die "cannot pull $base and mmdebstrap is missing to bootstrap it (apt-get install mmdebstrap)"
  say "cannot pull $base: bootstrapping it with mmdebstrap from deb.debian.org"
  local tar; tar=$(mktemp --suffix=.tar)
  mmdebstrap --quiet --variant=minbase --format=tar \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    bookworm "$tar" http://deb.debian.org/debian >&2 || { rm -f "$tar"; die "mmdebstrap failed"; }
  "$engine" import "$tar" "docker.io/library/$base" >/dev/null || { rm -f "$tar"; die "$engine import failed"; }
  rm -f "$tar"
}

# Flags `build` and `run` need here. Some sandboxes let a container neither keep the host's open-file and process
# limits (crun's setrlimit is refused) nor join cgroups in hybrid mode (crun): lower limits and runc then work.
run_flags() {
  ensure_base
  if probe; then echo ""; return; fi
  local extra=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
  if probe "${extra[@]}"; then echo "${extra[*]}"; return; fi
  if [ "$engine" = podman ] && command -v runc >/dev/null 2>&1 && probe --runtime runc "${extra[@]}"; then echo "--runtime runc ${extra[*]}"; return; fi
  die "$engine cannot run a container here: $("$engine" run --rm --network host "${extra[@]}" "$base" true 2>&1 | tail -n 1)"
}

case "${1:-}" in
  --check) [ -n "$engine" ] || { why_not; exit 1; }; exit 0 ;;
  --engine) [ -n "$engine" ] || die "$(why_not)"; echo "$engine"; exit 0 ;;
  --run-flags) [ -n "$engine" ] || die "$(why_not)"; run_flags; exit 0 ;;
esac
[ -n "$engine" ] || die "$(why_not)"
flags=$(run_flags)
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(server node)
context=()
if [ "${IMAGES_FROM:-bin}" = bin ]; then
  # The server image takes ./bin, the node image ./bin-node (the node edition, make publish-node).
  for t in "${targets[@]}"; do
    case "$t" in server) [ -x bin/cast2md ] || die "no ./bin/cast2md: run make publish (or IMAGES_FROM=source)" ;;
      node) [ -x bin-node/cast2md ] || die "no ./bin-node/cast2md: run make publish-node (or IMAGES_FROM=source)" ;; esac
  done
  stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
  mkdir -p "$stage/src"
  [ -d bin ] && cp -RP bin "$stage/src/bin"
  [ -d bin-node ] && cp -RP bin-node "$stage/src/bin-node"
  context=(--build-context "build=$stage")   # `COPY --from=build /src/bin[-node]/` reads ./bin[-node]; the SDK stage is skipped
fi
for t in "${targets[@]}"; do
  case "$t" in server) file=Dockerfile; tag=cast2md ;; node) file=Dockerfile.node; tag=cast2md-node ;; *) die "unknown image $t (server, node)" ;; esac
  say "$engine build -f $file -t $tag ($( [ ${#context[@]} -gt 0 ] && echo "runtime stage from ./bin" || echo "from source"))"
  # shellcheck disable=SC2086 # flags are words
  "$engine" build --network host $flags "${context[@]}" -f "$file" -t "$tag" . >&2
  say "$tag: $("$engine" image inspect "$tag" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }')"
done
