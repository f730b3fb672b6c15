#!/usr/bin/env bash
# Fingerprint filter benchmark: scans per second on one core, p50/p99 latency over the corpus and for
# 40-60 KB messages, beside pyzor's digest rate on the same messages.
#
#   tools/bench/fingerprint/run.sh [ROUNDS]
#
# Scans run on one thread, so the rates are per core. The CPU columns count only that thread's CPU time
# and stay meaningful on a shared machine; the wall-clock columns swing with the machine's load, which is
# printed with them. GATEWAY_BENCH_CPU=N pins the process to CPU N with taskset (on a busy shared machine
# that makes things worse, not better: the pinned core is still shared).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
CORPUS=${GATEWAY_SHARED_DIR:-$ROOT/../shared}/corpus
[ -f "$CORPUS/index.tsv" ] || { echo "run.sh: no corpus at $CORPUS (set GATEWAY_SHARED_DIR)" >&2; exit 1; }
command -v pyzor > /dev/null || { apt-get update -q > /dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends pyzor > /dev/null; }

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
dotnet build "$ROOT/tools/bench/fingerprint/Gateway.Bench.Fingerprint.csproj" -c Release -v q -nologo > "$LOG" 2>&1 \
  || { grep -m5 error "$LOG" >&2; exit 1; }
PIN=()
if [ -n "${GATEWAY_BENCH_CPU:-}" ] && command -v taskset > /dev/null; then PIN=(taskset -c "$GATEWAY_BENCH_CPU"); fi
"${PIN[@]}" dotnet "$ROOT/tools/bench/fingerprint/bin/Release/net10.0/Gateway.Bench.Fingerprint.dll" "$CORPUS" "${1:-3}" \
  /usr/bin/python3 "$ROOT/tools/bench/fingerprint/bin/Release/net10.0/pyzor_digests.py"
