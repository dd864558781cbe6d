#!/usr/bin/env bash
# The console's browser tests, as their own serial step (one Chromium, two cores):
# starts the service against a database of its own, creates a staff member and a
# volunteer with `dugnad create-user`, and runs tests/browser/run.mjs in Debian's
# Chromium. Screenshots go to target/browser/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
  apt-get install -y chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y chromium chromium-driver >/dev/null; }
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
cargo build --quiet --bin dugnad

db="dugnad_browser_$$"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DATABASE_URL="postgres://root@127.0.0.1:5432/$db"
export DUGNAD_BIND="127.0.0.1:$port"
export DUGNAD_PUBLIC_URL="http://127.0.0.1:$port"
export DUGNAD_VAR_DIR="$work/var"
export RUST_LOG=warn
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT

target/debug/dugnad serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/server.log"; exit 1; }

unit="$(psql -h 127.0.0.1 -U root -d "$db" -Atqc \
  "INSERT INTO service_units (id, name, email, phone) VALUES (gen_random_uuid(), 'Hjemmetjenesten Sentrum', 'hjemmetjenesten@larvik.test', '33 17 10 00') RETURNING id")"
export PASSWORD="Nettleser-test-passord-2026"
export STAFF_EMAIL="ansatt@larvik.test"
export VOLUNTEER_EMAIL="frivillig@larvik.test"
export ADMIN_EMAIL="admin@larvik.test"
export COORDINATOR_EMAIL="leder.stavern@larvik.test"
COUNCIL_ID="$(psql -h 127.0.0.1 -U root -d "$db" -Atqc "SELECT id FROM councils WHERE name = 'Stavern'")"
export COUNCIL_ID
DUGNAD_PASSWORD="$PASSWORD" target/debug/dugnad create-user --role staff --email "$STAFF_EMAIL" --name "Siri Ansatt" --unit "$unit" >/dev/null
DUGNAD_PASSWORD="$PASSWORD" target/debug/dugnad create-user --role admin --email "$ADMIN_EMAIL" --name "Anne Admin" >/dev/null
DUGNAD_PASSWORD="$PASSWORD" target/debug/dugnad create-user --role coordinator --email "$COORDINATOR_EMAIL" --name "Leder Stavern" --council "$COUNCIL_ID" >/dev/null
DUGNAD_PASSWORD="$PASSWORD" target/debug/dugnad create-user --role volunteer --email "$VOLUNTEER_EMAIL" --name "Per Frivillig" >/dev/null

export BASE_URL="http://127.0.0.1:$port"
export SHOTS="$PWD/target/browser"
node tests/browser/run.mjs || { echo "--- server log"; tail -50 "$work/server.log"; exit 1; }
