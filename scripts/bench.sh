#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md: ./bin/cast2md transcribe on NuGet's prebuilt whisper runtime and on the
# build for this CPU (runtimes/native/, from `make whisper-cli`), against whisper.cpp's own whisper-cli from that
# same source build (.native/bin/whisper-cli): same model, file, threads and decoding settings (beam 5, best-of 5,
# language fixed, flash attention on), run alternately; wall time and peak RSS from GNU time.
#   scripts/bench.sh [runs=3] [threads=2]
# Then the server figures: feed parsing (5,000 items), queue claim+complete cycles with 1, 4 and 16 workers,
# and GET /api/queue/status under 50 concurrent connections (wrk against the published binary).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}; threads=${2:-2}
shared=${CAST2MD_SHARED:-../shared}
model=$shared/models/ggml-tiny-q8_0.bin
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ ! -x bin/cast2md ] || [ ! -x .native/bin/whisper-cli ]; then echo "run make whisper-cli setup first" >&2; exit 1; fi
rid_dir=$(cd bin/runtimes && for d in linux-* macos-*; do [ -d "$d" ] && echo "$d" && break; done)
prebuilt=bin/runtimes/$rid_dir; native=bin/runtimes/native/$rid_dir
[ -d "$native" ] || { echo "no $native: run make whisper-cli setup first" >&2; exit 1; }

# A >=10-minute file: jfk.wav looped 55 times (11 s each, 10 min 5 s).
long=$work/jfk-x55.wav
ffmpeg -nostdin -loglevel error -stream_loop 54 -i "$shared/audio/jfk.wav" -c copy "$long"

measure() { # prints "seconds peak_kib"
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/t"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

bench_file() {
  local label=$1 file=$2
  local pre=() nat=() cli=() pre_rss=0 nat_rss=0 cli_rss=0 s m
  # --no-vad: whisper-cli transcribes every sample, so ours does too (scripts/bench-vad.sh measures the detection).
  # --parallel 1: one whisper state with every thread, as whisper-cli without -p (bench_parallel measures the states).
  local args=(transcribe "$file" --model "$model" --threads "$threads" --language en --beam-size 5 --no-vad --parallel 1 --progress none -o "$work/out.md")
  for _ in $(seq "$runs"); do
    read -r s m < <(CAST2MD_WHISPER_LIB=$prebuilt measure bin/cast2md "${args[@]}"); pre+=("$s"); [ "$m" -gt "$pre_rss" ] && pre_rss=$m
    read -r s m < <(CAST2MD_WHISPER_LIB=$native measure bin/cast2md "${args[@]}"); nat+=("$s"); [ "$m" -gt "$nat_rss" ] && nat_rss=$m
    read -r s m < <(measure .native/bin/whisper-cli -m "$model" -f "$file" -t "$threads" -l en -bs 5 -bo 5 -fa -np); cli+=("$s"); [ "$m" -gt "$cli_rss" ] && cli_rss=$m
  done
  local mp mn mc; mp=$(median "${pre[@]}"); mn=$(median "${nat[@]}"); mc=$(median "${cli[@]}")
  printf '| %s | %s s (%.3f) | %s s (%.3f) | %s s | %d / %d / %d MiB |\n' "$label" "$mp" "$(awk -v a="$mp" -v b="$mc" 'BEGIN{print a/b}')" \
    "$mn" "$(awk -v a="$mn" -v b="$mc" 'BEGIN{print a/b}')" "$mc" $((pre_rss / 1024)) $((nat_rss / 1024)) $((cli_rss / 1024))
  echo "  runs (prebuilt): ${pre[*]}  (native): ${nat[*]}  (whisper-cli): ${cli[*]}" >&2
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "whisper.cpp $(grep WHISPER_VERSION native/whisper.lock | cut -d= -f2), model $(basename "$model"), threads $threads, beam 5, median of $runs alternating runs"
echo
echo "runtimes: prebuilt $(CAST2MD_WHISPER_LIB=$prebuilt bin/cast2md --version | tail -n1 | sed 's/whisper runtime: //'); native $(CAST2MD_WHISPER_LIB=$native bin/cast2md --version | tail -n1 | sed 's/whisper runtime: //')"
echo "| file | cast2md, prebuilt runtime (÷ whisper-cli) | cast2md, native runtime (÷ whisper-cli) | whisper-cli | peak RSS prebuilt / native / whisper-cli |"
echo "| --- | --- | --- | --- | --- |"
bench_file "jfk.wav (11 s)" "$shared/audio/jfk.wav"
bench_file "jfk.wav x55 (10 min 5 s)" "$long"
# Parallel decoding: one state with every thread against one state per thread (ours and whisper-cli -p), alternated.
bench_parallel() {
  local file=$1 one=() many=() cli_one=() cli_many=() s m
  local args=(transcribe "$file" --model "$model" --language en --beam-size 5 --no-vad --progress none -o "$work/out.md")
  for _ in $(seq "$runs"); do
    read -r s m < <(measure bin/cast2md "${args[@]}" --threads "$threads" --parallel 1); one+=("$s:$((m / 1024))")
    read -r s m < <(measure bin/cast2md "${args[@]}" --threads "$threads" --parallel "$threads"); many+=("$s:$((m / 1024))")
    read -r s m < <(measure .native/bin/whisper-cli -m "$model" -f "$file" -t "$threads" -l en -bs 5 -bo 5 -fa -np); cli_one+=("$s:$((m / 1024))")
    read -r s m < <(measure .native/bin/whisper-cli -m "$model" -f "$file" -t 1 -p "$threads" -l en -bs 5 -bo 5 -fa -np); cli_many+=("$s:$((m / 1024))")
  done
  echo "| cast2md, 1 state x $threads threads | ${one[*]} |"
  echo "| cast2md, $threads states x 1 thread (--parallel $threads) | ${many[*]} |"
  echo "| whisper-cli -t $threads | ${cli_one[*]} |"
  echo "| whisper-cli -p $threads -t 1 | ${cli_many[*]} |"
}
echo
echo "parallel decoding, $(basename "$long"), runs as seconds:peak MiB"
bench_parallel "$long"

echo
echo "./bin size: $(du -sh bin | cut -f1) ($(du -sh bin/cast2md | cut -f1) executable, $(du -sh bin/runtimes | cut -f1) whisper runtimes)"
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
