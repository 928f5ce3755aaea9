#!/usr/bin/env bash
# Prints "N passed, N failed" from the TRX files dotnet test wrote (dotnet test prints no such line),
# and the names of failed tests, each with the first lines of why (CI keeps only the tail of the output, so the reason
# has to be printed last to be seen). Exits 1 when anything failed or nothing ran.
set -euo pipefail
dir=${1:-TestResults}
passed=0; failed=0; total=0
shopt -s nullglob
files=("$dir"/*.trx)
[ ${#files[@]} -gt 0 ] || { echo "0 passed, 0 failed"; echo "no test results in $dir" >&2; exit 1; }
for f in "${files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n1)
  p=$(printf '%s' "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p'); f_=$(printf '%s' "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  t=$(printf '%s' "$counters" | sed -n 's/.* total="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f_:-0})); total=$((total + ${t:-0}))
  grep -o 'testName="[^"]*" [^>]*outcome="Failed"' "$f" | sed 's/testName="\([^"]*\)".*/  FAILED: \1/' >&2 || true
done
if [ "$failed" -gt 0 ] && command -v python3 >/dev/null; then
  python3 - "${files[@]}" >&2 <<'PY'
import sys, xml.etree.ElementTree as ET
for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iter():
        if result.tag.endswith("UnitTestResult") and result.get("outcome") == "Failed":
            message = next((e.text or "" for e in result.iter() if e.tag.endswith("Message")), "")
            print(f"  WHY {result.get('testName')}:")
            for line in message.strip().splitlines()[:14]:
                print("    " + line[:240])
PY
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
