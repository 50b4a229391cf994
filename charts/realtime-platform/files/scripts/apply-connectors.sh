#!/bin/sh
# apply-connectors.sh: makes Kafka Connect run exactly the platform's connectors. Idempotent, so it
# runs on every install and upgrade (Job) and periodically (CronJob):
#   desired connector missing or configured differently -> PUT /connectors/<name>/config
#   desired connector configured as desired             -> nothing
#   connector or task in state FAILED                   -> POST /connectors/<name>/restart
#                                                          ?includeTasks=true&onlyFailed=true
#   connector of OWNED_CONNECTORS no longer desired     -> DELETE /connectors/<name>
# Connector configurations hold no credential: they name files through Connect's config provider.
#
# Environment:
#   CONNECT_URL       base URL of the Kafka Connect REST API (required)
#   CONNECTORS_DIR    directory with one <name>.json per desired connector (required; may be empty)
#   OWNED_CONNECTORS  space-separated names this platform manages (deleted when not desired)
#   WAIT_SECONDS      how long to wait for Connect to answer (default 600)
#   POLL_SECONDS      pause between two checks while waiting (default 5)
#   CURL, JQ          the commands (default curl, jq)
#   CONNECT_USERNAME, CONNECT_PASSWORD  HTTP basic login of the Connect REST API (the platform's
#                     Connect accepts only the provisioning principal)
#
# Any HTTP error ends the script with a non-zero status and Connect's answer on stderr.
set -eu

say() { printf 'apply-connectors: %s\n' "$*"; }
die() {
  printf 'apply-connectors: ERROR: %s\n' "$*" >&2
  exit 1
}

[ -n "${CONNECT_URL:-}" ] || die "CONNECT_URL is not set"
[ -n "${CONNECTORS_DIR:-}" ] || die "CONNECTORS_DIR is not set"
[ -d "$CONNECTORS_DIR" ] || die "$CONNECTORS_DIR is not a directory"
OWNED_CONNECTORS=${OWNED_CONNECTORS:-}
WAIT_SECONDS=${WAIT_SECONDS:-600}
POLL_SECONDS=${POLL_SECONDS:-5}
CURL=${CURL:-curl}
JQ=${JQ:-jq}
CONNECT_URL=${CONNECT_URL%/}

work=$(mktemp -d "${TMPDIR:-/tmp}/apply-connectors.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The REST login goes into a curl config file only this user can read, never onto a command line.
: >"$work/curl.conf"
if [ -n "${CONNECT_USERNAME:-}" ]; then
  (umask 077 && printf 'user = "%s:%s"\n' "$CONNECT_USERNAME" "${CONNECT_PASSWORD:-}" >"$work/curl.conf")
fi

# The HTTP API calls, the waits and their failures: http-api-client.sh, beside this script.
# shellcheck source-path=SCRIPTDIR source=http-api-client.sh
. "$(dirname "$0")/http-api-client.sh"
api_client "Kafka Connect" "$CONNECT_URL" "$work"
# request METHOD PATH [JSON_FILE]: one Connect REST call with the REST login; the body is in
# $work/body.
request() { api_request "$1" "$2" "${3:-}" --config "$work/curl.conf"; }

# 1. Wait until Connect answers (it starts after the broker and Schema Registry).
api_wait_until_ok /connectors
cp "$work/body" "$work/existing.json"

# 2. Desired connectors: create or update, then restart what failed.
desired=""
for file in "$CONNECTORS_DIR"/*.json; do
  [ -e "$file" ] || continue
  name=$(basename "$file" .json)
  desired="$desired $name"
  $JQ -e --arg name "$name" 'type == "object" and .name == $name' "$file" >/dev/null ||
    die "$file is not a JSON object whose \"name\" is \"$name\""
  request GET "/connectors/$name/config"
  case $HTTP_STATUS in
    200)
      if [ "$($JQ -S . "$work/body")" = "$($JQ -S . "$file")" ]; then
        say "connector $name: configuration unchanged"
      else
        request PUT "/connectors/$name/config" "$file"
        case $HTTP_STATUS in 200 | 201) ;; *) api_fail "updating connector $name" ;; esac
        say "connector $name: configuration updated"
      fi
      ;;
    404)
      request PUT "/connectors/$name/config" "$file"
      case $HTTP_STATUS in 200 | 201) ;; *) api_fail "creating connector $name" ;; esac
      say "connector $name: created"
      ;;
    *) api_fail "reading the configuration of connector $name" ;;
  esac
  request GET "/connectors/$name/status"
  case $HTTP_STATUS in
    200)
      if $JQ -e '.connector.state == "FAILED" or ([.tasks[]?.state] | index("FAILED") != null)' "$work/body" >/dev/null; then
        request POST "/connectors/$name/restart?includeTasks=true&onlyFailed=true"
        case $HTTP_STATUS in 200 | 202 | 204) ;; *) api_fail "restarting the failed tasks of connector $name" ;; esac
        say "connector $name: restarted its failed connector/tasks"
      fi
      ;;
    404) say "connector $name: no status yet (just created)" ;;
    *) api_fail "reading the status of connector $name" ;;
  esac
done

# 3. Connectors this platform owns but no longer wants (e.g. platform.iot turned off).
for name in $OWNED_CONNECTORS; do
  case " $desired " in *" $name "*) continue ;; esac
  if $JQ -e --arg name "$name" 'index($name) != null' "$work/existing.json" >/dev/null; then
    request DELETE "/connectors/$name"
    case $HTTP_STATUS in 200 | 204 | 404) ;; *) api_fail "deleting connector $name" ;; esac
    say "connector $name: deleted (no longer part of the platform)"
  fi
done
say "connectors match the platform:${desired:- none}"
