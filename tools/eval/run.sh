#!/usr/bin/env bash
# Efficacy of the fingerprint filter beside pyzor and Rspamd's fuzzy check, on ../shared/corpus.
#
#   tools/eval/run.sh [--list-misses] [--set Section:Setting=VALUE]...
#
# Installs what is missing (pyzor, rspamd, redis-server via apt-get), starts a private redis-server and
# an Rspamd with a local fuzzy storage on free 127.0.0.1 ports under a temporary directory, runs the
# evaluation (tools/eval, Release build), then stops both by the PIDs it recorded and deletes the
# directory. Needs root for apt-get and for running rspamd as _rspamd. The corpus is
# $GATEWAY_SHARED_DIR/corpus, else ../shared/corpus beside the repository.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${GATEWAY_SHARED_DIR:-$ROOT/../shared}
CORPUS=$SHARED/corpus
WAIT_SECONDS=${GATEWAY_EVAL_WAIT_SECONDS:-120}

say() { echo "run.sh: $*" >&2; }
die() { say "$*"; exit 1; }

[ -f "$CORPUS/index.tsv" ] || die "no corpus at $CORPUS (set GATEWAY_SHARED_DIR)"

# --- install -------------------------------------------------------------------------------------
missing=()
command -v pyzor > /dev/null || missing+=(pyzor)
command -v rspamd > /dev/null || missing+=(rspamd)
command -v redis-server > /dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -q > /dev/null
  # Debian's packages try to start their daemons; policy-rc.d usually forbids it, and we start our own.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null
fi
/usr/bin/python3 -c 'import pyzor.digest' 2> /dev/null || die "/usr/bin/python3 cannot import pyzor"

# --- helpers -------------------------------------------------------------------------------------
BASE=$(mktemp -d /tmp/gateway-eval.XXXXXX)
chmod 755 "$BASE"   # rspamd drops to _rspamd and must reach its config and state below
PIDS=()

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2> /dev/null; }

# A TCP port from $1 upwards that nothing listens on and that we did not hand out yet.
TAKEN=" "
free_port() {
  local p=$1
  while [ "$p" -lt $(( $1 + 500 )) ]; do
    if ! port_open "$p" && [[ "$TAKEN" != *" $p "* ]] && ! ss -lun | awk '{print $4}' | grep -q ":$p\$"; then
      TAKEN="$TAKEN$p "; echo "$p"; return 0
    fi
    p=$(( p + 1 ))
  done
  die "no free port from $1"
}

wait_port() { # port name
  local i
  for i in $(seq 1 $(( WAIT_SECONDS * 10 ))); do
    port_open "$1" && return 0
    sleep 0.1
  done
  die "$2 did not listen on 127.0.0.1:$1 within ${WAIT_SECONDS}s (logs in $BASE)"
}

# Stops what we started, by recorded PID, checking the PID still is that program (PIDs wrap quickly).
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2> /dev/null && ps -o args= -p "$pid" | grep -Eq 'rspamd|redis-server'; then
      kill -TERM "$pid" 2> /dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2> /dev/null || true
    fi
  done
  rm -rf "$BASE"
}
trap cleanup EXIT

# --- redis for rspamd's fuzzy storage ------------------------------------------------------------
REDIS_PORT=$(free_port 27379)
mkdir -p "$BASE/redis"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$BASE/redis" --save '' --appendonly no \
  --daemonize yes --pidfile "$BASE/redis/redis.pid" --logfile "$BASE/redis/redis.log" > /dev/null 2>&1 < /dev/null
wait_port "$REDIS_PORT" redis-server
PIDS+=("$(cat "$BASE/redis/redis.pid")")

# --- rspamd with a local fuzzy storage -----------------------------------------------------------
NORMAL_PORT=$(free_port 27333)
CONTROLLER_PORT=$(free_port 27343)
PROXY_PORT=$(free_port 27353)
FUZZY_PORT=$(free_port 27363)
R=$BASE/rspamd
mkdir -p "$R/local.d" "$R/override.d" "$R/db" "$R/run" "$R/log"
# Never the machine's resolver (a private address here); fail DNS lookups at once.
printf 'dns { nameserver = ["127.0.0.1:53"]; timeout = 0.2s; retransmits = 0; }\nlocal_addrs = [127.0.0.0/8];\n' \
  > "$R/local.d/options.inc"
printf 'bind_socket = "127.0.0.1:%s";\ncount = 2;\n' "$NORMAL_PORT" > "$R/override.d/worker-normal.inc"
printf 'bind_socket = "127.0.0.1:%s";\ncount = 1;\npassword = "q1";\nenable_password = "q2";\nsecure_ip = "127.0.0.1";\n' \
  "$CONTROLLER_PORT" > "$R/override.d/worker-controller.inc"
printf 'bind_socket = "127.0.0.1:%s";\ncount = 1;\n' "$PROXY_PORT" > "$R/override.d/worker-proxy.inc"
# The stock fuzzy worker is off (count = -1) and syncs every 60 s; added hashes are invisible until a sync.
printf 'bind_socket = "127.0.0.1:%s";\ncount = 1;\nbackend = "redis";\nservers = "127.0.0.1:%s";\nexpire = 90d;\nallow_update = ["127.0.0.1"];\nsync = 1s;\n' \
  "$FUZZY_PORT" "$REDIS_PORT" > "$R/override.d/worker-fuzzy.inc"
# Replaces the stock rule (rspamd.com's servers need the internet) with one on the local storage.
cat > "$R/override.d/fuzzy_check.conf" <<CONF
min_bytes = 100;
timeout = 1s;
retransmits = 1;
rule "local" {
  algorithm = "mumhash";
  servers = "127.0.0.1:$FUZZY_PORT";
  symbol = "LOCAL_FUZZY_UNKNOWN";
  mime_types = ["*"];
  max_score = 20.0;
  read_only = no;
  skip_unknown = yes;
  short_text_direct_hash = true;
  min_length = 32;
  fuzzy_map = {
    LOCAL_FUZZY_DENIED { max_score = 20.0; flag = 11; }
    LOCAL_FUZZY_PROB { max_score = 10.0; flag = 12; }
    LOCAL_FUZZY_WHITE { max_score = 2.0; flag = 13; }
  }
}
CONF
# Without weights the fuzzy symbols would not be reported with a score.
cat > "$R/local.d/fuzzy_group.conf" <<'CONF'
symbols = {
  "LOCAL_FUZZY_DENIED" { weight = 12.0; description = "local fuzzy storage: reported spam"; }
  "LOCAL_FUZZY_PROB" { weight = 5.0; description = "local fuzzy storage: probable spam"; }
  "LOCAL_FUZZY_WHITE" { weight = -2.1; description = "local fuzzy storage: whitelisted"; }
}
CONF
for module in rbl asn phishing hfilter spf dmarc dkim emails; do echo 'enabled = false;' > "$R/local.d/$module.conf"; done
chown -R _rspamd:_rspamd "$R/db" "$R/run" "$R/log"
VARS=(--var="LOCAL_CONFDIR=$R" --var="DBDIR=$R/db" --var="RUNDIR=$R/run" --var="LOGDIR=$R/log")
rspamadm "${VARS[@]}" configtest -c /etc/rspamd/rspamd.conf > "$R/configtest.log" 2>&1 \
  || die "rspamd configuration refused: $(tail -3 "$R/configtest.log")"
rspamd -f -c /etc/rspamd/rspamd.conf -u _rspamd -g _rspamd "${VARS[@]}" > "$R/stdout.log" 2>&1 < /dev/null &
PIDS+=("$!")
say "rspamd starting (a cold start compiles its rules for a while)"
wait_port "$NORMAL_PORT" "rspamd normal worker"
wait_port "$CONTROLLER_PORT" "rspamd controller"

# --- evaluate ------------------------------------------------------------------------------------
dotnet build "$ROOT/tools/eval/Gateway.Eval.csproj" -c Release -v q -nologo > "$BASE/build.log" 2>&1 \
  || die "build failed: $(grep -m3 error "$BASE/build.log")"
dotnet "$ROOT/tools/eval/bin/Release/net10.0/Gateway.Eval.dll" --corpus "$CORPUS" \
  --pyzor /usr/bin/python3 \
  --rspamd-controller "http://127.0.0.1:$CONTROLLER_PORT" --rspamd-worker "http://127.0.0.1:$NORMAL_PORT" \
  --rspamd-password q2 "$@"
