#!/usr/bin/env bash
# Starts the whole gateway in cluster mode on this machine, for a developer: Redis and Dovecot (through
# tools/testenv/services.sh), librdkafka's mock Kafka cluster (tools/kafka-mock), and the four tiers as separate
# services (tools/cluster/stop.sh stops everything again, by the PIDs recorded here). All on 127.0.0.1.
#
#   tools/cluster/start.sh [--no-build] [--edges N]
#
# Settings (environment): GATEWAY_CLUSTER_DIR (state, logs and PIDs; default /tmp/gateway-cluster),
# GATEWAY_CLUSTER_SMTP_PORT (first edge's SMTP port, default 2525; edge i listens on +i),
# GATEWAY_CLUSTER_PORT_BASE (default 7100: gRPC on BASE+n, HTTP on BASE+1000+n), GATEWAY_CLUSTER_DOMAIN
# (default example.test). Once up, send mail to any address in the domain; it is delivered over LMTP into
# Dovecot. `tools/cluster/start.sh` prints how to reach everything; `source $GATEWAY_CLUSTER_DIR/env.sh` sets it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${GATEWAY_CLUSTER_DIR:-/tmp/gateway-cluster}
SMTP_PORT=${GATEWAY_CLUSTER_SMTP_PORT:-2525}
BASE_PORT=${GATEWAY_CLUSTER_PORT_BASE:-7100}
DOMAIN=${GATEWAY_CLUSTER_DOMAIN:-example.test}
CONFIGURATION=${GATEWAY_CLUSTER_CONFIGURATION:-Debug}
BUILD=yes
EDGES=1
WAIT_SECONDS=60

say() { echo "cluster: $*" >&2; }
die() { say "$*"; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --no-build) BUILD=no ;;
    --edges) shift; [[ ${1:-} =~ ^[1-9]$ ]] || die "--edges takes 1-9"; EDGES=$1 ;;
    *) die "usage: start.sh [--no-build] [--edges N]" ;;
  esac
  shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$STATE/logs" "$STATE/pids" "$STATE/data"
if [ -n "$(ls "$STATE/pids" 2>/dev/null)" ]; then
  die "$STATE has PID files already: run GATEWAY_CLUSTER_DIR=$STATE tools/cluster/stop.sh first"
fi

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Every port this script will listen on, checked before anything starts, so a clash (a standalone gateway on
# 2525, say) stops it here instead of half-way with services left running.
for offset in 2 3 4 $(seq 10 $((10 + EDGES - 1))); do
  for p in $((BASE_PORT + offset)) $((BASE_PORT + 1000 + offset)); do
    port_open "$p" && die "port $p is in use (set GATEWAY_CLUSTER_PORT_BASE)"
  done
done
for i in $(seq 0 $((EDGES - 1))); do
  port_open $((SMTP_PORT + i)) && die "SMTP port $((SMTP_PORT + i)) is in use (a standalone gateway? stop it, or set GATEWAY_CLUSTER_SMTP_PORT)"
done

dll() { # project-dir assembly
  echo "$REPO/$1/bin/$CONFIGURATION/net10.0/$2.dll"
}

# --- build --------------------------------------------------------------------------------------------------
if [ "$BUILD" = yes ]; then
  say "building the services"
  for p in services/MtaEdge/Host/Gateway.MtaEdge.Host.csproj \
           services/SenderIntelligence/Host/Gateway.SenderIntelligence.Host.csproj \
           services/FingerprintFilter/Host/Gateway.FingerprintFilter.Host.csproj \
           services/RetroRemediation/Host/Gateway.RetroRemediation.Host.csproj \
           tools/kafka-mock/KafkaMock.csproj; do
    dotnet build "$REPO/$p" -c "$CONFIGURATION" -nologo -v:quiet -clp:NoSummary < /dev/null > "$STATE/logs/build.log" 2>&1 \
      || { cat "$STATE/logs/build.log" >&2; die "build of $p failed"; }
  done
fi

# --- Redis and Dovecot --------------------------------------------------------------------------------------
say "starting Redis and Dovecot"
GATEWAY_TESTENV_DIR=$STATE/testenv "$REPO/tools/testenv/services.sh" start
eval "$(GATEWAY_TESTENV_DIR=$STATE/testenv "$REPO/tools/testenv/services.sh" env)"

# --- Kafka (mock cluster) -----------------------------------------------------------------------------------
say "starting the Kafka mock cluster"
rm -f "$STATE/kafka.bootstrap"
nohup dotnet "$(dll tools/kafka-mock kafka-mock)" --bootstrap-file "$STATE/kafka.bootstrap" \
  > "$STATE/logs/kafka-mock.log" 2>&1 < /dev/null &
echo $! > "$STATE/pids/kafka-mock.pid"
for _ in $(seq 1 $((WAIT_SECONDS * 10))); do [ -s "$STATE/kafka.bootstrap" ] && break; sleep 0.1; done
[ -s "$STATE/kafka.bootstrap" ] || die "the Kafka mock did not start (see $STATE/logs/kafka-mock.log)"
KAFKA=$(cat "$STATE/kafka.bootstrap")

# --- the four services ----------------------------------------------------------------------------------------
common=(
  "Gateway__Domains__0=$DOMAIN"
  "Gateway__Redis__Configuration=$GATEWAY_TEST_REDIS"
  "Gateway__Kafka__BootstrapServers=$KAFKA"
  # The mock cluster creates topics by itself and cannot be asked to; a real cluster gets CreateTopics=true.
  "Gateway__Kafka__CreateTopics=false"
  "Gateway__Kafka__SessionTimeout=00:00:10"
)
imap_host=${GATEWAY_TEST_IMAP%:*}
imap_port=${GATEWAY_TEST_IMAP##*:}
remediation_imap=(
  "Gateway__Remediation__Imap__Host=$imap_host"
  "Gateway__Remediation__Imap__Port=$imap_port"
  "Gateway__Remediation__Imap__Security=None"
  "Gateway__Remediation__Imap__MasterUser=$GATEWAY_TEST_IMAP_MASTER_USER"
  "Gateway__Remediation__Imap__MasterPassword=$GATEWAY_TEST_IMAP_MASTER_PASSWORD"
)

start_service() { # name dll offset extra-env...
  local name=$1 path=$2 offset=$3
  shift 3
  local grpc=$((BASE_PORT + offset)) http=$((BASE_PORT + 1000 + offset))
  for p in $grpc $http; do port_open "$p" && die "port $p is in use (set GATEWAY_CLUSTER_PORT_BASE)"; done
  env "${common[@]}" "$@" \
    "Gateway__Service__GrpcListen=127.0.0.1:$grpc" "Gateway__Service__HttpListen=127.0.0.1:$http" \
    nohup dotnet "$path" > "$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/pids/$name.pid"
  echo "$http" > "$STATE/pids/$name.http"
  say "$name: pid $!, gRPC 127.0.0.1:$grpc, HTTP 127.0.0.1:$http"
}

start_service sender-intelligence "$(dll services/SenderIntelligence/Host gateway-sender-intelligence)" 2
start_service fingerprint-filter "$(dll services/FingerprintFilter/Host gateway-fingerprint-filter)" 3
start_service retro-remediation "$(dll services/RetroRemediation/Host gateway-retro-remediation)" 4 \
  "${remediation_imap[@]}"
for i in $(seq 0 $((EDGES - 1))); do
  port_open $((SMTP_PORT + i)) && die "SMTP port $((SMTP_PORT + i)) is in use (set GATEWAY_CLUSTER_SMTP_PORT)"
  start_service "mta-edge-$i" "$(dll services/MtaEdge/Host gateway-mta-edge)" $((10 + i)) \
    "Gateway__DataDir=$STATE/data/mta-edge-$i" \
    "Gateway__Smtp__Listen=127.0.0.1:$((SMTP_PORT + i))" \
    "Gateway__Delivery__Target=lmtp://$GATEWAY_TEST_LMTP" \
    "Gateway__Cluster__SenderIntelligence__Address=http://127.0.0.1:$((BASE_PORT + 2))" \
    "Gateway__Cluster__FingerprintFilter__Address=http://127.0.0.1:$((BASE_PORT + 3))" \
    "Gateway__Cluster__RetroRemediation__Address=http://127.0.0.1:$((BASE_PORT + 4))" \
    "${remediation_imap[@]}"
done

# --- wait until every service is ready ----------------------------------------------------------------------
ready() { # http-port
  curl -fsS --max-time 3 "http://127.0.0.1:$1/healthz/ready" > /dev/null 2>&1
}
for f in "$STATE"/pids/*.http; do
  name=$(basename "$f" .http)
  http=$(cat "$f")
  ok=no
  for _ in $(seq 1 $((WAIT_SECONDS * 4))); do
    if ready "$http"; then ok=yes; break; fi
    kill -0 "$(cat "$STATE/pids/$name.pid")" 2>/dev/null || break
    sleep 0.25
  done
  if [ "$ok" != yes ]; then
    curl -sS --max-time 3 "http://127.0.0.1:$http/healthz/ready" >&2 || true
    die "$name is not ready (log: $STATE/logs/$name.log); stop with GATEWAY_CLUSTER_DIR=$STATE tools/cluster/stop.sh"
  fi
done

cat > "$STATE/env.sh" <<ENV
export GATEWAY_CLUSTER_DIR='$STATE'
export GATEWAY_CLUSTER_SMTP='127.0.0.1:$SMTP_PORT'
export GATEWAY_CLUSTER_KAFKA='$KAFKA'
export GATEWAY_CLUSTER_REDIS='$GATEWAY_TEST_REDIS'
export GATEWAY_CLUSTER_IMAP='$GATEWAY_TEST_IMAP'
export GATEWAY_CLUSTER_FINGERPRINT_GRPC='http://127.0.0.1:$((BASE_PORT + 3))'
# gatewayctl talks to the admin API of the first edge.
export GATEWAY_ADMIN='http://127.0.0.1:$((BASE_PORT + 1010))'
ENV
say "ready. SMTP 127.0.0.1:$SMTP_PORT (domain $DOMAIN), Kafka $KAFKA, Redis $GATEWAY_TEST_REDIS,"
say "IMAP $GATEWAY_TEST_IMAP (master user $GATEWAY_TEST_IMAP_MASTER_USER, password in $STATE/testenv/dovecot/master-password)"
say "health: curl http://127.0.0.1:$((BASE_PORT + 1010))/healthz/ready; metrics: .../metrics; logs in $STATE/logs"
say "admin API (gatewayctl): source $STATE/env.sh, then e.g. gatewayctl report spam message.eml"
say "stop: GATEWAY_CLUSTER_DIR=$STATE tools/cluster/stop.sh"
