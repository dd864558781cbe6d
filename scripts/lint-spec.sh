#!/usr/bin/env bash
# Lints openapi.yaml with Redocly's recommended rules (redocly.yaml), pinned, installed
# from npm into a cache directory on first use. Fails on any error or warning.
set -euo pipefail
cd "$(dirname "$0")/.."

REDOCLY_VERSION=2.77.0
if ! command -v npm >/dev/null 2>&1; then
  echo "[lint] installing Node.js and npm"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
dir="${XDG_CACHE_HOME:-$HOME/.cache}/dugnad/redocly-$REDOCLY_VERSION"
if [ ! -x "$dir/node_modules/.bin/redocly" ]; then
  echo "[lint] installing @redocly/cli $REDOCLY_VERSION into $dir"
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --silent "@redocly/cli@$REDOCLY_VERSION")
fi
# Redocly exits non-zero on errors; warnings only show in its summary.
output=$("$dir/node_modules/.bin/redocly" lint --max-problems 50 openapi.yaml 2>&1) || {
  echo "$output"; exit 1
}
echo "$output" | grep -v "Node.js\|║\|╔\|╚" | sed '/^\s*$/d'
if echo "$output" | grep -qE "You have [0-9]+ warnings?"; then
  echo "[lint] warnings count as failures"
  exit 1
fi
