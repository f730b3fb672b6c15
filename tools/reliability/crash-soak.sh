#!/usr/bin/env bash
# Long crash run of the standalone gateway (issue 9): the suite's crash test with more SIGKILLs and senders.
#
#   tools/reliability/crash-soak.sh                      200 kills, 6 senders (about 10 minutes on 2 cores)
#   KILLS=50 SENDERS=4 MAX_UP_MS=4000 SEED=7 tools/reliability/crash-soak.sh
#
# Prints the figures (messages acknowledged, delivered once, lost, duplicated, spool state, restart times) and
# appends them to TestResults/reliability-figures.txt. Exit status 0 only when nothing was lost or duplicated.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export RELIABILITY_CRASH_KILLS=${KILLS:-200}
export RELIABILITY_CRASH_SENDERS=${SENDERS:-6}
export RELIABILITY_CRASH_MAX_UP_MS=${MAX_UP_MS:-2500}
[ -n "${SEED:-}" ] && export RELIABILITY_SEED=$SEED
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

dotnet build "$REPO/tests/Reliability/Gateway.Reliability.Tests.csproj" -nologo -v:q -clp:NoSummary
dotnet test "$REPO/tests/Reliability/Gateway.Reliability.Tests.csproj" --no-build -nologo \
  --filter "FullyQualifiedName~StandaloneCrashTests" --logger "console;verbosity=detailed" \
  --blame-hang-timeout 60m 2>&1 | grep -E '^ *reliability: |Passed|Failed|lost:|duplicated:|phantom:|Assert' 
exit "${PIPESTATUS[0]}"
