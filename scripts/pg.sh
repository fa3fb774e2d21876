#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and CI: scripts/pg.sh start|stop|env
# Installs Debian's postgresql when missing (as root). Data lives in /tmp/essor-pg, port
# 5433 (override with ESSOR_PG_DIR, ESSOR_PG_PORT); trust authentication on 127.0.0.1 only,
# fsync off: for tests, never for data that matters. `stop` deletes the cluster.
set -euo pipefail
PGROOT=${ESSOR_PG_DIR:-/tmp/essor-pg}
PORT=${ESSOR_PG_PORT:-5433}
URL="postgres://essor:essor@127.0.0.1:${PORT}/essor"

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

install() {
  if [ -z "$(pgbin)" ] || [ ! -x "$(pgbin)/initdb" ]; then
    echo "Installing PostgreSQL from Debian's packages…" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 postgresql >/dev/null
  fi
}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  install
  local bin; bin=$(pgbin)
  if [ -f "$PGROOT/data/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
    echo "DATABASE_URL=$URL"; return
  fi
  rm -rf "$PGROOT"; mkdir -p "$PGROOT"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGROOT"
  as_postgres "$bin/initdb" -D "$PGROOT/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  if ! as_postgres "$bin/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
    echo "PostgreSQL did not start (port $PORT taken? set ESSOR_PG_PORT); its log:" >&2
    tail -5 "$PGROOT/log" >&2
    exit 1
  fi
  psql -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE ROLE essor LOGIN PASSWORD 'essor' CREATEDB" \
       -c "CREATE DATABASE essor OWNER essor" >/dev/null
  echo "DATABASE_URL=$URL"
}

stop() {
  local bin; bin=$(pgbin)
  if [ -n "$bin" ] && [ -d "$PGROOT/data" ]; then
    as_postgres "$bin/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGROOT"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "DATABASE_URL=$URL" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
