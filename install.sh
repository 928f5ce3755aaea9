#!/usr/bin/env bash
# cast2md installer for Linux (systemd) and macOS (launchd), x86-64 and arm64.
#
#   curl -fsSL URL/install.sh | bash                      # asks its questions on /dev/tty
#   bash install.sh                                        # from a checkout: installs ./bin (make setup builds it)
#   bash install.sh --unattended                           # reads CAST2MD_SERVER_URL, CAST2MD_NODE_NAME, CAST2MD_SERVICE
#   bash install.sh --uninstall --unattended               # unregisters the node, removes units and files
#   bash install.sh --server                               # installs `cast2md serve` as a service instead of a node
#
# Run `bash install.sh --help` for every flag and its environment variable.
set -euo pipefail
umask 077

PROG=cast2md-install
say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
Usage: install.sh [options]

Installs the cast2md binary and its libraries under ~/.cast2md (or --prefix), registers this machine
as a transcriber node and sets it up as an auto-start service, a shell script, or for manual runs.
Run it again to update (node.json is kept, the service restarted) or to uninstall.

Options (each has an environment variable for unattended installs):
  --unattended            ask nothing; take answers from flags and env         CAST2MD_UNATTENDED=1
  --uninstall             remove the install (node: unregisters first)
  --update                update an existing install without asking
  --server                install `cast2md serve` instead of a node
  --prefix DIR            where bin/ goes (default ~/.cast2md)               CAST2MD_PREFIX
  --from-build DIR        install the binary and libraries from DIR          CAST2MD_FROM_BUILD
                          (default: ./bin of the checkout this script is in)
  --archive URL           install from a release archive (.tar.gz; https:// or file://), checked
                          against the SHA256SUMS file beside it                CAST2MD_ARCHIVE_URL
  --insecure              allow an http:// archive on a loopback address (a local test server)
  --server-url URL        the server this node works for                     CAST2MD_SERVER_URL
  --name NAME             this node's name (default: the host name)          CAST2MD_NODE_NAME
  --token TOKEN           the server's registration token                    CAST2MD_REGISTRATION_TOKEN
  --service MODE          service | script | manual (default service)        CAST2MD_SERVICE
  --auto-terminate        let the node exit when idle (the service restarts it);
                          default: NODE_PERSISTENT=1                         CAST2MD_AUTO_TERMINATE=1
  --install-deps          install ffmpeg with apt, dnf, pacman or brew if missing
                                                                             CAST2MD_INSTALL_DEPS=1
  --host HOST, --port N   with --server: where `serve` listens (127.0.0.1, 8000)
                                                                             CAST2MD_HOST, CAST2MD_PORT
  --data-dir DIR          with --server: the data folder (default ~/.cast2md/data) CAST2MD_DATA_DIR
  --distributed           with --server: DISTRIBUTED_TRANSCRIPTION_ENABLED=true CAST2MD_DISTRIBUTED=1
  --purge                 with --uninstall --server: also delete the data folder
  -h, --help              this text

Files: ~/.cast2md/bin/cast2md (+ lib*), node.json, node.log, start, stop, restart, logs, status
(server: server.log, server.env, server-start, server-stop, server-restart, server-logs, server-status),
~/.config/systemd/user/cast2md-{node,server}.service or ~/Library/LaunchAgents/com.cast2md.{node,server}.plist.
EOF
}

# ---------------------------------------------------------------- options
unattended=${CAST2MD_UNATTENDED:-0}
action=""
role=node
prefix=${CAST2MD_PREFIX:-}
from_build=${CAST2MD_FROM_BUILD:-}
archive_url=${CAST2MD_ARCHIVE_URL:-}
insecure=0
server_url=${CAST2MD_SERVER_URL:-}
node_name=${CAST2MD_NODE_NAME:-}
token=${CAST2MD_REGISTRATION_TOKEN:-}
service_mode=${CAST2MD_SERVICE:-}
auto_terminate=${CAST2MD_AUTO_TERMINATE:-0}
install_deps=${CAST2MD_INSTALL_DEPS:-}
host=${CAST2MD_HOST:-127.0.0.1}
port=${CAST2MD_PORT:-8000}
data_dir=${CAST2MD_DATA_DIR:-}
distributed=${CAST2MD_DISTRIBUTED:-0}
purge=0

need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi; }
while [ $# -gt 0 ]; do
  case "$1" in
    --unattended|-y) unattended=1 ;;
    --uninstall) action=uninstall ;;
    --update) action=update ;;
    --server) role=server ;;
    --prefix) need_value "$@"; prefix=$2; shift ;;
    --from-build) need_value "$@"; from_build=$2; shift ;;
    --archive) need_value "$@"; archive_url=$2; shift ;;
    --insecure) insecure=1 ;;
    --server-url) need_value "$@"; server_url=$2; shift ;;
    --name) need_value "$@"; node_name=$2; shift ;;
    --token) need_value "$@"; token=$2; shift ;;
    --service) need_value "$@"; service_mode=$2; shift ;;
    --auto-terminate) auto_terminate=1 ;;
    --install-deps) install_deps=1 ;;
    --no-install-deps) install_deps=0 ;;
    --host) need_value "$@"; host=$2; shift ;;
    --port) need_value "$@"; port=$2; shift ;;
    --data-dir) need_value "$@"; data_dir=$2; shift ;;
    --distributed) distributed=1 ;;
    --purge) purge=1 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done

[ -n "${HOME:-}" ] || die "HOME is not set"
state="$HOME/.cast2md"                 # node.json, logs, helpers: where cast2md itself looks
prefix=${prefix:-$state}
case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac
bindir="$prefix/bin"
binary="$bindir/cast2md"
manifest="$state/install-$role.conf"

# ---------------------------------------------------------------- platform
os=${CAST2MD_OS:-$(uname -s)}
case "$os" in
  Linux|linux) os=linux ;;
  Darwin|darwin|macos) os=darwin ;;
  *) die "unsupported system '$os': Linux and macOS are supported (Windows: install.ps1)" ;;
esac
arch=${CAST2MD_ARCH:-$(uname -m)}
case "$arch" in
  x86_64|amd64|x64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) die "unsupported processor '$arch': x86-64 and arm64 are supported" ;;
esac

# The GPU flavour of a release archive: Metal on Apple Silicon, CUDA where the toolkit and a GPU are present.
flavour=""
if [ "$os" = darwin ] && [ "$arch" = arm64 ]; then
  flavour=metal
elif [ "$os" = linux ] && { command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/cuda/bin/nvcc ]; } \
     && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  flavour=cuda
fi

label="cast2md-$role"                     # systemd unit name
plist_label="com.cast2md.$role"
unit_dir="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
unit_file="$unit_dir/$label.service"
plist_file="$HOME/Library/LaunchAgents/$plist_label.plist"
if [ "$role" = node ]; then helper_prefix=""; log_file="$state/node.log"; else helper_prefix="server-"; log_file="$state/server.log"; fi
helpers=(start stop restart logs status)

# ---------------------------------------------------------------- questions
tty_ok() { [ "$unattended" = 1 ] && return 1; { : </dev/tty; } 2>/dev/null; }
ask() { # ask VAR "question" default
  local var=$1 question=$2 default=${3:-} answer=""
  if [ "$unattended" = 1 ]; then printf -v "$var" '%s' "$default"; return; fi
  tty_ok || die "no terminal to ask '$question' on: pass --unattended with flags or env (see --help)"
  if [ -n "$default" ]; then printf '%s [%s]: ' "$question" "$default" >/dev/tty; else printf '%s: ' "$question" >/dev/tty; fi
  IFS= read -r answer </dev/tty || true
  printf -v "$var" '%s' "${answer:-$default}"
}

# ---------------------------------------------------------------- helpers
systemctl_user() { systemctl --user "$@"; }
have_systemd() { command -v systemctl >/dev/null 2>&1; }

write_file() { # write_file PATH MODE < content
  local path=$1 mode=$2
  mkdir -p "$(dirname "$path")"
  cat >"$path.tmp.$$"
  chmod "$mode" "$path.tmp.$$"
  mv -f "$path.tmp.$$" "$path"
}

q() { printf '%q' "$1"; }                   # shell-quote for generated scripts
xml() { local s=$1; s=${s//&/&amp;}; s=${s//</&lt;}; s=${s//>/&gt;}; printf '%s' "$s"; }
systemd_quote() { # quoted only where needed, % escaped as systemd wants
  local s=$1; s=${s//%/%%}
  case "$s" in *[[:space:]\"\'\\]*) s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s" ;; *) printf '%s' "$s" ;; esac
}

ensure_ffmpeg() {
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 && return 0
  local pm="" cmd=() sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  if [ "$os" = darwin ]; then command -v brew >/dev/null 2>&1 && { pm=brew; cmd=(brew install ffmpeg); }
  elif command -v apt-get >/dev/null 2>&1; then pm=apt; cmd=("${sudo[@]}" apt-get install -y ffmpeg)
  elif command -v dnf >/dev/null 2>&1; then pm=dnf; cmd=("${sudo[@]}" dnf install -y ffmpeg)
  elif command -v pacman >/dev/null 2>&1; then pm=pacman; cmd=("${sudo[@]}" pacman -S --needed --noconfirm ffmpeg)
  fi
  if [ -z "$pm" ]; then say "warning: ffmpeg is missing and no apt, dnf, pacman or brew was found: install ffmpeg yourself"; return 0; fi
  if [ -z "$install_deps" ]; then
    if [ "$unattended" = 1 ]; then install_deps=0; else local yn; ask yn "ffmpeg is missing; install it with $pm? (y/n)" y; case "$yn" in [Yy]*) install_deps=1 ;; *) install_deps=0 ;; esac; fi
  fi
  if [ "$install_deps" != 1 ]; then say "warning: ffmpeg is missing (transcription needs it): ${cmd[*]}  (or run with --install-deps)"; return 0; fi
  say "installing ffmpeg: ${cmd[*]}"
  if [ "$pm" = apt ]; then "${sudo[@]}" apt-get update -qq; fi
  "${cmd[@]}"
}

script_dir() { # the folder this script lives in, empty when piped
  local src=${BASH_SOURCE[0]:-}
  case "$src" in ""|/dev/*|/proc/*) return 0 ;; esac
  # Piped into bash, BASH_SOURCE is "main" (no such file): no folder, and no failure under set -e.
  if [ -f "$src" ]; then (cd "$(dirname "$src")" && pwd); fi
}

# Archives come over https only: anyone on the path of an http download could hand us another binary. http is
# allowed with --insecure, and then only from this machine (a test server on loopback).
check_archive_url() { # check_archive_url URL: print curl's --proto value for it, or die
  local url=$1 rest host
  case "$url" in
    https://*) echo "=https" ;;
    file://*) echo "=file" ;;
    http://*)
      rest=${url#http://}; host=${rest%%/*}; host=${host##*@}
      case "$host" in \[*\]*) host=${host%%]*}; host="${host#[}" ;; *) host=${host%%:*} ;; esac
      [ "$insecure" = 1 ] || die "refusing $url: release archives are downloaded over https only (--insecure allows http from a loopback address, for tests)"
      case "$host" in
        localhost|127.*|::1) echo "=http" ;;
        *) die "refusing $url: --insecure allows http only from a loopback address (localhost, 127.0.0.1, [::1]), not from $host" ;;
      esac ;;
    *) die "refusing $url: an archive URL must start with https:// (or file:// for a local file)" ;;
  esac
}

sha256_of() { # sha256_of FILE: the lower-case hex digest
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else die "sha256sum (or shasum) is needed to check the downloaded archive"; fi
}

fetch_archive() { # fetch_archive URL DIR: download and check the archive, unpack it into DIR, print the folder holding cast2md
  local url=$1 dir=$2 proto name sums expected actual
  proto=$(check_archive_url "$url") || exit 1
  say "downloading $url"
  command -v curl >/dev/null 2>&1 || die "curl is needed to download $url"
  curl -fsSL --proto "$proto" --proto-redir "$proto" --retry 3 -o "$dir/cast2md.tar.gz" "$url" || die "could not download $url"
  name=${url%%[?#]*}; name=${name##*/}
  sums="${url%%[?#]*}"; sums="${sums%/*}/SHA256SUMS"
  curl -fsSL --proto "$proto" --proto-redir "$proto" --retry 3 -o "$dir/SHA256SUMS" "$sums" \
    || die "could not download $sums: refusing an archive that cannot be checked"
  expected=$(awk -v n="$name" '$2 == n || $2 == "*" n { print tolower($1); exit }' "$dir/SHA256SUMS")
  [ -n "$expected" ] || die "$sums lists no checksum for $name: refusing it"
  actual=$(sha256_of "$dir/cast2md.tar.gz")
  [ "$actual" = "$expected" ] || die "$name does not match its checksum in $sums (expected $expected, got $actual): refusing it"
  say "checksum of $name verified"
  mkdir -p "$dir/x"
  tar -xzf "$dir/cast2md.tar.gz" -C "$dir/x" || die "$url is not a .tar.gz archive"
  local found
  found=$(find "$dir/x" -maxdepth 3 -type f -name cast2md | head -n 1)
  [ -n "$found" ] || die "$url holds no cast2md binary"
  dirname "$found"
}

# A release is a folder of cast2md-VERSION-RID[-FLAVOUR].tar.gz archives (and cast2md-node-…, the node edition: the
# same program without serve, mcp, import and monitor, in about two thirds of the size) and their SHA256SUMS; the
# installer does not know the version, so it takes the archive for this platform that SHA256SUMS lists (the newest when
# it lists several), the CPU one when there is none of this machine's GPU flavour, and for a node the node edition
# when the release has one.
release_archive() { # release_archive BASE RID DIR: print the name of the archive to install from BASE
  local base=$1 rid=$2 dir=$3 proto names name="" want prefix prefixes="cast2md"
  proto=$(check_archive_url "$base/SHA256SUMS") || exit 1
  curl -fsSL --proto "$proto" --proto-redir "$proto" --retry 3 -o "$dir/SHA256SUMS" "$base/SHA256SUMS" \
    || die "could not download $base/SHA256SUMS (the list of release archives and their checksums)"
  names=$(awk '{ n = $2; sub(/^\*/, "", n); print n }' "$dir/SHA256SUMS")
  [ "$role" = node ] && prefixes="cast2md-node cast2md"
  # A GPU build comes before the node edition's smaller size: a CUDA node takes the full CUDA archive over a CPU node one.
  for want in "$rid${flavour:+-$flavour}" "$rid"; do
    for prefix in $prefixes; do
      name=$(printf '%s\n' "$names" | grep -E "^$prefix-[0-9][^/]*-$want\.tar\.gz\$" | sort -V | tail -n 1) || true
      [ -n "$name" ] && break 2
    done
    [ -n "$flavour" ] && [ "$want" != "$rid" ] && say "no $flavour archive in $base: installing the CPU build"
  done
  [ -n "$name" ] || die "$base/SHA256SUMS lists no cast2md-VERSION-$rid.tar.gz archive for this machine"
  printf '%s\n' "$name"
}

install_binary() {
  local source="" tmp=""
  if [ -n "$archive_url" ]; then
    tmp=$(mktemp -d); source=$(fetch_archive "$archive_url" "$tmp")
  elif [ -n "$from_build" ]; then
    source=$from_build
  else
    local here; here=$(script_dir)
    if [ -n "$here" ] && [ -f "$here/Cast2md.sln" ]; then
      if [ ! -x "$here/bin/cast2md" ]; then
        say "no build in $here/bin yet: running make setup (builds whisper.cpp and the binary)"
        make -C "$here" setup >&2
      fi
      source="$here/bin"
      if [ "$flavour" = cuda ] && [ ! -d "$source/runtimes/cuda" ]; then
        say "note: this machine has CUDA but $source is a CPU build; rebuild with: CAST2MD_GPU=cuda make setup"
      fi
    else
      local base=${CAST2MD_RELEASE_BASE:-https://github.com/meltforce/cast2md-aot/releases/latest/download}
      local rid=linux name; [ "$os" = darwin ] && rid=osx
      base=${base%/}
      tmp=$(mktemp -d); name=$(release_archive "$base" "$rid-$arch" "$tmp")
      source=$(fetch_archive "$base/$name" "$tmp")
    fi
  fi
  [ -x "$source/cast2md" ] || die "no cast2md binary in $source (build it with make setup, or pass --archive URL)"
  mkdir -p "$bindir"
  # The binary is replaced atomically; whisper's runtimes/ folder is copied beside it under a temporary name and
  # swapped in whole. Libraries beside the binary (SQLite's, the monitor's; whisper's before runtimes/) are replaced.
  find "$bindir" -maxdepth 1 \( -name 'lib*.so*' -o -name 'lib*.dylib' -o -name '*.metal' \) -delete 2>/dev/null || true
  if [ -d "$source/runtimes" ]; then
    rm -rf "$bindir/.runtimes.new" "$bindir/.runtimes.old"
    cp -RP "$source/runtimes" "$bindir/.runtimes.new"
    [ -d "$bindir/runtimes" ] && mv "$bindir/runtimes" "$bindir/.runtimes.old"
    mv "$bindir/.runtimes.new" "$bindir/runtimes"
    rm -rf "$bindir/.runtimes.old"
  fi
  local f
  for f in "$source"/cast2md "$source"/lib*.so* "$source"/lib*.dylib; do   # the binary, SQLite's and the monitor's libraries
    [ -e "$f" ] || continue
    cp -P "$f" "$bindir/.$(basename "$f").new" && mv -f "$bindir/.$(basename "$f").new" "$bindir/$(basename "$f")"
  done
  chmod 755 "$binary"
  [ -n "$tmp" ] && rm -rf "$tmp"
  "$binary" --version >/dev/null 2>&1 || die "the installed $binary does not run on this machine"
  say "installed $binary ($("$binary" --version 2>/dev/null | head -n 1))"
}

# ---------------------------------------------------------------- service files
node_env_lines() { [ "$role" = node ] && [ "$auto_terminate" != 1 ] && echo "NODE_PERSISTENT=1"; return 0; }

exec_args() {
  if [ "$role" = node ]; then printf '%s\n' "$binary" node start --no-browser
  else printf '%s\n' "$binary" serve --host "$host" --port "$port"; [ -n "$data_dir" ] && printf '%s\n' --data-dir "$data_dir"; fi
  return 0
}

write_server_env() {
  [ "$role" = server ] || return 0
  {
    echo "# environment of cast2md serve (see README: settings)"
    [ "$distributed" = 1 ] && echo "DISTRIBUTED_TRANSCRIPTION_ENABLED=true"
    [ -n "$token" ] && echo "CAST2MD_REGISTRATION_TOKEN=$token"
    true
  } | write_file "$state/server.env" 600
}

write_systemd_unit() {
  local args=() a line exec_line="" description
  while IFS= read -r line; do args+=("$line"); done < <(exec_args)
  for a in "${args[@]}"; do exec_line+="${exec_line:+ }$(systemd_quote "$a")"; done
  if [ "$role" = node ]; then description="cast2md Transcriber Node"; else description="cast2md Server"; fi
  {
    echo "[Unit]"
    echo "Description=$description"
    echo "After=network.target"
    echo
    echo "[Service]"
    echo "Type=simple"
    echo "WorkingDirectory=$state"
    echo "ExecStart=$exec_line"
    echo "Restart=always"
    echo "RestartSec=10"
    echo "SuccessExitStatus=130"
    while IFS= read -r line; do [ -n "$line" ] && echo "Environment=$line"; done < <(node_env_lines)
    [ "$role" = server ] && echo "EnvironmentFile=-$state/server.env"
    echo "StandardOutput=append:$log_file"
    echo "StandardError=append:$log_file"
    echo
    echo "[Install]"
    echo "WantedBy=default.target"
  } | write_file "$unit_file" 644
}

write_plist() {
  local args=() a env_lines=() line
  while IFS= read -r line; do args+=("$line"); done < <(exec_args)
  while IFS= read -r line; do env_lines+=("$line"); done < <(node_env_lines)
  if [ "$role" = server ] && [ -f "$state/server.env" ]; then
    while IFS= read -r line; do case "$line" in ""|\#*) ;; *) env_lines+=("$line") ;; esac; done <"$state/server.env"
  fi
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">'
    echo '<plist version="1.0">'
    echo '<dict>'
    echo "    <key>Label</key>"
    echo "    <string>$plist_label</string>"
    echo "    <key>ProgramArguments</key>"
    echo "    <array>"
    for a in "${args[@]}"; do echo "        <string>$(xml "$a")</string>"; done
    echo "    </array>"
    echo "    <key>WorkingDirectory</key>"
    echo "    <string>$(xml "$state")</string>"
    if [ ${#env_lines[@]} -gt 0 ]; then
      echo "    <key>EnvironmentVariables</key>"
      echo "    <dict>"
      for line in "${env_lines[@]}"; do
        echo "        <key>$(xml "${line%%=*}")</key>"
        echo "        <string>$(xml "${line#*=}")</string>"
      done
      echo "    </dict>"
    fi
    echo "    <key>RunAtLoad</key>"
    echo "    <true/>"
    echo "    <key>KeepAlive</key>"
    echo "    <true/>"
    echo "    <key>ThrottleInterval</key>"
    echo "    <integer>10</integer>"
    echo "    <key>StandardOutPath</key>"
    echo "    <string>$(xml "$log_file")</string>"
    echo "    <key>StandardErrorPath</key>"
    echo "    <string>$(xml "$log_file")</string>"
    echo '</dict>'
    echo '</plist>'
  } | write_file "$plist_file" 600
}

# The foreground runner for the "shell script" choice; helpers start it in the background.
write_runner() {
  local runner="$state/run-$role" env_export="" line args=() a command_line=""
  while IFS= read -r line; do args+=("$line"); done < <(exec_args)
  for a in "${args[@]}"; do command_line+="${command_line:+ }$(q "$a")"; done
  while IFS= read -r line; do [ -n "$line" ] && env_export+="export $line"$'\n'; done < <(node_env_lines)
  if [ "$role" = server ]; then env_export+="set -a; [ -f $(q "$state/server.env") ] && . $(q "$state/server.env"); set +a"$'\n'; fi
  {
    echo "#!/usr/bin/env bash"
    echo "# Runs cast2md $role in the foreground; when it exits (auto-termination, a crash) it starts again after 10 s."
    echo "# Ctrl+C (or SIGTERM from ~/.cast2md/${helper_prefix}stop) ends it."
    printf '%s' "$env_export"
    echo "trap 'exit 0' INT TERM"
    echo "while true; do"
    echo "  $command_line &"
    echo "  child=\$!"
    echo "  trap 'kill -TERM \$child 2>/dev/null; wait \$child; exit 0' INT TERM"
    echo "  wait \$child"
    echo "  echo \"cast2md $role exited (\$?); starting again in 10 s\" >&2"
    echo "  sleep 10"
    echo "done"
  } | write_file "$runner" 755
}

write_helpers() {
  local mode=$1 h body pidfile="$state/$role.pid" runner="$state/run-$role"
  for h in "${helpers[@]}"; do
    case "$mode:$os:$h" in
      service:linux:start|service:linux:stop|service:linux:restart) body="exec systemctl --user $h $label" ;;
      service:linux:status) body="systemctl --user status $label --no-pager || true"$'\n'"$( [ "$role" = node ] && echo "exec $(q "$binary") node status" || echo "exit 0")" ;;
      service:darwin:start) body="exec launchctl load -w $(q "$plist_file")" ;;
      service:darwin:stop) body="exec launchctl unload $(q "$plist_file")" ;;
      service:darwin:restart) body="launchctl unload $(q "$plist_file") 2>/dev/null || true"$'\n'"exec launchctl load -w $(q "$plist_file")" ;;
      service:darwin:status) body="launchctl list | grep -F $plist_label || echo '$plist_label is not loaded'"$'\n'"$( [ "$role" = node ] && echo "exec $(q "$binary") node status" || echo "exit 0")" ;;
      *:start) body="if [ -f $(q "$pidfile") ] && kill -0 \"\$(cat $(q "$pidfile"))\" 2>/dev/null; then echo 'already running'; exit 0; fi"$'\n'"nohup $(q "$runner") >>$(q "$log_file") 2>&1 </dev/null &"$'\n'"echo \$! >$(q "$pidfile")"$'\n'"echo \"started (pid \$!); log: $log_file\"" ;;
      *:stop) body="[ -f $(q "$pidfile") ] || { echo 'not running'; exit 0; }"$'\n'"kill -TERM \"\$(cat $(q "$pidfile"))\" 2>/dev/null || true"$'\n'"rm -f $(q "$pidfile")"$'\n'"echo stopped" ;;
      *:restart) body="$(q "$state/${helper_prefix}stop")"$'\n'"exec $(q "$state/${helper_prefix}start")" ;;
      *:status) body="if [ -f $(q "$pidfile") ] && kill -0 \"\$(cat $(q "$pidfile"))\" 2>/dev/null; then echo \"running (pid \$(cat $(q "$pidfile")))\"; else echo 'not running'; fi"$'\n'"$( [ "$role" = node ] && echo "exec $(q "$binary") node status" || echo "exit 0")" ;;
    esac
    [ "$h" = logs ] && body="touch $(q "$log_file")"$'\n'"exec tail -n 100 -F $(q "$log_file")"
    printf '#!/usr/bin/env bash\n# cast2md %s: %s (written by install.sh)\n%s\n' "$role" "$h" "$body" | write_file "$state/$helper_prefix$h" 755
  done
}

# ---------------------------------------------------------------- service control
service_start() {
  if [ "$os" = linux ]; then
    have_systemd || die "systemctl not found: choose --service script or manual"
    systemctl_user daemon-reload
    systemctl_user enable "$label.service"
    systemctl_user restart "$label.service"
    if command -v loginctl >/dev/null 2>&1; then
      loginctl enable-linger "${USER:-$(id -un)}" || say "warning: loginctl enable-linger failed: the $role stops when you log out"
    fi
  else
    launchctl unload "$plist_file" >/dev/null 2>&1 || true
    launchctl load -w "$plist_file"
  fi
}

service_remove() {
  if [ "$os" = linux ]; then
    if [ -f "$unit_file" ]; then
      if have_systemd; then systemctl_user disable --now "$label.service" || true; fi
      rm -f "$unit_file"
      if have_systemd; then systemctl_user daemon-reload || true; fi
      rmdir "$unit_dir" "$(dirname "$unit_dir")" "${XDG_CONFIG_HOME:-$HOME/.config}" 2>/dev/null || true
    fi
  elif [ -f "$plist_file" ]; then
    launchctl unload "$plist_file" >/dev/null 2>&1 || true
    rm -f "$plist_file"
    rmdir "$(dirname "$plist_file")" "$HOME/Library" 2>/dev/null || true
  fi
}

script_stop() {
  local pidfile="$state/$role.pid"
  if [ -f "$pidfile" ]; then kill -TERM "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
}

manifest_get() { sed -n "s/^$1=//p" "$manifest" 2>/dev/null | tail -n 1; }

write_manifest() {
  {
    echo "# written by install.sh; read by its update and uninstall"
    echo "role=$role"
    echo "os=$os"
    echo "prefix=$prefix"
    echo "service=$service_mode"
    echo "auto_terminate=$auto_terminate"
    if [ "$role" = server ]; then echo "host=$host"; echo "port=$port"; echo "data_dir=$data_dir"; echo "distributed=$distributed"; fi
  } | write_file "$manifest" 600
}

configure_and_start() {
  write_server_env
  rm -f "$state/run-$role"
  case "$service_mode" in
    service)
      if [ "$os" = linux ]; then write_systemd_unit; else write_plist; fi
      write_helpers service
      service_start
      say "the $role runs as a service: ~/.cast2md/${helper_prefix}{start,stop,restart,logs,status}; log: $log_file" ;;
    script)
      write_runner
      write_helpers script
      say "start the $role with ~/.cast2md/${helper_prefix}start (background) or $state/run-$role (foreground)" ;;
    manual)
      write_helpers manual
      write_runner
      say "start the $role yourself: $(exec_args | tr '\n' ' ')(or ~/.cast2md/${helper_prefix}start)" ;;
    *) die "unknown service choice '$service_mode': service, script or manual" ;;
  esac
}

# ---------------------------------------------------------------- actions
do_uninstall() {
  [ -f "$manifest" ] || [ -f "$unit_file" ] || [ -f "$plist_file" ] || [ -x "$binary" ] || { say "nothing to uninstall"; return 0; }
  local old_prefix; old_prefix=$(manifest_get prefix); [ -n "$old_prefix" ] && { prefix=$old_prefix; bindir="$prefix/bin"; binary="$bindir/cast2md"; }
  service_remove
  script_stop
  if [ "$role" = node ] && [ -f "$state/node.json" ]; then
    if [ -x "$binary" ]; then "$binary" node unregister --force || say "warning: could not unregister from the server; node.json removed anyway"; fi
    rm -f "$state/node.json"
  fi
  local h
  for h in "${helpers[@]}"; do rm -f "$state/$helper_prefix$h"; done
  rm -f "$manifest" "$log_file" "$state/run-$role" "$state/$role.pid"
  if [ "$role" = node ]; then rm -rf "$state/spool" "$state/node-work"; else rm -f "$state/server.env"; fi
  if [ "$role" = server ] && [ "$purge" = 1 ]; then
    local d=${data_dir:-$(manifest_get data_dir)}; rm -rf "${d:-$state/data}"
  fi
  # The binary, its libraries and the downloaded models go when neither a node nor a server install remains.
  if [ ! -f "$state/install-node.conf" ] && [ ! -f "$state/install-server.conf" ]; then
    rm -rf "$bindir" "$state/models"
    rmdir "$prefix" 2>/dev/null || true
    if [ -d "$state/data" ]; then say "kept $state/data (a server's database, transcripts and audio; --server --uninstall --purge removes it)"; fi
    rmdir "$state" 2>/dev/null || true
  fi
  say "uninstalled the cast2md $role"
}

register_node() {
  if [ -f "$state/node.json" ]; then
    local current; current=$(sed -n 's/.*"server_url"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$state/node.json" | head -n 1)
    if [ "${current%/}" = "${server_url%/}" ]; then say "keeping the registration in $state/node.json"; return 0; fi
  fi
  local args=(node register --server "$server_url" --name "$node_name")
  [ -n "$token" ] && args+=(--token "$token")
  "$binary" "${args[@]}" || die "registration with $server_url failed (is the server reachable, distributed transcription on, the token right?)"
}

do_install() {
  if [ -z "$service_mode" ]; then
    if [ "$unattended" = 1 ]; then service_mode=service; else
      local choice
      printf 'How should the %s run?\n  1) auto-start service (%s)\n  2) shell script (%s/run-%s)\n  3) manual\n' "$role" "$( [ "$os" = linux ] && echo systemd || echo launchd)" "$state" "$role" >/dev/tty
      ask choice "Choice" 1
      case "$choice" in 1|service) service_mode=service ;; 2|script) service_mode=script ;; 3|manual) service_mode=manual ;; *) die "no such choice: $choice" ;; esac
    fi
  fi
  case "$service_mode" in service|script|manual) ;; *) die "CAST2MD_SERVICE / --service must be service, script or manual, not '$service_mode'" ;; esac
  if [ "$role" = node ]; then
    [ -n "$server_url" ] || ask server_url "Server URL (e.g. http://192.168.1.100:8000)" ""
    [ -n "$server_url" ] || die "a server URL is needed: --server-url or CAST2MD_SERVER_URL"
    case "$server_url" in http://*|https://*) ;; *) die "the server URL must start with http:// or https:// (got '$server_url')" ;; esac
    [ -n "$node_name" ] || ask node_name "Node name" "$(hostname 2>/dev/null || uname -n)"
  fi
  # A refused archive URL leaves nothing behind: check it before anything is created.
  [ -z "$archive_url" ] || check_archive_url "$archive_url" >/dev/null
  mkdir -p "$state"; chmod 700 "$state"
  ensure_ffmpeg
  install_binary
  [ "$role" = node ] && register_node
  write_manifest
  configure_and_start
  say "installed the cast2md $role"
}

do_update() {
  # Settings from the previous install, unless given again now.
  service_mode=${service_mode:-$(manifest_get service)}
  [ "$auto_terminate" = 1 ] || auto_terminate=$(manifest_get auto_terminate)
  auto_terminate=${auto_terminate:-0}
  local old_prefix; old_prefix=$(manifest_get prefix)
  if [ -z "${CAST2MD_PREFIX:-}" ] && [ -n "$old_prefix" ] && [ "$prefix" = "$state" ]; then prefix=$old_prefix; bindir="$prefix/bin"; binary="$bindir/cast2md"; fi
  if [ "$role" = server ]; then
    [ -n "${CAST2MD_HOST:-}" ] || [ "$host" != 127.0.0.1 ] || host=$(manifest_get host); host=${host:-127.0.0.1}
    [ -n "${CAST2MD_PORT:-}" ] || [ "$port" != 8000 ] || port=$(manifest_get port); port=${port:-8000}
    data_dir=${data_dir:-$(manifest_get data_dir)}
    [ "$distributed" = 1 ] || distributed=$(manifest_get distributed); distributed=${distributed:-0}
    if [ -z "$token" ] && [ -f "$state/server.env" ]; then token=$(sed -n 's/^CAST2MD_REGISTRATION_TOKEN=//p' "$state/server.env"); fi
  fi
  case "$service_mode" in script|manual) script_stop ;; esac
  install_binary
  write_manifest
  configure_and_start
  say "updated the cast2md $role (node.json kept)"
}

if [ -z "$action" ]; then
  if [ -f "$manifest" ]; then
    if [ "$unattended" = 1 ]; then action=update; else
      say "found an existing install ($manifest)"
      choice=""; ask choice "Update (u), uninstall (x) or quit (q)?" u
      case "$choice" in u*|U*) action=update ;; x*|X*) action=uninstall ;; *) say "nothing done"; exit 0 ;; esac
    fi
  else
    action=install
  fi
fi
if [ "$action" = update ] && [ ! -f "$manifest" ]; then say "no install to update: installing"; action=install; fi

case "$action" in
  install) do_install ;;
  update) do_update ;;
  uninstall) do_uninstall ;;
esac
