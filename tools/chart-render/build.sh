#!/usr/bin/env bash
# Builds chart-render offline from Debian's Go packages (golang-go, golang-github-masterminds-sprig-dev,
# golang-github-ghodss-yaml-dev): GOPATH mode against /usr/share/gocode, so no module proxy is asked.
#
#   tools/chart-render/build.sh [OUTPUT]      default OUTPUT: tools/chart-render/bin/chart-render
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$HERE/bin/chart-render}
command -v go > /dev/null || { echo "build.sh: go is missing (apt-get install golang-go)" >&2; exit 1; }
[ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] \
  || { echo "build.sh: sprig is missing (apt-get install golang-github-masterminds-sprig-dev)" >&2; exit 1; }
[ -d /usr/share/gocode/src/github.com/ghodss/yaml ] \
  || { echo "build.sh: ghodss/yaml is missing (apt-get install golang-github-ghodss-yaml-dev)" >&2; exit 1; }
export GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off
export GOCACHE=${GOCACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/go-build}
mkdir -p "$(dirname "$OUT")"
cd "$HERE"
go build -o "$OUT" .
