#!/usr/bin/env bash
# Demo against a running standalone gateway: send a few hundred real spam and ham messages over SMTP to a
# handful of mailboxes, report some of the spam with gatewayctl, and show every delivered copy moving to Junk.
#
# Settings (environment):
#   GATEWAY_SMTP            SMTP listener of the gateway           (default 127.0.0.1:2525)
#   GATEWAY_ADMIN           admin API of the gateway               (default http://127.0.0.1:8025)
#   GATEWAY_ADMIN_TOKEN     admin token, when the gateway has one
#   GATEWAY_MAILDIR         Maildir root the gateway delivers into (default <repo>/data/mail)
#   GATEWAY_DEMO_DOMAIN     recipient domain                       (default example.test)
#   GATEWAY_DEMO_MAILBOXES  local parts of the recipients          (default "alice bob carol dave erin")
#   GATEWAY_DEMO_COUNT      messages to send, half spam half ham   (default 300, at most 3000)
#   GATEWAY_DEMO_REPORT     spam messages to report                (default 5)
#   GATEWAY_SHARED_DIR      where corpus/spam and corpus/ham are   (default <repo>/../shared)
# Recipients are always <mailbox>@<domain>; the addresses inside the corpus are never used.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SMTP=${GATEWAY_SMTP:-127.0.0.1:2525}
ADMIN=${GATEWAY_ADMIN:-http://127.0.0.1:8025}
MAILDIR=${GATEWAY_MAILDIR:-$REPO/data/mail}
DOMAIN=${GATEWAY_DEMO_DOMAIN:-example.test}
read -r -a MAILBOXES <<< "${GATEWAY_DEMO_MAILBOXES:-alice bob carol dave erin}"
COUNT=${GATEWAY_DEMO_COUNT:-300}
REPORT=${GATEWAY_DEMO_REPORT:-5}
SHARED=${GATEWAY_SHARED_DIR:-$REPO/../shared}
QUEUE_WAIT_SECONDS=120

export GATEWAY_ADMIN=$ADMIN
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

die() { echo "demo.sh: $*" >&2; exit 1; }
step() { echo; echo "== $*"; }

# --- checks ---------------------------------------------------------------------------------------------
[[ $COUNT =~ ^[0-9]+$ ]] && [ "$COUNT" -ge 2 ] && [ "$COUNT" -le 3000 ] \
  || die "GATEWAY_DEMO_COUNT must be a number from 2 to 3000, not \"$COUNT\""
[[ $REPORT =~ ^[0-9]+$ ]] && [ "$REPORT" -ge 1 ] && [ "$REPORT" -le 100 ] \
  || die "GATEWAY_DEMO_REPORT must be a number from 1 to 100, not \"$REPORT\""
[ ${#MAILBOXES[@]} -ge 1 ] || die "GATEWAY_DEMO_MAILBOXES names no mailbox"
for m in "${MAILBOXES[@]}" "$DOMAIN"; do
  [[ $m =~ ^[A-Za-z0-9._-]+$ ]] || die "\"$m\" is not a plain mailbox or domain name"
done
command -v python3 > /dev/null || die "python3 is needed for the SMTP client (apt-get install python3)"
command -v dotnet > /dev/null || die "dotnet is needed to run gatewayctl"
[ -d "$SHARED/corpus/spam" ] && [ -d "$SHARED/corpus/ham" ] \
  || die "no corpus at $SHARED/corpus/{spam,ham}; set GATEWAY_SHARED_DIR to the folder holding corpus/"
SHARED=$(cd "$SHARED" && pwd)

smtp_host=${SMTP%:*} smtp_port=${SMTP##*:}
[[ $smtp_port =~ ^[0-9]+$ ]] || die "GATEWAY_SMTP must be host:port, not \"$SMTP\""
if ! timeout 5 bash -c "exec 3<>/dev/tcp/$smtp_host/$smtp_port" 2>/dev/null; then
  die "cannot reach the gateway's SMTP listener at $SMTP (is the standalone gateway running? set GATEWAY_SMTP)"
fi

step "building gatewayctl"
dotnet build "$REPO/tools/Gatewayctl/Gatewayctl.csproj" -nologo -v:q -clp:NoSummary < /dev/null > /dev/null \
  || die "gatewayctl did not build (run: dotnet build tools/Gatewayctl)"
GATEWAYCTL=(dotnet "$REPO/tools/Gatewayctl/bin/Debug/net10.0/gatewayctl.dll")
gatewayctl() { "${GATEWAYCTL[@]}" "$@"; }

queue_json=$(gatewayctl --json queue) || die "the admin API is needed for reporting (see the error above)"
echo "gateway reachable: SMTP $SMTP, admin $ADMIN; queue: $(gatewayctl queue)"

WORK=$(mktemp -d /tmp/gateway-demo.XXXXXX)
echo "demo logs in $WORK"

# --- mailbox counts ---------------------------------------------------------------------------------------
count_files() { # dir...
  local n=0 d
  for d in "$@"; do
    [ -d "$d" ] && n=$((n + $(find "$d" -maxdepth 1 -type f | wc -l)))
  done
  echo "$n"
}

snapshot() { # name: writes $WORK/counts.<name> with "mailbox inbox junk"
  local m dir
  for m in "${MAILBOXES[@]}"; do
    dir=$MAILDIR/$DOMAIN/$m
    echo "$m $(count_files "$dir/new" "$dir/cur") $(count_files "$dir/.Junk/new" "$dir/.Junk/cur")"
  done > "$WORK/counts.$1"
}

queue_messages() {
  local json
  json=$(gatewayctl --json queue 2>/dev/null) || { echo "?"; return; }
  grep -o '"messages": *[0-9]*' <<< "$json" | grep -o '[0-9]*$' || echo 0
}

wait_for_queue() {
  local i n
  for i in $(seq 1 "$QUEUE_WAIT_SECONDS"); do
    n=$(queue_messages)
    [ "$n" = 0 ] && return 0
    [ $((i % 10)) -eq 1 ] && echo "  queue: $n message(s) still waiting"
    sleep 1
  done
  echo "  the queue did not drain within ${QUEUE_WAIT_SECONDS}s; counting what was delivered so far"
}

# Junk counts settle once remediation is done; wait until two looks a second apart agree (at most 15 s).
wait_for_junk_to_settle() {
  local i
  snapshot settle.a
  for i in $(seq 1 15); do
    sleep 1
    snapshot settle.b
    cmp -s "$WORK/counts.settle.a" "$WORK/counts.settle.b" && return 0
    mv "$WORK/counts.settle.b" "$WORK/counts.settle.a"
  done
}

snapshot before

# --- send ---------------------------------------------------------------------------------------------------
step "sending $COUNT messages ($((COUNT / 2)) spam, $((COUNT - COUNT / 2)) ham) to ${MAILBOXES[*]} @$DOMAIN via $SMTP"
python3 "$REPO/tools/demo/send.py" --smtp "$SMTP" --domain "$DOMAIN" --mailboxes "${MAILBOXES[*]}" \
  --corpus "$SHARED/corpus" --count "$COUNT" --log "$WORK/sent.tsv" \
  || die "sending stopped early (log: $WORK/sent.tsv)"

outcome_count() { # kind outcome-regex
  awk -F'\t' -v k="$1" -v o="^($2)\$" '($1 == k || k == "all") && $4 ~ o' "$WORK/sent.tsv" | wc -l
}
copies_accepted() {
  awk -F'\t' '$5 != "-" { n += split($5, a, " ") } END { print n + 0 }' "$WORK/sent.tsv"
}

step "waiting for the gateway to deliver"
wait_for_queue
snapshot delivered

# --- report -------------------------------------------------------------------------------------------------
# Report accepted spam that reached the most mailboxes: several copies to move.
mapfile -t reported < <(awk -F'\t' '$1 == "spam" && $5 != "-" { print split($5, a, " ") "\t" $2 }' "$WORK/sent.tsv" \
  | sort -t$'\t' -k1,1nr -k2,2 | head -n "$REPORT" | cut -f2)
report_rc=0
if [ ${#reported[@]} -eq 0 ]; then
  echo "no spam message was accepted, so there is nothing to report"
  report_rc=1
else
  step "reporting ${#reported[@]} of the delivered spam messages: gatewayctl report spam FILE..."
  gatewayctl report spam "${reported[@]}" || report_rc=$?
  wait_for_junk_to_settle
  step "where their copies are now: gatewayctl deliveries FILE"
  for f in "${reported[@]}"; do
    echo "-- $f"
    gatewayctl deliveries "$f" || report_rc=$?
  done
fi
snapshot reported

# --- send the reported ones again: now the filter knows them -----------------------------------------------------
if [ ${#reported[@]} -gt 0 ]; then
  step "sending the ${#reported[@]} reported messages again"
  printf '%s\n' "${reported[@]}" > "$WORK/reported.list"
  awk -F'\t' 'NR == FNR { want[$0] = 1; next } want[$2]' "$WORK/reported.list" "$WORK/sent.tsv" > "$WORK/resend.in"
  python3 "$REPO/tools/demo/send.py" --smtp "$SMTP" --domain "$DOMAIN" --mailboxes "${MAILBOXES[*]}" \
    --resend "$WORK/resend.in" --log "$WORK/resent.tsv" > /dev/null || true
  awk -F'\t' '{ printf "  %s: %s%s\n", $2, $4, ($4 == "accepted" ? "" : " (" $7 ")") }' "$WORK/resent.tsv"
fi

# --- summary --------------------------------------------------------------------------------------------------
step "summary"
for k in spam ham all; do
  printf '  %-4s sent %4d  accepted %4d  refused %4d  deferred %4d  errors %4d\n' "$k" \
    "$(outcome_count "$k" 'accepted|partial|refused|tempfail|error')" "$(outcome_count "$k" 'accepted|partial')" \
    "$(outcome_count "$k" refused)" "$(outcome_count "$k" tempfail)" "$(outcome_count "$k" error)"
done
echo "  $(copies_accepted) recipient copies accepted; $(outcome_count all partial) messages refused for some recipients"
echo
printf '  %-10s %25s %25s %25s\n' "mailbox" "before: inbox / Junk" "delivered: inbox / Junk" "reported: inbox / Junk"
moved_total=0
while read -r m b_in b_junk; do
  read -r _ d_in d_junk < <(grep "^$m " "$WORK/counts.delivered")
  read -r _ r_in r_junk < <(grep "^$m " "$WORK/counts.reported")
  printf '  %-10s %25s %25s %25s\n' "$m@" "$b_in / $b_junk" "$d_in / $d_junk" "$r_in / $r_junk"
  moved_total=$((moved_total + r_junk - d_junk))
done < "$WORK/counts.before"
echo
echo "  moved to Junk by the report: $moved_total copies (Maildir root $MAILDIR)"
echo "  logs: $WORK/sent.tsv (one line per message), $WORK/resent.tsv"

if [ "$(outcome_count all 'accepted|partial')" -eq 0 ]; then
  die "the gateway accepted none of the messages"
fi
if [ "$report_rc" -ne 0 ]; then
  die "reporting failed (gatewayctl exit code $report_rc)"
fi
if [ "$moved_total" -le 0 ]; then
  die "no copy moved to Junk in $MAILDIR/$DOMAIN (does the gateway deliver there? set GATEWAY_MAILDIR)"
fi
