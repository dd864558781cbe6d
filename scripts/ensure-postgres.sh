#!/usr/bin/env bash
# Makes the local PostgreSQL usable for dugnad's tests: installed, running, and reachable
# as role `root` over 127.0.0.1 with trust authentication. Safe to run repeatedly; never
# stops or restarts a running cluster (a reload is enough for pg_hba.conf).
set -euo pipefail

log() { printf '[ensure-postgres] %s\n' "$*"; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "PostgreSQL is not installed; installing it"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql postgresql-contrib >/dev/null
fi

version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -z "$version" ]; then
  log "no PostgreSQL cluster found under /etc/postgresql"
  exit 1
fi

if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  log "starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi

for _ in $(seq 1 30); do
  if runuser -u postgres -- psql -qAtc 'select 1' >/dev/null 2>&1; then break; fi
  sleep 1
done

if ! psql -h 127.0.0.1 -U root -d postgres -qAtc 'select 1' >/dev/null 2>&1; then
  log "making role root a trusted superuser on 127.0.0.1"
  if ! runuser -u postgres -- psql -qAtc "select 1 from pg_roles where rolname = 'root'" | grep -q 1; then
    runuser -u postgres -- createuser -s root
  fi
  hba=$(runuser -u postgres -- psql -qAtc 'show hba_file')
  if ! head -n 1 "$hba" | grep -q 'dugnad-trust'; then
    tmp=$(mktemp)
    {
      echo "host all all 127.0.0.1/32 trust # dugnad-trust"
      cat "$hba"
    } > "$tmp"
    cat "$tmp" > "$hba"
    rm -f "$tmp"
  fi
  runuser -u postgres -- psql -qAtc 'select pg_reload_conf()' >/dev/null
  sleep 1
  psql -h 127.0.0.1 -U root -d postgres -qAtc 'select 1' >/dev/null
fi
log "PostgreSQL $version is ready for root@127.0.0.1"
