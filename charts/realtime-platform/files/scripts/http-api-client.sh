#!/bin/sh
# http-api-client.sh: the HTTP API client the provisioning Jobs' scripts share (setup-grafana.sh,
# setup-metabase.sh, ensure-lenses-processors.sh, apply-connectors.sh). Sourced, never run: it only
# defines functions. It ships beside them in the scripts ConfigMap (/scripts), and a script sources
# it from its own folder.
#
#   api_client NAME BASE_URL WORK_DIR
#       what the calls talk to: the server's name in messages ("Grafana"), its base URL (no
#       trailing slash) and the script's private temporary folder, where each answer's body
#       (WORK_DIR/body) and curl's error go. Call it once, before the others.
#   api_request METHOD PATH [JSON_FILE [CURL_OPTION...]]
#       one call: HTTP_STATUS is the answer's status (000: the server could not be reached), the
#       body is in WORK_DIR/body. The JSON body goes through a file and the login through the
#       caller's options (a --config file, a session header), so no password is on a command line.
#   api_fail WHAT
#       ends the script (the caller's die) with the last answer: the server's status and body, or
#       why it could not be reached.
#   api_wait_start
#       starts the clock of the waits: WAIT_SECONDS from now.
#   api_wait_or_fail WHAT MESSAGE
#       one turn of a wait: api_fail WHAT when the time is up, else say MESSAGE and sleep
#       POLL_SECONDS.
#   api_wait_until_ok PATH
#       starts the clock and calls `request GET PATH` until the server answers 200.
#
# The caller defines say, die and request (its api_request with its login), and sets CURL,
# WAIT_SECONDS and POLL_SECONDS.

api_client() {
  api_name=$1
  api_url=$2
  api_work=$3
  HTTP_STATUS=000
}

api_request() {
  api_method=$1
  api_path=$2
  api_json=${3:-}
  if [ $# -ge 3 ]; then shift 3; else shift $#; fi
  set -- "$@" --silent --show-error --max-time 60 --output "$api_work/body" --write-out '%{http_code}' \
    --request "$api_method" --header 'Accept: application/json'
  if [ -n "$api_json" ]; then set -- "$@" --header 'Content-Type: application/json' --data-binary "@$api_json"; fi
  : >"$api_work/body"
  HTTP_STATUS=$($CURL "$@" "$api_url$api_path" 2>"$api_work/curl-error") || HTTP_STATUS=000
}

api_fail() {
  if [ "$HTTP_STATUS" = 000 ]; then
    die "$1 failed: $api_name at $api_url could not be reached: $(tr '\n' ' ' <"$api_work/curl-error")"
  fi
  die "$1 failed: $api_name answered HTTP $HTTP_STATUS: $(head -c 1000 "$api_work/body" | tr '\n' ' ')"
}

api_wait_start() {
  api_deadline=$(($(date +%s) + WAIT_SECONDS))
}

api_wait_or_fail() {
  if [ "$(date +%s)" -ge "$api_deadline" ]; then api_fail "$1"; fi
  say "$2"
  sleep "$POLL_SECONDS"
}

api_wait_until_ok() {
  api_wait_start
  while :; do
    request GET "$1"
    if [ "$HTTP_STATUS" = 200 ]; then return 0; fi
    api_wait_or_fail "waiting ${WAIT_SECONDS}s for $api_name" "waiting for $api_name at $api_url (last answer: HTTP $HTTP_STATUS)"
  done
}
