#!/bin/sh
# init-postgresql.sh: waits until PostgreSQL accepts connections, then runs the platform's init.sql
# (roles and databases, idempotent: safe to run on every install and upgrade).
#
# Environment:
#   PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE  a superuser connection (libpq variables)
#   INIT_SQL         the psql script to run (required)
#   WAIT_SECONDS     how long to wait for the server (default 600)
#   POLL_SECONDS     pause between two checks while waiting (default 2)
#   PSQL, PG_ISREADY the client commands (default psql, pg_isready)
#   the password variables init.sql reads with \getenv (it names them and fails when one is unset)
#
# Any failure ends the script with a non-zero status and a message on stderr.
set -eu

say() { printf 'init-postgresql: %s\n' "$*"; }
die() {
  printf 'init-postgresql: ERROR: %s\n' "$*" >&2
  exit 1
}

[ -n "${INIT_SQL:-}" ] || die "INIT_SQL is not set"
[ -r "$INIT_SQL" ] || die "cannot read $INIT_SQL"
[ -n "${PGHOST:-}" ] || die "PGHOST is not set"
WAIT_SECONDS=${WAIT_SECONDS:-600}
POLL_SECONDS=${POLL_SECONDS:-2}
PSQL=${PSQL:-psql}
PG_ISREADY=${PG_ISREADY:-pg_isready}

deadline=$(($(date +%s) + WAIT_SECONDS))
until $PG_ISREADY --quiet --timeout=5; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    die "PostgreSQL at $PGHOST:${PGPORT:-5432} did not accept connections within ${WAIT_SECONDS}s"
  fi
  say "waiting for PostgreSQL at $PGHOST:${PGPORT:-5432}"
  sleep "$POLL_SECONDS"
done

status=0
$PSQL -v ON_ERROR_STOP=1 --no-psqlrc --quiet --file "$INIT_SQL" || status=$?
[ "$status" -eq 0 ] || die "$INIT_SQL failed (psql exit status $status); psql's message is above"
say "roles and databases are in place"
