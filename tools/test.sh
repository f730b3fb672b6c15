#!/usr/bin/env bash
# The Test command: starts the test services, builds Gateway.sln once, runs every test project in it and
# prints, as its last line, "N passed, N failed, N skipped" over all of them. Exit status 0 only when
# the build succeeded and no test failed.
#
#   tools/test.sh                          everything
#   tools/test.sh --filter 'FullyQualifiedName~Smtp'      extra arguments go to every `dotnet test`
#   GATEWAY_TEST_ONLY=MtaEdge tools/test.sh               only test projects whose path contains MtaEdge
#
# Settings (environment): GATEWAY_SHARED_DIR (default <repo>/../shared when it exists), GATEWAY_TESTENV_DIR
# (where the services keep their state; default a fresh /tmp/gateway-test.XXXXXX removed after a clean run),
# GATEWAY_TEST_RESULTS (default <repo>/TestResults), GATEWAY_TEST_PROJECT_TIMEOUT_SECONDS (default 1800).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICES=$REPO/tools/testenv/services.sh
RESULTS=${GATEWAY_TEST_RESULTS:-$REPO/TestResults}
PROJECT_TIMEOUT=${GATEWAY_TEST_PROJECT_TIMEOUT_SECONDS:-1800}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en MSBUILDDISABLENODEREUSE=1

log() { echo "test.sh: $*" >&2; }

summary() { # passed failed skipped; always the last line on stdout
  echo "$1 passed, $2 failed, $3 skipped"
}

# --- test services -----------------------------------------------------------------------------------
CREATED_ENV_DIR=
STARTED_SERVICES=
if [ -z "${GATEWAY_TESTENV_DIR:-}" ]; then
  GATEWAY_TESTENV_DIR=$(mktemp -d /tmp/gateway-test.XXXXXX)
  CREATED_ENV_DIR=$GATEWAY_TESTENV_DIR
fi
export GATEWAY_TESTENV_DIR

stop_services() {
  if [ -n "$STARTED_SERVICES" ]; then
    STARTED_SERVICES=
    if [ -n "$CREATED_ENV_DIR" ] && [ "${1:-}" = clean ]; then
      "$SERVICES" clean > /dev/null 2>&1 || true
    else
      "$SERVICES" stop > /dev/null 2>&1 || true
    fi
  fi
}
trap 'stop_services' EXIT
trap 'log "interrupted"; exit 130' INT TERM

if "$SERVICES" env > /dev/null 2>&1; then
  log "using the test services already running under $GATEWAY_TESTENV_DIR (left running)"
else
  STARTED_SERVICES=yes
  if ! "$SERVICES" start; then
    log "the test services did not start (state under $GATEWAY_TESTENV_DIR)"
    summary 0 1 0
    exit 1
  fi
fi
if ! "$SERVICES" check; then
  log "the test services do not answer as the tests expect (state under $GATEWAY_TESTENV_DIR)"
  summary 0 1 0
  exit 1
fi
eval "$("$SERVICES" env)"

if [ -z "${GATEWAY_SHARED_DIR:-}" ] && [ -d "$REPO/../shared" ]; then
  GATEWAY_SHARED_DIR=$(cd "$REPO/../shared" && pwd)
fi
if [ -n "${GATEWAY_SHARED_DIR:-}" ]; then
  export GATEWAY_SHARED_DIR
  log "shared corpus and cases: $GATEWAY_SHARED_DIR"
else
  log "no ../shared next to the repository and GATEWAY_SHARED_DIR unset:" \
    "tests that need the corpus will skip (fail in CI)"
fi

# --- build -----------------------------------------------------------------------------------------------
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
log "building Gateway.sln"
if ! dotnet build "$REPO/Gateway.sln" -nologo -v:minimal -clp:NoSummary < /dev/null 2>&1 \
    | tee "$RESULTS/build.log"; then
  grep -E ': error ' "$RESULTS/build.log" | sort -u | head -50 >&2
  log "the build failed (full log: $RESULTS/build.log)"
  stop_services clean
  summary 0 1 0
  exit 1
fi

# --- test projects ----------------------------------------------------------------------------------------
# A test project is one in the solution that references Microsoft.NET.Test.Sdk or says IsTestProject=true.
mapfile -t projects < <(cd "$REPO" && dotnet sln Gateway.sln list 2>/dev/null | grep -E '\.csproj$' \
  | while read -r p; do
      p=${p//\\//}
      if grep -qE 'Include="Microsoft\.NET\.Test\.Sdk"|<IsTestProject>\s*true' "$REPO/$p"; then echo "$p"; fi
    done | sort)
if [ -n "${GATEWAY_TEST_ONLY:-}" ]; then
  mapfile -t projects < <(printf '%s\n' "${projects[@]}" | grep -F -- "$GATEWAY_TEST_ONLY")
fi
if [ ${#projects[@]} -eq 0 ] || [ -z "${projects[0]}" ]; then
  log "no test projects found in Gateway.sln"
  stop_services clean
  summary 0 1 0
  exit 1
fi

total_passed=0 total_failed=0 total_skipped=0
lines=()
# Projects run one after another: they share one Redis and one Dovecot.
for p in "${projects[@]}"; do
  name=$(basename "$p" .csproj)
  trx=$RESULTS/$name.trx
  log "testing $name"
  timeout --kill-after=30s "$PROJECT_TIMEOUT" dotnet test "$REPO/$p" --no-build -nologo \
      --logger "trx;LogFileName=$trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" \
      --blame-hang-timeout 10m "$@" < /dev/null 2>&1 | tee "$RESULTS/$name.log"
  rc=${PIPESTATUS[0]}
  passed=0 failed=0 skipped=0
  if [ -f "$trx" ]; then
    # One <UnitTestResult .../> start tag per executed test; its outcome is Passed, Failed or NotExecuted (skipped).
    outcomes=$(grep -o '<UnitTestResult [^>]*' "$trx" | grep -o ' outcome="[A-Za-z]*"' || true)
    passed=$(grep -c '"Passed"' <<< "$outcomes" || true)
    failed=$(grep -cvE '"(Passed|NotExecuted)"|^$' <<< "$outcomes" || true)
    skipped=$(grep -c '"NotExecuted"' <<< "$outcomes" || true)
  fi
  note=
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # dotnet test failed without a failed test: the test host crashed, hung or was killed, or nothing ran.
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then note=" (timed out after ${PROJECT_TIMEOUT}s)"
    else note=" (dotnet test exited with $rc; see $RESULTS/$name.log)"; fi
    failed=1
  fi
  lines+=("$name: $passed passed, $failed failed, $skipped skipped$note")
  if [ -f "$trx" ]; then
    while IFS= read -r t; do lines+=("    failed: $t"); done < <(
      grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*' "$trx" \
      | grep -o 'testName="[^"]*"' | sed -e 's/^testName="//' -e 's/"$//' -e 's/&quot;/"/g' -e 's/&lt;/</g' \
        -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | head -50)
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
done

if [ "$total_failed" -eq 0 ]; then stop_services clean; else stop_services; fi
[ "$total_failed" -ne 0 ] && [ -n "$CREATED_ENV_DIR" ] && log "service state and logs kept in $CREATED_ENV_DIR"
echo
echo "Results (trx files in $RESULTS):"
printf '  %s\n' "${lines[@]}"
summary "$total_passed" "$total_failed" "$total_skipped"
[ "$total_failed" -eq 0 ]
