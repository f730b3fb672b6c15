#!/usr/bin/env bash
# Sender intelligence benchmark: checks per second and p50/p99 latency of whole sessions' worth of checks
# (connect, MAIL, RCPT, end of data, close) against a real redis-server on loopback, then the cost of a
# million-entry feed. Prints figures only.
#
#   tools/bench/sender/run.sh [--seconds 10] [--concurrency 32] [--senders 5000] [--feed-entries 1000000]
#
# Uses GATEWAY_TEST_REDIS when set (tools/testenv/services.sh env); otherwise starts a private redis-server on a
# free port under a temp directory and stops it (by its PID) afterwards.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { echo "run.sh: $*" >&2; }

REDIS=${GATEWAY_TEST_REDIS:-}
STARTED=
if [ -z "$REDIS" ]; then
  command -v redis-server > /dev/null || { say "redis-server is missing (apt-get install redis-server)"; exit 1; }
  DIR=$(mktemp -d /tmp/sender-bench.XXXXXX)
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --save '' --appendonly no --daemonize yes \
    --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" > /dev/null 2>&1 < /dev/null
  for _ in $(seq 1 100); do [ -s "$DIR/redis.pid" ] && redis-cli -p "$PORT" ping > /dev/null 2>&1 && break; sleep 0.1; done
  STARTED=$(cat "$DIR/redis.pid")
  REDIS=127.0.0.1:$PORT
  stop() {
    if [ -n "$STARTED" ] && ps -o args= -p "$STARTED" 2>/dev/null | grep -q redis-server; then kill -TERM "$STARTED"; fi
    rm -rf "$DIR"
  }
  trap stop EXIT
  say "started redis-server on $REDIS (pid $STARTED)"
fi

dotnet build "$REPO/tools/bench/sender/SenderBench.csproj" -c Release -nologo -v:q -clp:NoSummary > /dev/null
dotnet "$REPO/tools/bench/sender/bin/Release/net10.0/sender-bench.dll" --redis "$REDIS" "$@"
