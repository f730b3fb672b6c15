#!/usr/bin/env bash
# Benchmarks of the retro-remediation tier (issue 6). Starts what it needs on 127.0.0.1 and stops it by PID.
#
#   tools/bench/remediation/run.sh memory   [--copies 1000000] [--store imap|maildir] [--fingerprints 2]
#   tools/bench/remediation/run.sh campaign [--copies 10000] [--mailboxes 1000] [--concurrency 16]
#   tools/bench/remediation/run.sh latency  [--samples 200]
#   tools/bench/remediation/run.sh all      (the three with their defaults)
#
# memory: a private, empty redis-server (so used_memory grows only by what the bench writes).
# campaign, latency: the test Redis and Dovecot of tools/testenv/services.sh, in a base dir of their own
# ($GATEWAY_BENCH_DIR/testenv, default /tmp/gateway-bench-remediation/testenv), stopped afterwards.
# Needs root for Dovecot (as the Test command does). Figures go to stdout; progress to stderr.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BENCH=$REPO/tools/bench/remediation
BASE=${GATEWAY_BENCH_DIR:-/tmp/gateway-bench-remediation}
SERVICES=$REPO/tools/testenv/services.sh
MODE=${1:-all}
shift || true

say() { echo "run.sh: $*" >&2; }
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

REDIS_PID=
SERVICES_STARTED=
cleanup() {
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
    say "stopped the benchmark redis-server (pid $REDIS_PID)"
  fi
  if [ -n "$SERVICES_STARTED" ]; then
    GATEWAY_TESTENV_DIR=$BASE/testenv "$SERVICES" stop > /dev/null 2>&1 || true
    say "stopped the test services under $BASE/testenv"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$BASE"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say "building the benchmark (Release)"
dotnet build "$BENCH/RemediationBench.csproj" -c Release -nologo -v:q < /dev/null > "$BASE/build.log" 2>&1 \
  || { grep -E ': error ' "$BASE/build.log" | sort -u >&2; say "build failed (log: $BASE/build.log)"; exit 1; }
BIN=$BENCH/bin/Release/net10.0/remediation-bench.dll

run_memory() {
  local port=27379
  while port_open "$port"; do port=$((port + 1)); [ "$port" -lt 27579 ] || { say "no free port"; exit 1; }; done
  rm -f "$BASE/redis.pid"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --pidfile "$BASE/redis.pid" --logfile "$BASE/redis.log" --dir "$BASE" < /dev/null > /dev/null
  for _ in $(seq 1 100); do [ -s "$BASE/redis.pid" ] && port_open "$port" && break; sleep 0.1; done
  REDIS_PID=$(cat "$BASE/redis.pid")
  say "benchmark redis-server on 127.0.0.1:$port (pid $REDIS_PID, $(redis-server --version | cut -d' ' -f3))"
  dotnet "$BIN" memory --redis "127.0.0.1:$port" "$@"
  kill -TERM "$REDIS_PID"; for _ in $(seq 1 100); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
  REDIS_PID=
}

with_services() {
  if [ -z "$SERVICES_STARTED" ]; then
    GATEWAY_TESTENV_DIR=$BASE/testenv "$SERVICES" start
    SERVICES_STARTED=yes
  fi
  eval "$(GATEWAY_TESTENV_DIR=$BASE/testenv "$SERVICES" env)"
  dotnet "$BIN" "$@"
}

say "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
case "$MODE" in
  memory) run_memory "$@" ;;
  campaign) with_services campaign "$@" ;;
  latency) with_services latency "$@" ;;
  all)
    run_memory
    with_services latency
    with_services campaign
    ;;
  *) echo "usage: $0 memory|campaign|latency|all [options]" >&2; exit 2 ;;
esac
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
