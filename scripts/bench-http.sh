#!/usr/bin/env bash
# GET /api/queue/status under load, two builds side by side: each round starts the reference binary and the
# candidate on fresh data folders and runs wrk against each in turn (alternating which goes first), so both see
# the same machine state. Prints requests/s and p99 per run and the medians.
#   scripts/bench-http.sh REFERENCE_BINARY [CANDIDATE_BINARY=bin/cast2md] [rounds=3] [seconds=10]
# A reference build of another commit: git archive COMMIT | tar -x -C /tmp/ref && ln -s "$PWD/.native" /tmp/ref/.native
# && make -C /tmp/ref publish, then pass /tmp/ref/bin/cast2md.
set -euo pipefail
cd "$(dirname "$0")/.."
reference=${1:?usage: scripts/bench-http.sh REFERENCE_BINARY [CANDIDATE_BINARY] [rounds] [seconds]}
candidate=${2:-bin/cast2md}; rounds=${3:-3}; seconds=${4:-10}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

run() { # run LABEL BINARY: one wrk run against a fresh server; prints "LABEL rps p99_ms"
  local label=$1 binary=$2 data log pid url out
  data=$(mktemp -d -p "$work"); log=$data.log
  "$binary" serve --port 0 --data-dir "$data" 2>"$log" &
  pid=$!
  for _ in $(seq 100); do grep -qs "listening on" "$log" && break; sleep 0.1; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -n1)
  wrk -t 2 -c 50 -d 2s "$url/api/queue/status" >/dev/null   # warm-up
  out=$(wrk -t 2 -c 50 -d "${seconds}s" --latency "$url/api/queue/status")
  kill -TERM "$pid"; wait "$pid" || true
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$label $rps $p99"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); wrk -t 2 -c 50 -d ${seconds}s, $rounds rounds alternating"
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then run reference "$reference"; run candidate "$candidate"; else run candidate "$candidate"; run reference "$reference"; fi
done | tee "$work/runs"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for label in reference candidate; do
  printf '%s: median %s requests/s, p99 %s ms\n' "$label" \
    "$(awk -v l="$label" '$1 == l {print $2}' "$work/runs" | median)" "$(awk -v l="$label" '$1 == l {print $3}' "$work/runs" | median)"
done
