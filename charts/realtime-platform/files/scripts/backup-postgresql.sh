#!/bin/sh
# backup-postgresql.sh: backs up every database of the platform's PostgreSQL, or restores one
# backup. The backup CronJob runs `backup-postgresql.sh backup`; README "Backup and restore" runs
# `backup-postgresql.sh restore <backup directory>` in a pod with the same volume.
#
#   backup            writes $BACKUP_DIR/<UTC timestamp>/: globals.sql (roles, pg_dumpall
#                     --globals-only) and <database>.dump (pg_dump -Fc) for every database but
#                     the templates and "postgres"; the directory appears complete or not at all
#                     (written as <timestamp>.partial, renamed at the end); then keeps the newest
#                     $BACKUP_KEEP backups
#   restore <dir>     applies <dir>/globals.sql (roles that exist already are left as they are),
#                     then re-creates each database of <dir> from its dump (pg_restore --clean
#                     --create: the database is dropped first, so stop its clients before)
#
# backup runs as the chart's read-only backup role (pg_read_all_data) over the network; restore
# needs the superuser, who logs in only on the PostgreSQL pod's own socket: it runs there
# (README "Backup and restore").
#
# Environment:
#   PGHOST, PGPORT, PGUSER, PGPASSWORD  the connection (libpq variables); PGPASSWORD defaults to
#                POSTGRES_PASSWORD (the PostgreSQL container's superuser password) for restore
#   BACKUP_DIR   where backups live (backup: required; the CronJob's volume)
#   BACKUP_KEEP  backups kept after a successful one (default 7)
#
# Any failure ends the script with a non-zero status and a message on stderr.
set -eu

say() { printf 'backup-postgresql: %s\n' "$*"; }
die() {
  printf 'backup-postgresql: ERROR: %s\n' "$*" >&2
  exit 1
}

[ -n "${PGHOST:-}" ] || die "PGHOST is not set"
export PGPASSWORD="${PGPASSWORD:-${POSTGRES_PASSWORD:-}}"

backup() {
  [ -n "${BACKUP_DIR:-}" ] || die "BACKUP_DIR is not set"
  { [ -d "$BACKUP_DIR" ] && [ -w "$BACKUP_DIR" ]; } || die "$BACKUP_DIR is not a writable directory"
  keep=${BACKUP_KEEP:-7}
  case "$keep" in '' | *[!0-9]* | 0) die "BACKUP_KEEP must be a positive integer, got '$keep'" ;; esac
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  target="$BACKUP_DIR/$stamp"
  partial="$target.partial"
  [ ! -e "$target" ] || die "$target exists already"
  rm -rf "$partial"
  mkdir "$partial"
  # A failed dump leaves no complete-looking backup behind.
  trap 'rm -rf "$partial"' EXIT
  databases=$(psql -X -d postgres -v ON_ERROR_STOP=1 -At -c \
    "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres' ORDER BY datname") ||
    die "cannot list the databases"
  # Without the roles' passwords: only the superuser may read them, and the PostgreSQL container
  # sets every platform role's password again from its Secrets each time it starts.
  pg_dumpall -l postgres --globals-only --no-role-passwords -f "$partial/globals.sql" ||
    die "pg_dumpall --globals-only failed"
  for database in $databases; do
    pg_dump -d "$database" -Fc -f "$partial/$database.dump" || die "pg_dump of $database failed"
    say "dumped $database ($(wc -c <"$partial/$database.dump") bytes)"
  done
  mv "$partial" "$target"
  trap - EXIT
  say "backup complete: $target"
  # Oldest first (the names are UTC timestamps); only complete backups count.
  count=$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '2*Z' | wc -l)
  for old in $(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '2*Z' | sort); do
    [ "$count" -gt "$keep" ] || break
    rm -rf "$old"
    count=$((count - 1))
    say "removed old backup $old"
  done
}

restore() {
  from=${1:-}
  [ -n "$from" ] || die "usage: backup-postgresql.sh restore <backup directory>"
  [ -r "$from/globals.sql" ] || die "$from is not a complete backup (no globals.sql)"
  # Roles first; the ones that exist already (the superuser at least) report an error and stay.
  psql -X -q -d postgres -f "$from/globals.sql" >/dev/null 2>&1 || true
  found=0
  for dump in "$from"/*.dump; do
    [ -e "$dump" ] || continue
    database=$(basename "$dump" .dump)
    pg_restore -d postgres --clean --if-exists --create --exit-on-error "$dump" ||
      die "pg_restore of $database failed"
    say "restored $database"
    found=$((found + 1))
  done
  [ "$found" -gt 0 ] || die "$from holds no database dump"
  say "restore complete: $found databases from $from"
}

case "${1:-backup}" in
  backup) backup ;;
  restore) restore "${2:-}" ;;
  *) die "unknown command '$1' (backup, or restore <backup directory>)" ;;
esac
