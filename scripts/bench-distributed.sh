#!/usr/bin/env bash
# Reproduces the distributed figures in BENCHMARKS.md, against the published ./bin/cast2md on loopback:
#   1. dispatch latency (job queued through the API -> a node's claim returns it), long-poll vs the original's 5 s poll
#   2. claim->complete cycles per second with 50 concurrent nodes (HTTP, one SQLite file)
#   3. fleet scaling: the same 24 jobs (jfk.wav, stand-in model) with 1, 2 and 4 `cast2md node start` processes
#   4. an idle node's resident memory and the installed size
#   scripts/bench-distributed.sh [dispatch_samples=40]      (SKIP_DISPATCH=1: only fleet scaling and the idle node)
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-40}
shared=${CAST2MD_SHARED:-../shared}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -x bin/cast2md ] || { echo "run make setup first" >&2; exit 1; }
dotnet build tests/Cast2md.Benchmarks -c Release -v quiet -nologo >/dev/null
bench=tests/Cast2md.Benchmarks/bin/Release/net10.0/Cast2md.Benchmarks.dll
export DISTRIBUTED_TRANSCRIPTION_ENABLED=true LOCAL_TRANSCRIPTION_ENABLED=false

start_server() { # $1 = data dir; sets $url
  bin/cast2md serve --port 0 --data-dir "$1" 2>"$1.log" &
  pids+=($!)
  for _ in $(seq 100); do url=$(grep -o 'listening on http://[0-9.:]*' "$1.log" | head -1 | cut -d' ' -f3) && [ -n "$url" ] && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$1.log" >&2; exit 1
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo
if [ -z "${SKIP_DISPATCH:-}" ]; then
echo "## Dispatch latency"
start_server "$work/d1"
dotnet "$bench" dispatch "$url" "$work/d1" long "$samples"
dotnet "$bench" dispatch "$url" "$work/d1" poll $((samples / 2))

echo
echo "## Claim -> complete cycles, 50 nodes"
start_server "$work/d2"
dotnet "$bench" claims "$url" "$work/d2" 50 1000
fi

echo
echo "## Fleet scaling: 24 jobs (jfk.wav, stand-in model), nodes on this machine"
for n in 1 2 4; do
  data=$work/fleet-$n
  start_server "$data"
  server_pid=${pids[-1]}
  homes=()
  for i in $(seq "$n"); do
    home=$work/fleet-$n-home-$i; mkdir -p "$home"; homes+=("$home")
    HOME=$home bin/cast2md node register --server "$url" --name "fleet-$i" >/dev/null
  done
  # 24 episodes with jfk.wav as their audio, queued for transcription.
  python3 - "$data" "$shared/audio/jfk.wav" <<'PY'
import sqlite3, sys, shutil, os, time
data, wav = sys.argv[1], sys.argv[2]
db = sqlite3.connect(os.path.join(data, "cast2md.db"))
now = int(time.time() * 1000)
db.execute("INSERT INTO feeds (url, title, created_ms, updated_ms) VALUES ('https://bench.example/f.xml', 'Fleet', ?, ?)", (now, now))
os.makedirs(os.path.join(data, "audio", "Fleet"), exist_ok=True)
for i in range(24):
    rel = f"audio/Fleet/undated_Episode-{i}.wav"
    shutil.copy(wav, os.path.join(data, rel))
    cur = db.execute("INSERT INTO episodes (feed_id, guid, title, status, audio_path, created_ms, updated_ms) VALUES (1, ?, ?, 'audio_ready', ?, ?, ?)", (f"g{i}", f"Episode {i}", rel, now, now))
    db.execute("INSERT INTO jobs (episode_id, job_type, max_attempts, run_after_ms, created_ms) VALUES (?, 'transcribe', 5, ?, ?)", (cur.lastrowid, now + 3_600_000, now))
db.commit()
PY
  node_pids=()
  for home in "${homes[@]}"; do
    # Each node takes its share of the cores (at least one thread), as separate machines would each have their own.
    HOME=$home NODE_PERSISTENT=1 WHISPER_THREADS=$(( $(nproc) / n > 0 ? $(nproc) / n : 1 )) \
      WHISPER_MODEL="$shared/models/for-tests-ggml-tiny.en.bin" bin/cast2md node start --port 0 2>"$home/node.log" &
    node_pids+=($!); pids+=($!)
  done
  sleep 2
  start=$(date +%s.%N)
  # Release the 24 jobs at once.
  python3 -c "import sqlite3,sys,time; db=sqlite3.connect(sys.argv[1]); db.execute('UPDATE jobs SET run_after_ms=?', (int(time.time()*1000),)); db.commit()" "$data/cast2md.db"
  until [ "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM jobs WHERE status='completed'\").fetchone()[0])" "$data/cast2md.db")" = 24 ]; do sleep 0.2; done
  end=$(date +%s.%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
  [ "$n" = 1 ] && one=$wall
  echo "nodes=$n wall_s=$wall efficiency=$(awk -v t1="$one" -v tn="$wall" -v n="$n" 'BEGIN{printf "%.2f", t1/(n*tn)}')"
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$server_pid" 2>/dev/null || true
  wait "${node_pids[@]}" "$server_pid" 2>/dev/null || true
done

echo
echo "## An idle node"
start_server "$work/idle"
mkdir -p "$work/idle-home"
HOME=$work/idle-home bin/cast2md node register --server "$url" --name idle >/dev/null
HOME=$work/idle-home NODE_PERSISTENT=1 bin/cast2md node start --port 0 2>/dev/null &
node=$!; pids+=($node)
sleep 10
echo "idle node resident memory: $(awk '/VmRSS/{printf "%.1f MiB", $2/1024}' "/proc/$node/status") (after 10 s, long-polling)"
echo "installed size: $(du -sh bin | cut -f1) (./bin: the cast2md executable and the whisper.cpp/ggml libraries; whisper-cli not needed)"
