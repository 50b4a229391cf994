#!/bin/sh
# setup-grafana.sh: brings Grafana's viewer to the platform's state through its HTTP API, as the
# admin (basic auth). Idempotent:
#   viewer missing  -> POST /api/admin/users (login and e-mail VIEWER_USER)
#   viewer present  -> PUT /api/admin/users/<id>/password; enabled again, server-admin rights taken
#                      away if someone changed them
#   then            -> PATCH /api/org/users/<id> {role: Viewer} in the admin's organisation
# The viewer is the login applications get ({name}-metabase-secret); the admin stays here.
#
# Environment:
#   GF_URL                         base URL of Grafana (required)
#   ADMIN_USER, ADMIN_PASSWORD     the admin account (required)
#   VIEWER_USER, VIEWER_PASSWORD   the viewer account (required)
#   WAIT_SECONDS, POLL_SECONDS     waiting for Grafana (default 600, 5)
#   CURL, JQ                       the commands (default curl, jq)
#
# Any HTTP error ends the script with a non-zero status and Grafana's answer on stderr.
set -eu

say() { printf 'setup-grafana: %s\n' "$*"; }
die() {
  printf 'setup-grafana: ERROR: %s\n' "$*" >&2
  exit 1
}

for variable in GF_URL ADMIN_USER ADMIN_PASSWORD VIEWER_USER VIEWER_PASSWORD; do
  eval "value=\${$variable:-}"
  [ -n "$value" ] || die "$variable is not set"
done
[ "$VIEWER_USER" != "$ADMIN_USER" ] || die "the viewer and the admin are the same account ($ADMIN_USER)"
WAIT_SECONDS=${WAIT_SECONDS:-600}
POLL_SECONDS=${POLL_SECONDS:-5}
CURL=${CURL:-curl}
JQ=${JQ:-jq}
GF_URL=${GF_URL%/}

work=$(mktemp -d "${TMPDIR:-/tmp}/setup-grafana.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The admin's login goes to curl in a config file (mode 0600), never on a command line.
umask 077
escape() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
printf 'user = "%s:%s"\n' "$(escape "$ADMIN_USER")" "$(escape "$ADMIN_PASSWORD")" >"$work/auth.conf"

# The HTTP API calls, the waits and their failures: http-api-client.sh, beside this script.
# shellcheck source-path=SCRIPTDIR source=http-api-client.sh
. "$(dirname "$0")/http-api-client.sh"
api_client Grafana "$GF_URL" "$work"
# request METHOD PATH [JSON_FILE]: one Grafana API call as the admin; the body is in $work/body.
request() { api_request "$1" "$2" "${3:-}" --config "$work/auth.conf"; }

# 1. Wait until Grafana is healthy.
api_wait_until_ok /api/health

# 2. The viewer.
request GET "/api/users/lookup?loginOrEmail=$($JQ -rn --arg u "$VIEWER_USER" '$u | @uri')"
case $HTTP_STATUS in
  200)
    # Kept apart: every request below overwrites $work/body.
    cp "$work/body" "$work/viewer.json"
    id=$($JQ -r '.id' "$work/viewer.json")
    if [ "$($JQ -r '.isDisabled == true' "$work/viewer.json")" = true ]; then
      request POST "/api/admin/users/$id/enable"
      case $HTTP_STATUS in 200) ;; *) api_fail "enabling the viewer $VIEWER_USER" ;; esac
    fi
    if [ "$($JQ -r '.isGrafanaAdmin == true' "$work/viewer.json")" = true ]; then
      $JQ -n '{isGrafanaAdmin: false}' >"$work/permissions.json"
      request PUT "/api/admin/users/$id/permissions" "$work/permissions.json"
      case $HTTP_STATUS in 200) ;; *) api_fail "taking server-admin rights from the viewer $VIEWER_USER" ;; esac
      say "viewer $VIEWER_USER: server-admin rights removed"
    fi
    $JQ -n --arg p "$VIEWER_PASSWORD" '{password: $p}' >"$work/password.json"
    request PUT "/api/admin/users/$id/password" "$work/password.json"
    rm -f "$work/password.json"
    case $HTTP_STATUS in 200) ;; *) api_fail "setting the password of the viewer $VIEWER_USER" ;; esac
    say "viewer $VIEWER_USER: password set"
    ;;
  404)
    $JQ -n --arg u "$VIEWER_USER" --arg p "$VIEWER_PASSWORD" \
      '{name: "Dashboard viewer", login: $u, email: $u, password: $p}' >"$work/user.json"
    request POST /api/admin/users "$work/user.json"
    rm -f "$work/user.json"
    case $HTTP_STATUS in 200) ;; *) api_fail "adding the viewer $VIEWER_USER" ;; esac
    id=$($JQ -r '.id' "$work/body")
    say "viewer $VIEWER_USER: added"
    ;;
  401)
    die "the admin in the dashboard admin Secret ($ADMIN_USER) cannot log in to Grafana (HTTP 401). Someone changed the password in Grafana: put the working password into the Secret, or reset it with grafana cli admin reset-admin-password."
    ;;
  *) api_fail "looking up the viewer $VIEWER_USER" ;;
esac
{ [ -n "$id" ] && [ "$id" != null ]; } || die "Grafana answered without a user id: $(head -c 300 "$work/body")"

# 3. A Viewer of the organisation, nothing more.
$JQ -n '{role: "Viewer"}' >"$work/role.json"
request PATCH "/api/org/users/$id" "$work/role.json"
case $HTTP_STATUS in 200) ;; *) api_fail "making $VIEWER_USER a Viewer of the organisation" ;; esac
say "Grafana matches the platform"
