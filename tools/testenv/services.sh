#!/usr/bin/env bash
# Test services for the gateway: Redis, a private Dovecot (IMAP + LMTP) and a private Unbound serving DNS list
# test zones (tools/testenv/unbound.sh), on 127.0.0.1 only; Postfix installed for the policy delegation test.
#
#   tools/testenv/services.sh start    install what is missing (apt-get), start both, wait for their ports
#   tools/testenv/services.sh stop     stop what `start` started, by the PIDs it recorded
#   tools/testenv/services.sh env      print `export` lines for the tests (eval "$(... env)")
#   tools/testenv/services.sh status   say what runs
#   tools/testenv/services.sh check    prove they answer: Redis PING, LMTP greeting, IMAP master-user login
#   tools/testenv/services.sh clean    stop, then delete the base dir (mail, Redis data, logs)
#
# All state lives under $GATEWAY_TESTENV_DIR (default /tmp/gateway-testenv). Ports are the first free ones
# from 26379 (Redis), 20143 (IMAP) and 20024 (LMTP) upwards, so several base dirs can run side by side.
# Dovecot: every address exists (users are full lowercased addresses, Maildir++ at <mail>/<domain>/<local>/,
# Junk is .Junk); a master user with a fresh random password per start can log into any of them
# ("user@domain*<master>" or SASL PLAIN with authzid). Must run as root (Dovecot's master and uid 5000 mail).
set -euo pipefail

BASE=${GATEWAY_TESTENV_DIR:-/tmp/gateway-testenv}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REDIS_DIR=$BASE/redis
DOVECOT_DIR=$BASE/dovecot
ENV_FILE=$BASE/env.sh
MASTER_USER=gwmaster
MAIL_UID=5000
MAIL_GID=5000
WAIT_SECONDS=${GATEWAY_TESTENV_WAIT_SECONDS:-20}

say() { echo "services.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1 (bash /dev/tcp: no ss/netcat needed).
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# First port from $1 upwards (at most 200 tried) that nothing listens on and no other base dir recorded.
free_port() {
  local p=$1 last=$(( $1 + 200 ))
  while [ "$p" -le "$last" ]; do
    if ! port_open "$p" && ! grep -qs ":$p\$" "${@:2}" /dev/null; then
      echo "$p"; return 0
    fi
    p=$(( p + 1 ))
  done
  die "no free TCP port on 127.0.0.1 between $1 and $last"
}

wait_port() { # port name
  local i
  for i in $(seq 1 $(( WAIT_SECONDS * 10 ))); do
    port_open "$1" && return 0
    sleep 0.1
  done
  die "$2 did not listen on 127.0.0.1:$1 within ${WAIT_SECONDS}s (see its log under $BASE)"
}

# PID from a pid file, only if that process still runs and its command line contains $2 (PIDs wrap quickly).
live_pid() { # pidfile pattern
  local pid args
  [ -s "$1" ] || return 1
  pid=$(tr -dc 0-9 < "$1")
  [ -n "$pid" ] || return 1
  args=$(ps -o args= -p "$pid" 2>/dev/null) || return 1
  case "$args" in *"$2"*) echo "$pid" ;; *) return 1 ;; esac
}

stop_pid() { # pidfile pattern name
  local pid i
  if pid=$(live_pid "$1" "$2"); then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$3 (pid $pid) did not stop in 10s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped $3 (pid $pid)"
  fi
  rm -f "$1"
}

ensure_packages() {
  local missing=()
  command -v redis-server > /dev/null || missing+=(redis-server)
  command -v redis-cli > /dev/null || missing+=(redis-tools)
  [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
  command -v timeout > /dev/null || missing+=(coreutils)
  command -v ps > /dev/null || missing+=(procps)
  # tests/Charts: the offline chart renderer (Go, sprig, YAML) and promtool for the alert rules.
  command -v go > /dev/null || missing+=(golang-go)
  [ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] || missing+=(golang-github-masterminds-sprig-dev)
  [ -d /usr/share/gocode/src/github.com/ghodss/yaml ] || missing+=(golang-github-ghodss-yaml-dev)
  command -v promtool > /dev/null || missing+=(prometheus)
  # Interop tests of the MTA edge: real SMTP clients and Postfix's smtp-source/smtp-sink (the postfix
  # package is installed with "No configuration"; the system Postfix is never started).
  command -v swaks > /dev/null || missing+=(swaks)
  command -v python3 > /dev/null || missing+=(python3)
  perl -MNet::SSLeay -e 1 2> /dev/null || missing+=(libnet-ssleay-perl)
  perl -MIO::Socket::SSL -e 1 2> /dev/null || missing+=(libio-socket-ssl-perl)
  [ -x /usr/sbin/smtp-source ] && [ -x /usr/sbin/smtp-sink ] || missing+=(postfix)
  # Postfix for the sender intelligence policy delegation test; "No configuration" installs it without a system
  # mail server.
  [ -x /usr/sbin/postfix ] || missing+=(postfix)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]}; install them as root (apt-get install ${missing[*]})"
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2> /dev/null || true
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -q)
  "${apt[@]}" update > "$BASE/apt.log" 2>&1 < /dev/null \
    || { tail -20 "$BASE/apt.log" >&2; die "apt-get update failed"; }
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >> "$BASE/apt.log" 2>&1 < /dev/null \
    || { tail -20 "$BASE/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
  # Debian's postinst scripts start system daemons unless policy-rc.d forbids it; those would hold 6379/143.
  for p in 6379 143 24; do
    port_open "$p" && say "warning: something now listens on 127.0.0.1:$p (a system daemon started by the package?)"
  done
  return 0
}

# Ports recorded by other base dirs next to ours, so two runs do not pick the same free port.
other_env_files() {
  local f
  for f in "$(dirname "$BASE")"/*/env.sh; do
    [ -f "$f" ] && [ "$f" != "$ENV_FILE" ] && echo "$f"
  done
  return 0
}

start_redis() {
  local port
  if live_pid "$REDIS_DIR/redis.pid" redis-server > /dev/null; then
    say "redis already running"; return 0
  fi
  mkdir -p "$REDIS_DIR"
  # shellcheck disable=SC2046
  port=$(free_port 26379 $(other_env_files))
  redis-server --bind 127.0.0.1 --port "$port" --dir "$REDIS_DIR" --appendonly yes --appendfsync everysec \
    --save '' --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    > "$REDIS_DIR/stdout.log" 2>&1 < /dev/null
  wait_port "$port" redis
  local i dir
  for i in $(seq 1 50); do [ -s "$REDIS_DIR/redis.pid" ] && break; sleep 0.1; done
  # Redis forks before it binds, so a port lost to a concurrent start shows up only here: make sure the
  # server answering on the port is ours.
  dir=$(redis-cli -h 127.0.0.1 -p "$port" --raw config get dir 2>/dev/null | sed -n 2p)
  if [ "$dir" != "$REDIS_DIR" ] || ! live_pid "$REDIS_DIR/redis.pid" redis-server > /dev/null; then
    stop_pid "$REDIS_DIR/redis.pid" redis-server redis
    die "port $port was taken by another Redis while ours started (see $REDIS_DIR/redis.log); run start again"
  fi
  echo "$port" > "$REDIS_DIR/port"
  say "redis listening on 127.0.0.1:$port (pid $(cat "$REDIS_DIR/redis.pid"))"
}

write_dovecot_conf() { # imap-port lmtp-port
  local d=$DOVECOT_DIR
  cat > "$d/dovecot.conf" <<CONF
# Generated by tools/testenv/services.sh: a private Dovecot for tests, not the system one.
instance_name = gateway-testenv-$(echo "$BASE" | cksum | cut -d' ' -f1)
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
info_log_path = $d/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_master_user_separator = *
auth_username_format = %Lu
first_valid_uid = $MAIL_UID
last_valid_uid = $MAIL_UID
first_valid_gid = $MAIL_GID
last_valid_gid = $MAIL_GID
mail_uid = $MAIL_UID
mail_gid = $MAIL_GID
mail_location = maildir:$d/mail/%d/%n
# Master user: no "pass = yes", so it can open any address without a passdb entry for that address.
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/master-users
  master = yes
}
# Ordinary users (empty by default; tests may append "addr:{PLAIN}pw" lines).
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $d/users
}
userdb {
  driver = static
  args = uid=$MAIL_UID gid=$MAIL_GID home=$d/mail/%d/%n allow_all_users=yes
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Junk {
    auto = subscribe
    special_use = \\Junk
  }
  mailbox Trash {
    auto = subscribe
    special_use = \\Trash
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $1
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $2
  }
}
service anvil {
  # No auth penalty: tests make failed logins on purpose.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
recipient_delimiter = +
lda_mailbox_autocreate = yes
lda_mailbox_autosubscribe = yes
postmaster_address = postmaster@example.test
protocol lmtp {
  auth_username_format = %Lu
}
CONF
}

start_dovecot() {
  local d=$DOVECOT_DIR imap lmtp password
  if live_pid "$d/run/master.pid" dovecot > /dev/null; then
    say "dovecot already running"; return 0
  fi
  id dovenull > /dev/null 2>&1 && id dovecot > /dev/null 2>&1 \
    || die "the dovecot and dovenull system users are missing (is dovecot-core installed?)"
  mkdir -p "$d/run" "$d/state" "$d/mail"
  chmod 0755 "$d"
  # shellcheck disable=SC2046
  imap=$(free_port 20143 $(other_env_files))
  # shellcheck disable=SC2046
  lmtp=$(free_port 20024 $(other_env_files))
  [ "$lmtp" != "$imap" ] || die "could not choose distinct IMAP and LMTP ports"
  password=$(head -c 32 /dev/urandom | od -An -tx1 | tr -dc 0-9a-f | head -c 32)
  (umask 077; printf '%s:{PLAIN}%s\n' "$MASTER_USER" "$password" > "$d/master-users"
   printf '%s\n' "$password" > "$d/master-password")
  touch "$d/users"
  chmod 0644 "$d/master-users" "$d/users"    # read by dovecot's auth process
  chown "$MAIL_UID:$MAIL_GID" "$d/mail"
  write_dovecot_conf "$imap" "$lmtp"
  dovecot -c "$d/dovecot.conf" -n > "$d/config-check.log" 2>&1 < /dev/null \
    || { cat "$d/config-check.log" >&2; die "dovecot rejected its configuration ($d/dovecot.conf)"; }
  # Dovecot's master keeps stderr open: never leave it on a pipe.
  dovecot -c "$d/dovecot.conf" > "$d/stderr.log" 2>&1 < /dev/null \
    || { cat "$d/stderr.log" >&2; die "dovecot did not start"; }
  wait_port "$imap" "dovecot IMAP"
  wait_port "$lmtp" "dovecot LMTP"
  echo "$imap" > "$d/imap-port"
  echo "$lmtp" > "$d/lmtp-port"
  say "dovecot IMAP on 127.0.0.1:$imap, LMTP on 127.0.0.1:$lmtp (pid $(cat "$d/run/master.pid"))"
}

write_env() {
  local tmp=$ENV_FILE.tmp
  {
    echo "export GATEWAY_TESTENV_DIR='$BASE'"
    echo "export GATEWAY_TEST_REDIS='127.0.0.1:$(cat "$REDIS_DIR/port")'"
    echo "export GATEWAY_TEST_IMAP='127.0.0.1:$(cat "$DOVECOT_DIR/imap-port")'"
    echo "export GATEWAY_TEST_LMTP='127.0.0.1:$(cat "$DOVECOT_DIR/lmtp-port")'"
    echo "export GATEWAY_TEST_IMAP_MASTER_USER='$MASTER_USER'"
    echo "export GATEWAY_TEST_IMAP_MASTER_PASSWORD='$(cat "$DOVECOT_DIR/master-password")'"
    echo "export GATEWAY_TEST_DOVECOT_MAIL='$DOVECOT_DIR/mail'"
    echo "export GATEWAY_TEST_DOVECOT_CONF='$DOVECOT_DIR/dovecot.conf'"
    # Interop clients and next hops for the MTA edge tests (installed by ensure_packages).
    echo "export GATEWAY_TEST_SWAKS='$(command -v swaks)'"
    echo "export GATEWAY_TEST_SMTP_SOURCE='/usr/sbin/smtp-source'"
    echo "export GATEWAY_TEST_SMTP_SINK='/usr/sbin/smtp-sink'"
    echo "export GATEWAY_TEST_PYTHON='$(command -v python3 || true)'"
    "$HERE/unbound.sh" env
    [ -x /usr/sbin/postfix ] && echo "export GATEWAY_TEST_POSTFIX='/usr/sbin/postfix'"
  } > "$tmp"
  chmod 0600 "$tmp"
  mv "$tmp" "$ENV_FILE"
}

running() {
  live_pid "$REDIS_DIR/redis.pid" redis-server > /dev/null && live_pid "$DOVECOT_DIR/run/master.pid" dovecot > /dev/null \
    && "$HERE/unbound.sh" env > /dev/null 2>&1
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (Dovecot's master process and uid $MAIL_UID mail need it)"
  mkdir -p "$BASE"
  # Dovecot's auth process (user dovecot) and mail processes (uid 5000) must reach files under $BASE;
  # mktemp -d makes 0700 directories.
  chmod a+x "$BASE"
  local dir
  dir=$(cd "$BASE" && pwd)
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    [ -n "$(find "$dir" -maxdepth 0 -perm -o+x)" ] \
      || die "$dir is not searchable by other users; Dovecot could not reach $BASE (choose another GATEWAY_TESTENV_DIR)"
  done
  ensure_packages
  start_redis
  start_dovecot
  "$HERE/unbound.sh" start
  write_env
  say "ready; state in $BASE; load the settings with: eval \"\$(tools/testenv/services.sh env)\""
}

cmd_stop() {
  "$HERE/unbound.sh" stop || true
  stop_pid "$DOVECOT_DIR/run/master.pid" dovecot dovecot
  stop_pid "$REDIS_DIR/redis.pid" redis-server redis
  rm -f "$ENV_FILE"
}

# One SMTP/LMTP-style exchange on fd 3: send a line (unless empty), then read the reply up to its last line
# ("250 ..." rather than "250-..."); succeed when the reply code starts with $2.
lmtp_step() { # line expected-code-prefix
  local line
  [ -n "$1" ] && printf '%s\r\n' "$1" >&3
  while IFS= read -r -t 10 line <&3; do
    line=${line%$'\r'}
    [ "${line:3:1}" = "-" ] && continue
    case "$line" in "$2"*) return 0 ;; *) say "check: LMTP answered \"$line\" to \"${1:-greeting}\""; return 1 ;; esac
  done
  say "check: no LMTP answer to \"${1:-greeting}\""
  return 1
}

# Proves the services work as the tests expect: Redis PING; an LMTP delivery to check@testenv.invalid
# (a domain no test uses); an IMAP login into that mailbox as the master user that sees the message.
cmd_check() {
  running || die "the test services are not running under $BASE"
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  local redis_port=${GATEWAY_TEST_REDIS##*:} imap_port=${GATEWAY_TEST_IMAP##*:} lmtp_port=${GATEWAY_TEST_LMTP##*:}
  local id
  id="check-$(date +%s)-$$@testenv.invalid"
  [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>&1)" = PONG ] || die "check: Redis does not answer PING"

  exec 3<>"/dev/tcp/127.0.0.1/$lmtp_port" || die "check: cannot connect to LMTP on 127.0.0.1:$lmtp_port"
  if ! { lmtp_step "" 220 && lmtp_step "LHLO testenv.invalid" 250 && lmtp_step "MAIL FROM:<probe@testenv.invalid>" 250 \
      && lmtp_step "RCPT TO:<Check@TestEnv.invalid>" 250 && lmtp_step "DATA" 354 \
      && printf 'From: probe@testenv.invalid\r\nSubject: testenv check\r\nMessage-ID: <%s>\r\n\r\nok\r\n' "$id" >&3 \
      && lmtp_step "." 250 && lmtp_step "QUIT" 221; }; then
    exec 3>&-
    die "check: LMTP delivery to check@testenv.invalid failed (see $DOVECOT_DIR/dovecot.log)"
  fi
  exec 3>&-

  timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$0; IFS= read -r line <&3
    printf "a LOGIN \"check@testenv.invalid*%s\" \"%s\"\r\n" "$1" "$2" >&3
    printf "b SELECT INBOX\r\nc SEARCH HEADER Message-ID \"%s\"\r\nd LOGOUT\r\n" "$3" >&3
    found=1
    while IFS= read -r line <&3; do
      case "$line" in
        "a OK"* | "b OK"* | "c OK"*) ;;
        [abc]" "*) exit 2 ;;
        "* SEARCH "[0-9]*) found=0 ;;
        "d "*) exit $found ;;
      esac
    done; exit 1' "$imap_port" "$GATEWAY_TEST_IMAP_MASTER_USER" "$GATEWAY_TEST_IMAP_MASTER_PASSWORD" "<$id>" \
    || die "check: IMAP as the master user did not find the LMTP-delivered message (see $DOVECOT_DIR/dovecot.log)"
  "$HERE/unbound.sh" check || die "check: the test DNS server does not answer as expected"
  say "check passed: Redis PING, LMTP delivery, IMAP master login sees the delivered message, test DNS zones"
}

cmd_clean() {
  cmd_stop
  case "$BASE" in
    /|/tmp|/tmp/|"") die "refusing to delete $BASE" ;;
  esac
  rm -rf "$BASE"
  say "deleted $BASE"
}

cmd_env() {
  running || die "the test services are not running under $BASE (run: tools/testenv/services.sh start)"
  cat "$ENV_FILE"
}

cmd_status() {
  local pid
  if pid=$(live_pid "$REDIS_DIR/redis.pid" redis-server); then
    echo "redis: running (pid $pid, 127.0.0.1:$(cat "$REDIS_DIR/port"))"
  else echo "redis: stopped"; fi
  if pid=$(live_pid "$DOVECOT_DIR/run/master.pid" dovecot); then
    echo "dovecot: running (pid $pid, IMAP 127.0.0.1:$(cat "$DOVECOT_DIR/imap-port")," \
      "LMTP 127.0.0.1:$(cat "$DOVECOT_DIR/lmtp-port"))"
  else echo "dovecot: stopped"; fi
  "$HERE/unbound.sh" status
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  status) cmd_status ;;
  clean) cmd_clean ;;
  check) cmd_check ;;
  *)
    echo "usage: $0 start|stop|env|status|check|clean" >&2
    echo "  (state under \$GATEWAY_TESTENV_DIR, default /tmp/gateway-testenv)" >&2
    exit 2
    ;;
esac
