#!/usr/bin/env bash
# Installs what building and running cast2md needs and is missing: ffmpeg, clang + zlib (Native AOT linking),
# tmux (the monitor specs), espeak-ng and sox (the voice-activity specs and benchmark generate speech with them),
# PostgreSQL's server programs (the import specs start a throw-away original cast2md database with initdb/pg_ctl),
# PowerShell (the install.ps1 specs), podman (the image specs; Debian and Ubuntu).
# With --native also what building whisper.cpp from source needs (CUDA, Metal, a build
# for this CPU, whisper-cli): cmake, a C/C++ toolchain, node/npm (fetches the pinned source). Debian/Ubuntu via apt,
# Fedora via dnf, Arch via pacman, macOS via Homebrew. Never reinstalls what is there.
set -euo pipefail
say() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

os=$(uname -s)
case "$os" in
  MINGW*|MSYS*|CYGWIN*) die "Windows: use install.ps1, or build in WSL (Ubuntu) with 'make setup'." ;;
esac

# PowerShell 7 (pwsh), which the install.ps1 specs run, as a .NET global tool in ~/.dotnet/tools: the one way to have it
# that needs no package repository of Microsoft's. Pinned: 7.6.10 is what the NuGet registry serves (7.7.0 fails to install).
PWSH_VERSION=7.6.10
if ! command -v pwsh >/dev/null 2>&1 && [ ! -x "$HOME/.dotnet/tools/pwsh" ] && command -v dotnet >/dev/null 2>&1; then
  say "dotnet tool install --global PowerShell --version $PWSH_VERSION"
  dotnet tool install --global PowerShell --version "$PWSH_VERSION" >/dev/null || die "installing PowerShell $PWSH_VERSION as a .NET tool failed"
fi

wanted=(ffmpeg ffprobe make shellcheck tmux espeak-ng sox)
[ "${1:-}" = --native ] && wanted+=(cmake node npm c++)
missing_cmds=()
for c in "${wanted[@]}"; do command -v "$c" >/dev/null 2>&1 || missing_cmds+=("$c"); done
# Debian keeps initdb out of PATH, under /usr/lib/postgresql/<version>/bin; Fedora's postgresql-server and Arch's
# postgresql put it in /usr/bin, Homebrew's keg-only postgresql@16 under opt/.
have_initdb() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb /usr/pgsql-*/bin/initdb \
    /opt/homebrew/opt/postgresql@*/bin/initdb /usr/local/opt/postgresql@*/bin/initdb >/dev/null 2>&1
}
have_initdb || missing_cmds+=(initdb)

if [ "$os" = Darwin ]; then
  [ ${#missing_cmds[@]} -eq 0 ] && { say "all present"; exit 0; }
  command -v brew >/dev/null || die "missing: ${missing_cmds[*]}; install Homebrew (https://brew.sh) or install them yourself. Xcode command line tools provide the compiler: xcode-select --install"
  pkgs=()
  for c in "${missing_cmds[@]}"; do case "$c" in ffmpeg|ffprobe) pkgs+=(ffmpeg);; cmake) pkgs+=(cmake);; node|npm) pkgs+=(node);; shellcheck) pkgs+=(shellcheck);; tmux) pkgs+=(tmux);; espeak-ng) pkgs+=(espeak-ng);; sox) pkgs+=(sox);; initdb) pkgs+=(postgresql@16);; c++|make) die "install the Xcode command line tools: xcode-select --install";; esac; done
  mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
  say "brew install ${pkgs[*]}"; brew install "${pkgs[@]}"
  exit 0
fi

# Linux. The image specs (make images) need podman, or docker with a daemon that answers; podman is daemonless. runc
# stands in for crun where a sandbox refuses crun, mmdebstrap bootstraps the Debian base where no registry answers.
if ! command -v podman >/dev/null 2>&1 && ! { command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; }; then
  missing_cmds+=(podman)
fi
if command -v apt-get >/dev/null 2>&1 && { command -v podman >/dev/null 2>&1 || [[ " ${missing_cmds[*]} " == *" podman "* ]]; }; then
  for c in runc mmdebstrap; do command -v "$c" >/dev/null 2>&1 || missing_cmds+=("$c"); done
fi
need_clang=1; { command -v clang >/dev/null 2>&1 || ls /usr/bin/clang-[0-9]* >/dev/null 2>&1; } && need_clang=0
need_zlib=1; { [ -f /usr/include/zlib.h ]; } && need_zlib=0
need_analyze=1; command -v systemd-analyze >/dev/null 2>&1 && need_analyze=0
[ ${#missing_cmds[@]} -eq 0 ] && [ $need_clang = 0 ] && [ $need_zlib = 0 ] && [ $need_analyze = 0 ] && { say "all present"; exit 0; }

sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
  else die "missing: ${missing_cmds[*]} $( [ $need_clang = 1 ] && echo clang) $( [ $need_zlib = 1 ] && echo zlib-dev); run as root or install them with your package manager"; fi
fi

if command -v apt-get >/dev/null; then
  pkgs=()
  for c in "${missing_cmds[@]}"; do case "$c" in ffmpeg|ffprobe) pkgs+=(ffmpeg);; cmake) pkgs+=(cmake);; make) pkgs+=(make);; node|npm) pkgs+=(nodejs npm);; c++) pkgs+=(g++);; shellcheck) pkgs+=(shellcheck);; tmux) pkgs+=(tmux);; espeak-ng) pkgs+=(espeak-ng);; sox) pkgs+=(sox);; initdb) pkgs+=(postgresql);; podman) pkgs+=(podman);; runc) pkgs+=(runc);; mmdebstrap) pkgs+=(mmdebstrap);; esac; done
  command -v systemd-analyze >/dev/null 2>&1 || pkgs+=(systemd)     # the installer specs verify generated units with it
  [ $need_clang = 1 ] && pkgs+=(clang)
  [ $need_zlib = 1 ] && pkgs+=(zlib1g-dev)
  mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
  say "apt-get install ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
elif command -v dnf >/dev/null; then
  $sudo dnf install -y ffmpeg cmake make gcc-c++ clang zlib-devel nodejs npm ShellCheck systemd tmux espeak-ng sox postgresql-server podman
elif command -v pacman >/dev/null; then
  $sudo pacman -S --needed --noconfirm ffmpeg cmake make gcc clang zlib nodejs npm shellcheck systemd tmux espeak-ng sox postgresql podman
else
  die "no apt-get, dnf or pacman: install ${missing_cmds[*]} clang zlib yourself"
fi
say "done"
