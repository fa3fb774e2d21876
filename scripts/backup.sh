#!/usr/bin/env bash
# Back up essor's PostgreSQL database to one file (pg_dump's custom format, -Fc).
#
#   scripts/backup.sh [FILE]
#
# The database is DATABASE_URL, from the environment or else from the .env file beside
# manage.py (the same variable the application reads). Without FILE, the dump goes to
# $BACKUP_DIR (default: backups/) as essor-<database>-<UTC date and time>.dump.
#
# - The file is written under a temporary name and renamed only once pg_dump succeeded
#   and pg_restore can read its table of contents: a file with the final name is whole.
# - It is readable by its owner only (it holds every personal record of the registry).
# - Restore it with `pg_restore --no-owner -d postgresql://…/newdb FILE`, and check it
#   regularly with scripts/restore-drill.sh FILE (restores it into a fresh database and
#   compares row counts with the source).
# - pg_dump must be of the server's major version or newer (Debian 12: 15).
# - Copy the dumps off the database host: a backup on the same disk is not a backup.
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
      echo "postgresql://${url#*://}" ;;   # libpq's spelling of django-environ's schemes
    "") echo "DATABASE_URL is not set (environment or .env)." >&2; return 1 ;;
    *) echo "DATABASE_URL is not a PostgreSQL URL; this script backs up PostgreSQL only." >&2
       return 1 ;;
  esac
}

URL=$(database_url)
base=${URL%%\?*}
DBNAME=${base##*/}
OUT=${1:-${BACKUP_DIR:-backups}/essor-${DBNAME}-$(date -u +%Y%m%dT%H%M%SZ).dump}

umask 077
mkdir -p "$(dirname "$OUT")"
TMP="$OUT.partial"
trap 'rm -f "$TMP"' EXIT

start=$(date +%s)
pg_dump --format=custom --compress=6 --no-password --file="$TMP" --dbname="$URL"
pg_restore --list "$TMP" >/dev/null   # the archive is readable
mv "$TMP" "$OUT"
trap - EXIT

tables=$(pg_restore --list "$OUT" | grep -c ' TABLE DATA ' || true)
echo "backup: $OUT ($(du -h "$OUT" | cut -f1), $tables tables, $(( $(date +%s) - start )) s)"
