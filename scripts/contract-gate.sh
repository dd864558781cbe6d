#!/usr/bin/env bash
# The contract gate: starts the built binary exactly as the README's first command does
# (it creates its own database, migrates and serves), checks it serves Larvik's councils,
# checks a client generated from openapi.yaml against it (tests/clients/), then runs
# schemathesis (pinned) against openapi.yaml with an admin's, a staff member's and a
# volunteer's token. Fails on any finding. The seed is
# fixed so a CI failure can be replayed; set SCHEMATHESIS_SEED to explore further. One
# worker: with two threads, hypothesis describes lambdas with ast.parse concurrently, which
# CPython 3.11 does not support ("AST constructor recursion depth mismatch", seen in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
OPENAPI_PYTHON_CLIENT_VERSION=0.29.1
profile=${1:-debug}
binary="target/$profile/dugnad"
[ -x "$binary" ] || { echo "build $binary first"; exit 1; }

venv="${XDG_CACHE_HOME:-$HOME/.cache}/dugnad/schemathesis-$SCHEMATHESIS_VERSION"
if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "[gate] installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
db="dugnad_gate_$(date +%s)_$$"
workdir=$(mktemp -d)
export DATABASE_URL="postgres://root@127.0.0.1:5432/$db"
export DUGNAD_BIND="127.0.0.1:$port"
export DUGNAD_VAR_DIR="$workdir/var"
export RUST_LOG=warn

"$binary" serve > "$workdir/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 1 60); do
  if curl -fsS "$base/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$workdir/server.log"; exit 1; fi
  sleep 0.5
done
curl -fsS "$base/readyz" >/dev/null || { echo "[gate] the server never became ready"; cat "$workdir/server.log"; exit 1; }
councils=$(curl -fsS "$base/api/v1/councils?limit=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$councils" = 10 ] || { echo "[gate] expected Larvik's 10 councils, got $councils"; exit 1; }
echo "[gate] serving on $base: /readyz 200, $councils councils"

# A throwaway admin, staff member and volunteer, so the operations are exercised with each
# role's token: what a generated client of each kind of user meets.
login() {
  curl -fsS -H 'Content-Type: application/json' -d "{\"email\": \"$1\", \"password\": \"$2\"}" \
    "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
password="Gate-passord-$$-x"
DUGNAD_PASSWORD="$password" "$binary" create-user --role admin --email "gate-admin-$$@dugnad.test" --name "Gate Admin" >/dev/null
admin_token=$(login "gate-admin-$$@dugnad.test" "$password")
unit=$(curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $admin_token" \
  -d '{"name": "Gate-enheten", "email": "gate-enhet@dugnad.test"}' "$base/api/v1/service-units" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
DUGNAD_PASSWORD="$password" "$binary" create-user --role staff --unit "$unit" --email "gate-staff-$$@dugnad.test" --name "Gate Staff" >/dev/null
DUGNAD_PASSWORD="$password" "$binary" create-user --role volunteer --email "gate-volunteer-$$@dugnad.test" --name "Gate Volunteer" >/dev/null

# What a mobile team's generated client expects (an enum value added later, the exploded
# array form, the explicit clear), with a client generated from openapi.yaml by a pinned
# openapi-python-client in a venv of its own.
client_venv="${XDG_CACHE_HOME:-$HOME/.cache}/dugnad/openapi-python-client-$OPENAPI_PYTHON_CLIENT_VERSION"
if [ ! -x "$client_venv/bin/openapi-python-client" ]; then
  echo "[gate] installing openapi-python-client $OPENAPI_PYTHON_CLIENT_VERSION into $client_venv"
  python3 -m venv "$client_venv"
  "$client_venv/bin/pip" install -q "openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION"
fi
"$client_venv/bin/openapi-python-client" generate --path openapi.yaml --meta none \
  --output-path "$workdir/clients/dugnad_client" > "$workdir/generate.log" 2>&1 \
  || { cat "$workdir/generate.log"; echo "[gate] the Python client could not be generated"; exit 1; }
"$client_venv/bin/python" tests/clients/generated_python.py "$workdir/clients" "$base" \
  "$(login "gate-staff-$$@dugnad.test" "$password")" "$(login "gate-volunteer-$$@dugnad.test" "$password")"

# One run per role, capped so the three stay under five minutes together. Each role signs in
# just before its own run, and the admin runs last: its run may deactivate, erase or re-role
# any user it finds (it found the staff member once and the staff sign-in then failed), while
# a volunteer's or a staff member's run can only change its own account.
for role in volunteer staff admin; do
  token=$(login "gate-$role-$$@dugnad.test" "$password") \
    || { echo "[gate] $role could not sign in before its run"; exit 1; }
  echo "[gate] schemathesis $SCHEMATHESIS_VERSION against openapi.yaml as $role"
  # The checks (and the one exception, with its reason) are in scripts/schemathesis.toml.
  timeout 150 "$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run openapi.yaml \
    --url "$base" \
    --header "Authorization: Bearer $token" \
    --max-time "${GATE_SECONDS_PER_ROLE:-75}" \
    --seed "${SCHEMATHESIS_SEED:-20261123}" \
    --workers 1 \
    --no-color
done
echo "[gate] no findings"
