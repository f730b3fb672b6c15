#!/usr/bin/env bash
# Edge benchmark (issue 3): Postfix's smtp-source with corpus-sized messages -> the gateway (standalone,
# every tier on) -> Postfix's smtp-sink; then the same load through a throwaway Postfix relaying to the
# same sink, in the same run. Prints messages/second (end to end and ingest), p50/p99 time to the final
# 250, CPU seconds per 1,000 messages, peak RSS, and the gateway/Postfix ratios.
#
#   tools/bench/edge/run.sh                      5000 messages over 20 sessions each, after a 3000-message warm-up
#                                                (WARMUP=500 shows the just-started gateway: the runtime is still
#                                                compiling, ~1/3 of the CPU of the first few thousand messages)
#   MESSAGES=20000 SESSIONS=40 tools/bench/edge/run.sh
#   ONLY=gateway tools/bench/edge/run.sh          skip Postfix (or ONLY=postfix)
#
# Needs root (smtp-sink drops to nobody; Postfix runs its own master), the postfix package installed
# with "No configuration" (tools/testenv/services.sh installs it; the system Postfix is never started),
# python3, and ../shared/corpus (or GATEWAY_SHARED_DIR). Everything listens on 127.0.0.1 only, lives
# under a fresh /tmp/gateway-bench-edge.XXXXXX (kept with KEEP=1) and is stopped by recorded PID.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
SHARED=${GATEWAY_SHARED_DIR:-$REPO/../shared}
CORPUS=$SHARED/corpus
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

die() { echo "run.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (smtp-sink -u nobody, a private Postfix master)"
[ -d "$CORPUS" ] || die "no corpus at $CORPUS (set GATEWAY_SHARED_DIR)"
[ -x /usr/sbin/smtp-source ] && [ -x /usr/sbin/smtp-sink ] && command -v postfix > /dev/null \
  || die "Postfix's tools are missing: install the postfix package with 'No configuration'" \
         "(tools/testenv/services.sh does)"
command -v python3 > /dev/null || die "python3 is missing"

echo "run.sh: building the gateway (Release)" >&2
dotnet build -c Release "$REPO/services/Standalone/Gateway.Standalone.csproj" -v q -nologo > /dev/null \
  || die "the build failed"
DLL=$REPO/services/Standalone/bin/Release/net10.0/gateway.dll
[ -f "$DLL" ] || die "no $DLL after the build"

BASE=$(mktemp -d /tmp/gateway-bench-edge.XXXXXX)
chmod 755 "$BASE"
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "run.sh: kept $BASE" >&2 || rm -rf "$BASE"; }
trap cleanup EXIT

echo "run.sh: load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# In the background, so a TERM or INT reaches bench.py, which then stops the servers it started.
python3 "$REPO/tools/bench/edge/bench.py" \
  --gateway-dll "$DLL" --corpus "$CORPUS" --base "$BASE" \
  --messages "${MESSAGES:-5000}" --sessions "${SESSIONS:-20}" --warmup "${WARMUP:-3000}" \
  --edge-delivery-concurrency "${EDGE_DELIVERY_CONCURRENCY:-20}" --edge-log-level "${EDGE_LOG_LEVEL:-Information}" \
  --only "${ONLY:-both}" &
BENCH=$!
trap 'kill -TERM $BENCH 2> /dev/null' TERM INT
status=0
wait $BENCH || status=$?
# A trapped signal interrupts the first wait; wait again for bench.py to finish its clean-up.
kill -0 $BENCH 2> /dev/null && { wait $BENCH || status=$?; }
exit $status
