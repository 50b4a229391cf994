#!/bin/sh
# init-postgresql.sh: waits until PostgreSQL accepts connections, then runs the platform's init.sql
# (roles and databases, idempotent: safe to run on every start).
#
# The PostgreSQL container runs it as its postStart hook, as the superuser over its own local
# socket: the superuser cannot log in over the network (pg_hba.conf), so nothing outside the pod
# can provision, or use, it. On the very first start the image's entrypoint runs a temporary
# server and stops it again; a run cut short by that is retried until WAIT_SECONDS.
#
# Environment:
#   PGHOST, PGPORT, PGUSER, PGDATABASE  where to connect (libpq; the hook sets the socket and the
#                    superuser); PGPASSWORD, else POSTGRES_PASSWORD (the image's)
#   INIT_SQL         the psql script to run (required)
#   WAIT_SECONDS     how long to wait for the server (default 600)
#   POLL_SECONDS     pause between two attempts (default 2)
#   PSQL, PG_ISREADY the client commands (default psql, pg_isready)
#   LOG_FILE         where messages also go (the hook passes /proc/1/fd/2: the container's log,
#                    since a hook's own output is only shown when it fails)
#   the password variables init.sql reads with \getenv (it names them and fails when one is unset)
#
# Any failure ends the script with a non-zero status and a message on stderr.
set -eu

# Progress to stdout, errors to stderr, both also to LOG_FILE when set.
tee_log() {
  if [ -n "${LOG_FILE:-}" ]; then printf '%s\n' "$*" >>"$LOG_FILE" 2>/dev/null || true; fi
}
say() {
  printf 'init-postgresql: %s\n' "$*"
  tee_log "init-postgresql: $*"
}
log() {
  printf '%s\n' "$*" >&2
  tee_log "$*"
}
die() {
  log "init-postgresql: ERROR: $*"
  exit 1
}

[ -n "${INIT_SQL:-}" ] || die "INIT_SQL is not set"
[ -r "$INIT_SQL" ] || die "cannot read $INIT_SQL"
[ -n "${PGHOST:-}" ] || die "PGHOST is not set"
export PGPASSWORD="${PGPASSWORD:-${POSTGRES_PASSWORD:-}}"
WAIT_SECONDS=${WAIT_SECONDS:-600}
POLL_SECONDS=${POLL_SECONDS:-2}
PSQL=${PSQL:-psql}
PG_ISREADY=${PG_ISREADY:-pg_isready}

deadline=$(($(date +%s) + WAIT_SECONDS))
attempt=0
while :; do
  attempt=$((attempt + 1))
  if $PG_ISREADY --quiet --timeout=5; then
    status=0
    output=$($PSQL -v ON_ERROR_STOP=1 --no-psqlrc --quiet --file "$INIT_SQL" 2>&1) || status=$?
    if [ "$status" -eq 0 ]; then
      say "roles and databases are in place"
      exit 0
    fi
    # An error of init.sql itself (a missing password, a refused statement) or a refused login
    # will not go away.
    case $output in
    *"init.sql: "* | *"ERROR: "* | *"authentication failed"* | *"pg_hba.conf rejects"*)
      log "$output"
      die "$INIT_SQL failed (psql exit status $status); psql's message is above"
      ;;
    esac
    say "attempt $attempt: the server went away ($output); retrying"
  else
    say "waiting for PostgreSQL at $PGHOST:${PGPORT:-5432}"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    die "PostgreSQL at $PGHOST:${PGPORT:-5432} did not accept connections within ${WAIT_SECONDS}s"
  fi
  sleep "$POLL_SECONDS"
done
