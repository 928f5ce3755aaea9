#!/usr/bin/env bash
# Reproduces the "one long episode across nodes" figure in BENCHMARKS.md, with the published ./bin/cast2md on
# loopback: a 30-minute spoken episode (espeak-ng reading the GPL-3 text, a pause at each paragraph, as MP3) transcribed
#   1. whole, by one `cast2md node start` with all the cores (WHISPER_THREADS = nproc)
#   2. split into spans across N node processes, each with its share of the cores (WHISPER_THREADS = nproc / N, at
#      least 1), SPLIT_MIN_MINUTES below the episode's length
# and reports, per run, the wall time from releasing the job to the episode's transcript being committed, how many
# spans it became, the words' agreement between the two transcripts (1 - word edit distance / words), and each
# one's word error rate against the text that was read.
#   scripts/bench-split.sh [nodes=3] [minutes=30] [model=../shared/models/ggml-tiny-q8_0.bin]
# Every node decodes with one state (WHISPER_PARALLEL=1) so the figure is the split's, not the node's own parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-3}
minutes=${2:-30}
shared=${CAST2MD_SHARED:-../shared}
model=$(realpath "${3:-$shared/models/ggml-tiny-q8_0.bin}")
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -x bin/cast2md ] || { echo "run make setup first" >&2; exit 1; }
# The nodes find the Silero model in the shared folder (they cannot download it here), as an installed node has it.
export DISTRIBUTED_TRANSCRIPTION_ENABLED=true LOCAL_TRANSCRIPTION_ENABLED=false WHISPER_PARALLEL=1 WHISPER_MODEL="$model" \
  WHISPER_VAD_MODEL="$(realpath "$shared/models/ggml-silero-v6.2.0.bin")"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "model: $model"

# The episode: whole paragraphs of the GPL-3 read aloud (espeak-ng speaks at 22.05 kHz), 1.5 s of silence between
# them, until at least $minutes minutes are filled; what was read is kept to score both transcripts against.
python3 - "$work" "$minutes" <<'PY'
import os, subprocess, sys
work, minutes = sys.argv[1], float(sys.argv[2])
text = open("/usr/share/common-licenses/GPL-3").read()
paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if len(p.split()) > 3]
parts, spoken, total, i = [], [], 0.0, 0
silence = os.path.join(work, "pause.wav")
subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", silence, "trim", "0", "1.5"], check=True)
while total < minutes * 60:
    wav = os.path.join(work, f"p{i:04d}.wav")
    subprocess.run(["espeak-ng", "-s", "165", "-w", wav, paragraphs[i % len(paragraphs)]], check=True)
    total += float(subprocess.run(["soxi", "-D", wav], capture_output=True, text=True, check=True).stdout) + 1.5
    parts += [wav, silence]
    spoken.append(paragraphs[i % len(paragraphs)])
    i += 1
subprocess.run(["sox", "-V1", *parts, "-r", "16000", "-c", "1", os.path.join(work, "long.wav")], check=True)
open(os.path.join(work, "spoken.txt"), "w").write("\n".join(spoken))
PY
ffmpeg -v error -i "$work/long.wav" -ac 1 -b:a 64k "$work/episode.mp3"
echo "episode: $(soxi -d "$work/long.wav") of speech, $(du -h "$work/episode.mp3" | cut -f1) as MP3"

start_server() { # $1 = data dir; sets $url
  bin/cast2md serve --port 0 --data-dir "$1" 2>"$1.log" &
  pids+=($!)
  for _ in $(seq 100); do url=$(grep -o 'listening on http://[0-9.:]*' "$1.log" | head -1 | cut -d' ' -f3) && [ -n "$url" ] && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$1.log" >&2; exit 1
}

sql() { python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); r=db.execute(sys.argv[2]).fetchone(); db.commit(); print('' if r is None or r[0] is None else r[0])" "$@"; }

run() { # $1 = label, $2 = node count, $3 = SPLIT_MIN_MINUTES; prints one line, leaves the JSON transcript in $work/$1.json
  local label=$1 n=$2 data=$work/$1
  SPLIT_MIN_MINUTES=$3 start_server "$data"
  local server_pid=${pids[-1]} node_pids=() threads=$(( $(nproc) / $2 > 0 ? $(nproc) / $2 : 1 ))
  python3 - "$data" "$work/episode.mp3" <<'PY'
import sqlite3, sys, shutil, os, time
data, audio = sys.argv[1], sys.argv[2]
db = sqlite3.connect(os.path.join(data, "cast2md.db"))
now = int(time.time() * 1000)
db.execute("INSERT INTO feeds (url, title, created_ms, updated_ms) VALUES ('https://bench.example/long.xml', 'Long', ?, ?)", (now, now))
os.makedirs(os.path.join(data, "audio", "Long"), exist_ok=True)
rel = "audio/Long/undated_The-long-one.mp3"
shutil.copy(audio, os.path.join(data, rel))
cur = db.execute("INSERT INTO episodes (feed_id, guid, title, status, audio_path, created_ms, updated_ms) VALUES (1, 'long', 'The long one', 'audio_ready', ?, ?, ?)", (rel, now, now))
db.commit()
PY
  for i in $(seq "$n"); do
    local home=$data-home-$i; mkdir -p "$home"
    HOME=$home bin/cast2md node register --server "$url" --name "$label-$i" >/dev/null
    HOME=$home NODE_PERSISTENT=1 WHISPER_THREADS=$threads bin/cast2md node start --port 0 2>"$home/node.log" &
    node_pids+=($!); pids+=($!)
  done
  # Every node registered and parked in its long-poll claim, so the server sees them idle when the job is released.
  until [ "$(sql "$data/cast2md.db" "SELECT COUNT(*) FROM nodes WHERE last_heartbeat_ms > CAST(strftime('%s','now') AS INTEGER)*1000 - 15000")" = "$n" ]; do sleep 0.2; done
  sleep 3
  local start end
  start=$(date +%s.%N)
  # Queued through the API, as a user would, so the parked claims are woken at once.
  curl -fsS -X POST "$url/api/queue/episodes/1/transcribe" >/dev/null
  until [ "$(sql "$data/cast2md.db" "SELECT status FROM jobs WHERE parent_job_id IS NULL AND job_type='transcribe'")" = completed ]; do
    [ "$(sql "$data/cast2md.db" "SELECT status FROM jobs WHERE parent_job_id IS NULL AND job_type='transcribe'")" = failed ] && { echo "$label: the job failed" >&2; tail -n 20 "$data.log" >&2; exit 1; }
    sleep 0.2
  done
  end=$(date +%s.%N)
  local spans transcript
  spans=$(sql "$data/cast2md.db" "SELECT COUNT(*) FROM jobs WHERE parent_job_id IS NOT NULL")
  transcript=$(sql "$data/cast2md.db" "SELECT transcript_path FROM episodes")
  cp "$data/${transcript%.md}.json" "$work/$label.json"
  echo "$label: nodes=$n threads_each=$threads spans=$spans wall_s=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')"
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$server_pid" 2>/dev/null || true
  wait "${node_pids[@]}" "$server_pid" 2>/dev/null || true
}

run whole 1 1000
run split "$nodes" $(( minutes / 2 ))

python3 - "$work/spoken.txt" "$work/whole.json" "$work/split.json" <<'PY'
import json, re, sys
def words_of(text):
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))
def transcript(path):
    return words_of(" ".join(s["text"] for s in json.load(open(path))["segments"]))
def distance(a, b):
    # Word edit distance (Levenshtein over words), one row at a time.
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
        previous = current
    return previous[-1]
spoken = words_of(open(sys.argv[1]).read())
whole, split = transcript(sys.argv[2]), transcript(sys.argv[3])
print(f"words: spoken={len(spoken)} whole={len(whole)} split={len(split)}")
print(f"agreement whole vs split: {1 - distance(whole, split) / len(whole):.4f} (1 - word edit distance / words)")
print(f"word error rate against the text read: whole={distance(spoken, whole) / len(spoken):.4f} split={distance(spoken, split) / len(spoken):.4f}")
PY
