#!/usr/bin/env bash
# Restore drill: prove that a backup restores, and restores everything.
#
#   scripts/restore-drill.sh [DUMP]
#
# Restores DUMP (a scripts/backup.sh file; without it, a fresh backup is taken first
# into a temporary file) into a new, empty database on the server of DATABASE_URL, then
# counts the rows of every table in both the source database and the restored one.
# Exit status: 0 when every table is present on both sides with the same row count,
# 1 on any mismatch (a table missing on one side, or different counts), 2 on usage errors.
# The drill database is dropped at the end (keep it with KEEP_DRILL_DB=1).
#
# DATABASE_URL comes from the environment or the .env file; its role needs CREATEDB
# (or set DRILL_ADMIN_URL to a URL of a role that can create databases on that server).
# Counts are compared with the source *now*: against a live database, rows written since
# the backup show as mismatches — drill a fresh backup (no DUMP argument) or a quiet
# database, or a copy of the source.
set -euo pipefail
cd "$(dirname "$0")/.."

database_url() {
  local url=${DATABASE_URL:-}
  if [ -z "$url" ] && [ -f .env ]; then
    url=$(sed -n 's/^[[:space:]]*DATABASE_URL[[:space:]]*=[[:space:]]*//p' .env | tail -1)
    url=${url%\"}; url=${url#\"}; url=${url%\'}; url=${url#\'}
  fi
  case "$url" in
    postgres://*|postgresql://*|pgsql://*|psql://*|postgis://*)
      echo "postgresql://${url#*://}" ;;
    "") echo "DATABASE_URL is not set (environment or .env)." >&2; return 2 ;;
    *) echo "DATABASE_URL is not a PostgreSQL URL; the drill is for PostgreSQL only." >&2
       return 2 ;;
  esac
}

# The same URL with another database name (query string kept).
with_db() {
  local url=$1 db=$2 query=""
  case "$url" in *\?*) query="?${url#*\?}"; url=${url%%\?*} ;; esac
  echo "${url%/*}/$db$query"
}

SRC=$(database_url) || exit 2
DUMP=${1:-}
WORK=$(mktemp -d /tmp/essor-drill.XXXXXX)
DRILL_DB=${DRILL_DB:-essor_restore_drill_$(date -u +%Y%m%d%H%M%S)_$$}
DRILL=$(with_db "$SRC" "$DRILL_DB")
ADMIN=${DRILL_ADMIN_URL:-$SRC}
created=0

cleanup() {
  if [ "$created" = 1 ] && [ "${KEEP_DRILL_DB:-0}" != 1 ]; then
    psql "$ADMIN" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$DRILL_DB\"" \
      >/dev/null || echo "drill: could not drop database $DRILL_DB" >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "$DUMP" ]; then
  DUMP=$WORK/source.dump
  DATABASE_URL=$SRC scripts/backup.sh "$DUMP"
elif [ ! -r "$DUMP" ]; then
  echo "drill: cannot read $DUMP" >&2; exit 2
fi

start=$(date +%s)
psql "$ADMIN" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$DRILL_DB\"" >/dev/null
created=1
pg_restore --no-owner --no-privileges --exit-on-error --no-password --dbname="$DRILL" "$DUMP"
echo "drill: restored $DUMP into $DRILL_DB in $(( $(date +%s) - start )) s"

# Exact row counts of every ordinary and partitioned table outside the system schemas,
# one "schema.table|count" line each, in one read-only query.
COUNT_SQL="
SELECT format('%s.%s', n.nspname, c.relname),
       (xpath('/row/n/text()', query_to_xml(
          format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname),
          false, true, '')))[1]::text::bigint
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
 ORDER BY 1"
export LC_ALL=C   # one sort order for sort and join, whatever the server's collation
psql "$SRC" -X -A -t -q -v ON_ERROR_STOP=1 -c "$COUNT_SQL" | sort >"$WORK/source.counts"
psql "$DRILL" -X -A -t -q -v ON_ERROR_STOP=1 -c "$COUNT_SQL" | sort >"$WORK/restored.counts"

# join: table | source count | restored count ("-" when the table is missing on a side)
join -t '|' -a 1 -a 2 -e - -o 0,1.2,2.2 "$WORK/source.counts" "$WORK/restored.counts" \
  >"$WORK/compare"
tables=$(wc -l <"$WORK/compare")
rows=$(awk -F'|' '$2 != "-" { s += $2 } END { print s + 0 }' "$WORK/compare")
mismatches=$(awk -F'|' '$2 != $3' "$WORK/compare")

if [ "$tables" -eq 0 ]; then
  echo "drill: FAILED — the source database has no tables" >&2
  exit 1
fi
if [ -n "$mismatches" ]; then
  echo "drill: FAILED — tables whose row counts differ (table | source | restored):" >&2
  echo "$mismatches" >&2
  exit 1
fi
echo "drill: OK — $tables tables, $rows rows, every count matches the source"
