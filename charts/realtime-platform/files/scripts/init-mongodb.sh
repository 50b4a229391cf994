#!/bin/sh
# init-mongodb.sh: waits until MongoDB accepts its root user, then creates (or updates) the
# applications' user (readWrite and dbAdmin on the application database, authenticated against
# it: DB_URL's authSource) and the dashboards' read-only user (read on it). Idempotent: safe to run
# on every start (createUser when missing, else updateUser to the desired password and roles).
#
# The MongoDB container runs it as its postStart hook, over the pod's loopback. On the very first
# start the image's entrypoint runs a temporary mongod without the root user and stops it again;
# refusals until then are retried until WAIT_SECONDS.
#
# Environment:
#   MONGO_INITDB_ROOT_USERNAME, MONGO_INITDB_ROOT_PASSWORD   the root user (in admin)
#   MONGO_HOST, MONGO_PORT         where mongod listens (default 127.0.0.1:27017)
#   DB_NAME                        the application database
#   APP_DB_USER, APP_DB_PASSWORD   the applications' user ({name}-db-secret)
#   READER_DB_USER, READER_DB_PASSWORD   the dashboards' read-only user ({name}-db-reader-secret)
#   WAIT_SECONDS, POLL_SECONDS     how long to wait (default 600) and between attempts (default 2)
#   MONGOSH                        the shell command (default mongosh)
#   LOG_FILE                       where messages also go (the hook passes /proc/1/fd/2)
#
# Passwords never reach a command line: the script reads them from its environment.
set -eu

tee_log() {
  if [ -n "${LOG_FILE:-}" ]; then printf '%s\n' "$*" >>"$LOG_FILE" 2>/dev/null || true; fi
}
say() {
  printf 'init-mongodb: %s\n' "$*"
  tee_log "init-mongodb: $*"
}
die() {
  printf 'init-mongodb: ERROR: %s\n' "$*" >&2
  tee_log "init-mongodb: ERROR: $*"
  exit 1
}

for variable in MONGO_INITDB_ROOT_USERNAME MONGO_INITDB_ROOT_PASSWORD DB_NAME APP_DB_USER APP_DB_PASSWORD READER_DB_USER READER_DB_PASSWORD; do
  eval "value=\${$variable:-}"
  [ -n "$value" ] || die "$variable is not set"
done
WAIT_SECONDS=${WAIT_SECONDS:-600}
POLL_SECONDS=${POLL_SECONDS:-2}
MONGOSH=${MONGOSH:-mongosh}

# mongosh's JavaScript: everything it needs comes from process.env.
script='
const env = process.env;
const uri = "mongodb://" + encodeURIComponent(env.MONGO_INITDB_ROOT_USERNAME) + ":" +
  encodeURIComponent(env.MONGO_INITDB_ROOT_PASSWORD) + "@" + (env.MONGO_HOST || "127.0.0.1") + ":" +
  (env.MONGO_PORT || "27017") + "/admin";
const target = new Mongo(uri).getDB(env.DB_NAME);
const ensure = (user, pwd, roles) => {
  if (target.getUser(user) === null) target.createUser({ user, pwd, roles });
  else target.updateUser(user, { pwd, roles });
};
ensure(env.APP_DB_USER, env.APP_DB_PASSWORD, [
  { role: "readWrite", db: env.DB_NAME },
  { role: "dbAdmin", db: env.DB_NAME },
]);
ensure(env.READER_DB_USER, env.READER_DB_PASSWORD, [{ role: "read", db: env.DB_NAME }]);
'

deadline=$(($(date +%s) + WAIT_SECONDS))
attempt=0
while :; do
  attempt=$((attempt + 1))
  status=0
  output=$($MONGOSH --quiet --norc --nodb --eval "$script" 2>&1) || status=$?
  if [ "$status" -eq 0 ]; then
    say "the users of $DB_NAME are in place"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    printf '%s\n' "$output" >&2
    die "MongoDB did not accept the root user within ${WAIT_SECONDS}s (last answer above)"
  fi
  say "attempt $attempt: not yet ($output); retrying"
  sleep "$POLL_SECONDS"
done
