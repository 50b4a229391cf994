#!/bin/sh
# init-mysql.sh: waits until MySQL accepts root, then creates the application database, the
# applications' user (every privilege on that database, nothing else) and the dashboards'
# read-only user (SELECT on it), and sets both passwords. Idempotent: safe to run on every start
# (CREATE ... IF NOT EXISTS, then ALTER USER and GRANT to the desired state).
#
# The MySQL container runs it as its postStart hook, as root over its own socket: root exists for
# localhost alone (MYSQL_ROOT_HOST), so nothing outside the pod can provision, or use, it. On the
# very first start the image's entrypoint runs a temporary server (root without its password yet)
# and stops it again; refusals until then are retried until WAIT_SECONDS.
#
# Environment:
#   MYSQL_ROOT_PASSWORD            root's password (the image's); MYSQL_ROOT_USER (default root)
#   MYSQL_SOCKET                   the server's socket, or MYSQL_HOST and MYSQL_PORT for TCP
#   DB_NAME                        the application database (a plain name: letters, digits, _)
#   APP_DB_USER, APP_DB_PASSWORD   the applications' user ({name}-db-secret)
#   READER_DB_USER, READER_DB_PASSWORD   the dashboards' read-only user ({name}-db-reader-secret)
#   WAIT_SECONDS                   how long to wait for the server (default 600)
#   POLL_SECONDS                   pause between two attempts (default 2)
#   MYSQL                          the client command (default mysql)
#   LOG_FILE                       where messages also go (the hook passes /proc/1/fd/2)
#
# Passwords never reach a command line: root's goes to a private option file, the users' into
# the SQL on the client's standard input. Any failure ends the script with a non-zero status.
set -eu

tee_log() {
  if [ -n "${LOG_FILE:-}" ]; then printf '%s\n' "$*" >>"$LOG_FILE" 2>/dev/null || true; fi
}
say() {
  printf 'init-mysql: %s\n' "$*"
  tee_log "init-mysql: $*"
}
die() {
  printf 'init-mysql: ERROR: %s\n' "$*" >&2
  tee_log "init-mysql: ERROR: $*"
  exit 1
}

for variable in MYSQL_ROOT_PASSWORD DB_NAME APP_DB_USER APP_DB_PASSWORD READER_DB_USER READER_DB_PASSWORD; do
  eval "value=\${$variable:-}"
  [ -n "$value" ] || die "$variable is not set"
done
case $DB_NAME in *[!A-Za-z0-9_]*) die "DB_NAME must be a plain name (letters, digits, _)" ;; esac
WAIT_SECONDS=${WAIT_SECONDS:-600}
POLL_SECONDS=${POLL_SECONDS:-2}
MYSQL=${MYSQL:-mysql}

# A SQL string literal: backslashes and single quotes doubled.
literal() {
  printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"
}
# An option file value: in double quotes, backslashes and double quotes escaped.
option_value() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077
{
  printf '[client]\n'
  printf 'user=%s\n' "$(option_value "${MYSQL_ROOT_USER:-root}")"
  printf 'password=%s\n' "$(option_value "$MYSQL_ROOT_PASSWORD")"
  if [ -n "${MYSQL_HOST:-}" ]; then
    printf 'protocol=tcp\nhost=%s\nport=%s\n' "$MYSQL_HOST" "${MYSQL_PORT:-3306}"
  else
    printf 'protocol=socket\nsocket=%s\n' "${MYSQL_SOCKET:-/var/run/mysqld/mysqld.sock}"
  fi
} >"$work/client.cnf"

app=$(literal "$APP_DB_USER")
reader=$(literal "$READER_DB_USER")
cat >"$work/init.sql" <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS $app@'%' IDENTIFIED BY $(literal "$APP_DB_PASSWORD");
ALTER USER $app@'%' IDENTIFIED BY $(literal "$APP_DB_PASSWORD");
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO $app@'%';
CREATE USER IF NOT EXISTS $reader@'%' IDENTIFIED BY $(literal "$READER_DB_PASSWORD");
ALTER USER $reader@'%' IDENTIFIED BY $(literal "$READER_DB_PASSWORD");
GRANT SELECT ON \`$DB_NAME\`.* TO $reader@'%';
SQL

deadline=$(($(date +%s) + WAIT_SECONDS))
attempt=0
while :; do
  attempt=$((attempt + 1))
  status=0
  output=$($MYSQL --defaults-extra-file="$work/client.cnf" --batch <"$work/init.sql" 2>&1) || status=$?
  if [ "$status" -eq 0 ]; then
    say "database $DB_NAME and its users are in place"
    exit 0
  fi
  # A statement the server refuses (a syntax or privilege error) will not go away; a refused
  # login or an unreachable server may (the first start's temporary server).
  case $output in
  *"ERROR 1064"* | *"ERROR 1044"* | *"ERROR 1227"* | *"ERROR 1396"*)
    printf '%s\n' "$output" >&2
    die "the provisioning SQL failed; the client's message is above"
    ;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    printf '%s\n' "$output" >&2
    die "MySQL did not accept root within ${WAIT_SECONDS}s (last answer above)"
  fi
  say "attempt $attempt: not yet ($output); retrying"
  sleep "$POLL_SECONDS"
done
