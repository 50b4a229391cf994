#!/bin/sh
# ensure-lenses-processors.sh: creates the platform's Lenses SQL processors through Lenses HQ.
# Idempotent: processors that already exist (by name) are left alone, missing ones are created.
#   1. wait until HQ answers, log in (POST /api/v1/login: session_id cookie)
#   2. wait until the environment's agent is connected (GET /api/v1/environments/<env>,
#      status.agent_connected): processors run in the agent
#   3. list the processors (GET .../proxy/api/v2/streams) and create each missing one
#      (POST .../proxy/api/v2/streams {"name", "sql", "description", "deployment": {"mode"}})
#
# Environment:
#   HQ_URL, HQ_USER, HQ_PASSWORD  Lenses HQ and an account that may manage processors (required)
#   HQ_ENV_NAME                   the environment the Lenses Agent serves (required)
#   SQL_DIR                       one <processor-name>.sql per processor (required)
#   DEPLOYMENT_MODE               processor deployment mode (default IN_PROC)
#   WAIT_SECONDS, POLL_SECONDS    waiting for HQ and the agent (default 900, 5)
#   CURL, JQ                      the commands (default curl, jq)
#
# Any HTTP error ends the script with a non-zero status and HQ's answer on stderr.
set -eu

say() { printf 'ensure-lenses-processors: %s\n' "$*"; }
die() {
  printf 'ensure-lenses-processors: ERROR: %s\n' "$*" >&2
  exit 1
}

for variable in HQ_URL HQ_USER HQ_PASSWORD HQ_ENV_NAME SQL_DIR; do
  eval "value=\${$variable:-}"
  [ -n "$value" ] || die "$variable is not set"
done
DEPLOYMENT_MODE=${DEPLOYMENT_MODE:-IN_PROC}
WAIT_SECONDS=${WAIT_SECONDS:-900}
POLL_SECONDS=${POLL_SECONDS:-5}
CURL=${CURL:-curl}
JQ=${JQ:-jq}
HQ_URL=${HQ_URL%/}

work=$(mktemp -d "${TMPDIR:-/tmp}/lenses-processors.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The HTTP API calls, the waits and their failures: http-api-client.sh, beside this script.
# shellcheck source-path=SCRIPTDIR source=http-api-client.sh
. "$(dirname "$0")/http-api-client.sh"
api_client "Lenses HQ" "$HQ_URL" "$work"
session=""
# request METHOD PATH [JSON_FILE]: one HQ API call, in the session once there is one; the body is
# in $work/body, the headers (the login's Set-Cookie) in $work/headers.
request() {
  : >"$work/headers"
  if [ -n "$session" ]; then
    api_request "$1" "$2" "${3:-}" --dump-header "$work/headers" --header "Cookie: session_id=$session"
  else
    api_request "$1" "$2" "${3:-}" --dump-header "$work/headers"
  fi
}
api_wait_start

# 1. HQ answers, then log in.
while :; do
  request GET /
  if [ "$HTTP_STATUS" != 000 ] && [ "$HTTP_STATUS" -lt 500 ]; then break; fi
  api_wait_or_fail "waiting ${WAIT_SECONDS}s for Lenses HQ" "waiting for Lenses HQ at $HQ_URL (last answer: HTTP $HTTP_STATUS)"
done
$JQ -n --arg u "$HQ_USER" --arg p "$HQ_PASSWORD" '{username: $u, password: $p}' >"$work/login.json"
request POST /api/v1/login "$work/login.json"
rm -f "$work/login.json"
case $HTTP_STATUS in 200 | 204) ;; *) api_fail "logging in to Lenses HQ as '$HQ_USER'" ;; esac
session=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Ss][Ee][Tt]-[Cc][Oo][Oo][Kk][Ii][Ee]:[[:space:]]*session_id=\([^;[:space:]]*\).*/\1/p' | tail -n 1)
[ -n "$session" ] || die "Lenses HQ accepted the login of '$HQ_USER' but set no session_id cookie"

# 2. The agent of the environment is connected.
while :; do
  request GET "/api/v1/environments/$HQ_ENV_NAME"
  case $HTTP_STATUS in
    200)
      [ "$($JQ -r '.status.agent_connected // false' "$work/body")" = true ] && break
      api_wait_or_fail "waiting ${WAIT_SECONDS}s for the agent of environment '$HQ_ENV_NAME' to connect" "waiting for the agent of environment '$HQ_ENV_NAME' to connect"
      ;;
    404) api_wait_or_fail "waiting ${WAIT_SECONDS}s for environment '$HQ_ENV_NAME' (created by the Lenses Agent's agent-key Job)" "waiting for environment '$HQ_ENV_NAME' to exist" ;;
    *) api_fail "reading environment '$HQ_ENV_NAME'" ;;
  esac
done

# 3. The processors.
streams="/api/v1/environments/$HQ_ENV_NAME/proxy/api/v2/streams"
request GET "$streams"
[ "$HTTP_STATUS" = 200 ] || api_fail "listing the SQL processors of environment '$HQ_ENV_NAME'"
$JQ '[(.streams // .processors // .data // .)[]? | .name]' "$work/body" >"$work/existing.json" ||
  die "unexpected answer listing the SQL processors: $(head -c 300 "$work/body")"
created=0
for file in "$SQL_DIR"/*.sql; do
  [ -e "$file" ] || continue
  name=$(basename "$file" .sql)
  if $JQ -e --arg name "$name" 'index($name) != null' "$work/existing.json" >/dev/null; then
    say "processor $name: exists"
    continue
  fi
  $JQ -n --arg name "$name" --rawfile sql "$file" --arg mode "$DEPLOYMENT_MODE" \
    '{name: $name, sql: $sql, description: "Created by the realtime-platform chart", tags: ["realtime-platform"], deployment: {mode: $mode}}' >"$work/processor.json"
  request POST "$streams" "$work/processor.json"
  case $HTTP_STATUS in 200 | 201) ;; *) api_fail "creating processor $name" ;; esac
  say "processor $name: created"
  created=$((created + 1))
done
say "SQL processors in place ($created created)"
