#!/usr/bin/env bash
# Coverage-guided fuzzing of the gateway's parsers with afl-fuzz (AFL++) through SharpFuzz (issue 9).
#
#   tools/fuzz/fuzz.sh smtp 600          fuzz the SMTP session harness for 600 s
#   tools/fuzz/fuzz.sh mime 3600         MIME normalisation and fingerprinting for an hour
#   tools/fuzz/fuzz.sh proxy 600         the PROXY protocol v1/v2 header parser of the edge
#   tools/fuzz/fuzz.sh policy 600        the sender-intelligence policy file (YAML) parser
#   FUZZ_WORK=/tmp/fuzz tools/fuzz/fuzz.sh mime 600      keep the work (queue, crashes) somewhere else
#
# Needs afl-fuzz (Debian package afl++) and the SharpFuzz instrumenter (dotnet tool SharpFuzz.CommandLine 2.3.0);
# installs both when missing. Builds tools/fuzz in Release, instruments the gateway assemblies, MimeKit and
# YamlDotNet in the output (never the build tree), writes the seeds, runs afl-fuzz for the given seconds and prints its figures:
# executions, corpus size, bitmap coverage, crashes and hangs. Crashing inputs are in $FUZZ_WORK/<target>/out/
# default/crashes/: reproduce one with `dotnet $FUZZ_WORK/plain/gateway-fuzz.dll repro <target> <file>` (the
# instrumented build in $FUZZ_WORK/bin runs only under afl-fuzz), fix the bug,
# and keep the input under tools/fuzz/regressions/<target>/ (the test suite runs every file there).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TARGET=${1:?usage: fuzz.sh smtp|mime|proxy|policy [seconds]}
SECONDS_TO_RUN=${2:-600}
WORK=${FUZZ_WORK:-/tmp/gateway-fuzz}
# An execution slower than this is a hang. The SMTP and MIME harnesses run whole sessions and messages; the
# PROXY header and policy file parsers take microseconds per input, so a second is already far off.
case "$TARGET" in proxy|policy) HANG_MS=5000 ;; *) HANG_MS=20000 ;; esac
BIN=$WORK/bin
PLAIN=$WORK/plain
SHARED=${GATEWAY_SHARED_DIR:-$REPO/../shared}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 PATH=$PATH:$HOME/.dotnet/tools

command -v afl-fuzz > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++; }
command -v sharpfuzz > /dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0

if [ ! -f "$BIN/.instrumented" ] || [ -n "$(find "$REPO/services" "$REPO/tools/fuzz" -name '*.cs' -newer "$BIN/.instrumented" -print -quit)" ]; then
  rm -rf "$BIN" "$PLAIN"
  dotnet publish "$REPO/tools/fuzz/Gateway.Fuzz.csproj" -c Release -o "$PLAIN" -nologo -v:q
  cp -r "$PLAIN" "$BIN"
  for dll in Gateway.Common.dll Gateway.MtaEdge.dll Gateway.FingerprintFilter.dll Gateway.SenderIntelligence.dll \
    MimeKit.dll YamlDotNet.dll; do
    sharpfuzz "$BIN/$dll" > /dev/null
  done
  touch "$BIN/.instrumented"
fi

mkdir -p "$WORK/$TARGET"
rm -rf "$WORK/$TARGET/in"
corpus_args=()
[ -d "$SHARED/corpus" ] && corpus_args=(--corpus "$SHARED/corpus")
dotnet "$PLAIN/gateway-fuzz.dll" seeds "$TARGET" "$WORK/$TARGET/in" "${corpus_args[@]}"
cp "$REPO/tools/fuzz/regressions/$TARGET/"* "$WORK/$TARGET/in/" 2> /dev/null || true
rm -f "$WORK/$TARGET/in/"*.md

# dotnet is not an AFL-instrumented binary (the instrumentation is in the .NET assemblies): skip that check.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1 AFL_AUTORESUME=1
timeout --signal=INT --kill-after=30 "$SECONDS_TO_RUN" \
  afl-fuzz -i "$WORK/$TARGET/in" -o "$WORK/$TARGET/out" -t "$HANG_MS" -m none -- dotnet "$BIN/gateway-fuzz.dll" afl "$TARGET" \
  > "$WORK/$TARGET/afl.log" 2>&1 || true

STATS=$WORK/$TARGET/out/default/fuzzer_stats
if [ ! -f "$STATS" ]; then
  tail -30 "$WORK/$TARGET/afl.log" >&2
  echo "fuzz.sh: afl-fuzz did not run (log: $WORK/$TARGET/afl.log)" >&2
  exit 1
fi
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$STATS"; }
echo "fuzz.sh: $TARGET: $(get run_time) s, $(get execs_done) executions ($(get execs_per_sec)/s), corpus $(get corpus_count)" \
  "inputs, bitmap coverage $(get bitmap_cvg), stability $(get stability), crashes $(get saved_crashes)," \
  "hangs $(get saved_hangs)"
ls "$WORK/$TARGET/out/default/crashes/" 2> /dev/null | grep -v README || true
[ "$(get saved_crashes)" = 0 ]
