#!/usr/bin/env bash
# Stops what tools/cluster/start.sh started, by the PIDs it recorded: the services first (so they finish what
# they are doing), then the Kafka mock, then Redis and Dovecot.   tools/cluster/stop.sh [--clean]
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${GATEWAY_CLUSTER_DIR:-/tmp/gateway-cluster}

say() { echo "cluster: $*" >&2; }

stop_pid() { # pidfile
  local pid name
  name=$(basename "$1" .pid)
  pid=$(tr -dc 0-9 < "$1")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ps -o args= -p "$pid" | grep -q dotnet; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name (pid $pid) did not stop in 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null
    fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$1" "${1%.pid}.http"
}

for f in "$STATE"/pids/mta-edge-*.pid; do [ -f "$f" ] && stop_pid "$f"; done
for name in retro-remediation fingerprint-filter sender-intelligence kafka-mock; do
  [ -f "$STATE/pids/$name.pid" ] && stop_pid "$STATE/pids/$name.pid"
done
if [ -d "$STATE/testenv" ]; then
  if [ "${1:-}" = --clean ]; then
    GATEWAY_TESTENV_DIR=$STATE/testenv "$REPO/tools/testenv/services.sh" clean
    rm -rf "$STATE"
  else
    GATEWAY_TESTENV_DIR=$STATE/testenv "$REPO/tools/testenv/services.sh" stop
  fi
fi
