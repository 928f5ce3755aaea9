#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md: ./bin/cast2md transcribe against whisper.cpp's own whisper-cli
# built from the same source (.native/bin/whisper-cli), same model, file, threads and decoding settings
# (beam 5, best-of 5, language fixed), run alternately; wall time and peak RSS from GNU time.
#   scripts/bench.sh [runs=3] [threads=2]
# Then the server figures: feed parsing (5,000 items), queue claim+complete cycles with 1, 4 and 16 workers,
# and GET /api/queue/status under 50 concurrent connections (wrk against the published binary).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}; threads=${2:-2}
shared=${CAST2MD_SHARED:-../shared}
model=$shared/models/ggml-tiny-q8_0.bin
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ ! -x bin/cast2md ] || [ ! -x .native/bin/whisper-cli ]; then echo "run make setup first" >&2; exit 1; fi

# A >=10-minute file: jfk.wav looped 55 times (11 s each, 10 min 5 s).
long=$work/jfk-x55.wav
ffmpeg -nostdin -loglevel error -stream_loop 54 -i "$shared/audio/jfk.wav" -c copy "$long"

measure() { # prints "seconds peak_kib"
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/t"
}

bench_file() {
  local label=$1 file=$2
  local ours=() theirs=() ours_rss=0 theirs_rss=0
  for _ in $(seq "$runs"); do
    # --no-vad: whisper-cli transcribes every sample, so ours does too (scripts/bench-vad.sh measures the detection).
    read -r s m < <(measure bin/cast2md transcribe "$file" --model "$model" --threads "$threads" --language en --beam-size 5 --no-vad --progress none -o "$work/out.md")
    ours+=("$s"); [ "$m" -gt "$ours_rss" ] && ours_rss=$m
    read -r s m < <(measure .native/bin/whisper-cli -m "$model" -f "$file" -t "$threads" -l en -bs 5 -bo 5 -np)
    theirs+=("$s"); [ "$m" -gt "$theirs_rss" ] && theirs_rss=$m
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
  local mo mt; mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}")
  printf '| %s | %s s | %s s | %.3f | %d MiB | %d MiB |\n' "$label" "$mo" "$mt" "$(awk -v a="$mo" -v b="$mt" 'BEGIN{print a/b}')" $((ours_rss / 1024)) $((theirs_rss / 1024))
  echo "  runs (cast2md): ${ours[*]}  (whisper-cli): ${theirs[*]}" >&2
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "whisper.cpp $(grep WHISPER_VERSION native/whisper.lock | cut -d= -f2), model $(basename "$model"), threads $threads, beam 5, median of $runs alternating runs"
echo
echo "| file | cast2md transcribe | whisper-cli | ratio | cast2md peak RSS | whisper-cli peak RSS |"
echo "| --- | --- | --- | --- | --- | --- |"
bench_file "jfk.wav (11 s)" "$shared/audio/jfk.wav"
bench_file "jfk.wav x55 (10 min 5 s)" "$long"
echo
echo "./bin size: $(du -sh bin | cut -f1) ($(du -sh bin/cast2md | cut -f1) executable + whisper/ggml libraries)"
hyperfine -N --warmup 3 --runs 30 --export-markdown "$work/help.md" 'bin/cast2md --help' >/dev/null 2>&1 && \
  echo "cold start of cast2md --help: $(sed -n 3p "$work/help.md" | cut -d'|' -f3 | sed 's/^ *//;s/ *$//') ms (hyperfine, 30 runs)"

echo
echo "## Server"
dotnet build tests/Cast2md.Benchmarks -c Release -v quiet -nologo >/dev/null
bench=tests/Cast2md.Benchmarks/bin/Release/net10.0/Cast2md.Benchmarks.dll
dotnet "$bench" feed-parse 5000
for workers in 1 4 16; do dotnet "$bench" queue "$workers" 2000; done
if command -v wrk >/dev/null; then
  data=$work/serve-data
  bin/cast2md serve --port 0 --data-dir "$data" 2>"$work/serve.log" &
  serve_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -n1)
  wrk -t 2 -c 50 -d 10s --latency "$url/api/queue/status" | grep -E "Requests/sec|99%|Latency  " || true
  kill -TERM "$serve_pid"; wait "$serve_pid" || true
else
  echo "wrk not installed (apt-get install wrk): skipping the HTTP figure"
fi
