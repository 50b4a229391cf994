#!/bin/sh
# init-mongodb.sh: waits until MongoDB accepts its root user, then creates (or updates) the
# applications' user (readWrite and dbAdmin on the application database, authenticated against
# it: DB_URL's authSource) and the dashboards' read-only user (read on it). Idempotent: safe to run
# on every start (createUser when missing, else updateUser to the desired password and roles).
#
# The MongoDB container runs it as its postStart hook, over the pod's loopback. On the very first
# start the image's entrypoint runs a temporary mongod without the root user and stops it again;
# refusals until then (no server, or the root user not there yet) are retried until WAIT_SECONDS.
# Any other refusal (a command the server rejects) will not go away by waiting: it fails at once.
#
# A server that implements no roles (FerretDB 1.x, the MongoDB-protocol server of this project's
# tests, accepts only `roles: []`) authorises every authenticated user on every database, so the
# read-only user would not be read-only: refused, unless ACCEPT_SERVER_WITHOUT_ROLES=true, which
# creates both users without roles and says so. The chart never sets it (mongod has roles).
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
#   ACCEPT_SERVER_WITHOUT_ROLES    true: see above (default: refuse such a server)
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
// The answers that go away by waiting: no server yet, the image has not created the root user
// yet (AuthenticationFailed), or a server shutting down (ShutdownInProgress,
// InterruptedAtShutdown). Exit 2 retries, exit 3 is final.
const retriable = (error) =>
  /^MongoNetworkError|^MongoServerSelectionError|^MongoNetworkTimeoutError/.test(error.name) ||
  [18, 91, 11600].includes(error.code);
const rolesNotImplemented = (error) => error.code === 238 && /roles/.test(error.message);
const answer = (error) => error.name + (error.code === undefined ? "" : "[" + error.code + "]") + ": " + error.message;
let rolelessServer = false;
try {
  const uri = "mongodb://" + encodeURIComponent(env.MONGO_INITDB_ROOT_USERNAME) + ":" +
    encodeURIComponent(env.MONGO_INITDB_ROOT_PASSWORD) + "@" + (env.MONGO_HOST || "127.0.0.1") + ":" +
    (env.MONGO_PORT || "27017") + "/admin";
  const target = new Mongo(uri).getDB(env.DB_NAME);
  const ensure = (user, pwd, roles) => {
    const put = (withRoles) => {
      if (target.getUser(user) === null) target.createUser({ user, pwd, roles: withRoles });
      else target.updateUser(user, { pwd, roles: withRoles });
    };
    if (rolelessServer) return put([]);
    try {
      put(roles);
    } catch (error) {
      if (!rolesNotImplemented(error) || env.ACCEPT_SERVER_WITHOUT_ROLES !== "true") throw error;
      rolelessServer = true;
      put([]);
    }
  };
  ensure(env.APP_DB_USER, env.APP_DB_PASSWORD, [
    { role: "readWrite", db: env.DB_NAME },
    { role: "dbAdmin", db: env.DB_NAME },
  ]);
  ensure(env.READER_DB_USER, env.READER_DB_PASSWORD, [{ role: "read", db: env.DB_NAME }]);
} catch (error) {
  print(answer(error));
  quit(retriable(error) ? 2 : 3);
}
if (rolelessServer) print("init-mongodb: the server has no roles");
'

deadline=$(($(date +%s) + WAIT_SECONDS))
attempt=0
while :; do
  attempt=$((attempt + 1))
  status=0
  output=$($MONGOSH --quiet --norc --nodb --eval "$script" 2>&1) || status=$?
  if [ "$status" -eq 0 ]; then
    case $output in
    *"the server has no roles"*) say "WARNING: the server implements no roles (ACCEPT_SERVER_WITHOUT_ROLES): every authenticated user, the read-only one too, may read and write every database" ;;
    esac
    say "the users of $DB_NAME are in place"
    exit 0
  fi
  if [ "$status" -eq 3 ]; then
    case $output in
    *"[238]"*roles*) hint=" (a server without roles, such as FerretDB 1.x: see ACCEPT_SERVER_WITHOUT_ROLES)" ;;
    *) hint="" ;;
    esac
    printf '%s\n' "$output" >&2
    die "MongoDB refused the provisioning$hint; waiting will not change that (its answer is above)"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    printf '%s\n' "$output" >&2
    die "MongoDB did not accept the root user within ${WAIT_SECONDS}s (last answer above)"
  fi
  say "attempt $attempt: not yet ($output); retrying"
  sleep "$POLL_SECONDS"
done
