#!/bin/sh
# ensure-agent-key.sh: makes sure the Lenses Agent has an agent key from Lenses HQ.
#
# Lenses HQ shows an environment's agent key once, in its answer to the request that creates the
# environment (POST /api/v1/environments -> agent_key). This script keeps that key in a Kubernetes
# Secret which the agent reads as LENSESHQ_AGENT_KEY, and is safe to run any number of times:
#
#   environment in HQ | key in the Secret | what happens
#   ------------------+-------------------+------------------------------------------------------
#   no                | no                | create the environment, store its key
#   yes               | yes               | nothing: the stored key is reused
#   yes               | no                | fail: the key cannot be fetched again (see the message)
#   no                | yes               | HQ lost the environment: create it, replace the key
#
# Every HTTP or kubectl failure ends the script with a non-zero status and a message on stderr.
#
# Environment:
#   HQ_URL               base URL of HQ's HTTP API, e.g. http://lenses-hq:9991 (required)
#   HQ_USER, HQ_PASSWORD HQ credentials allowed to create environments (required)
#   HQ_ENV_NAME          environment name: lowercase letters, digits, hyphens, at most 63 (required)
#   HQ_ENV_DISPLAY_NAME  display name of the environment (optional)
#   HQ_ENV_TIER          development | staging | production (default development)
#   KEY_SECRET_NAME      Secret that receives the key; the chart renders it empty (required)
#   KEY_SECRET_KEY       key inside that Secret (default agentKey)
#   NAMESPACE            namespace of that Secret (required)
#   HQ_WAIT_SECONDS      how long to wait for HQ to answer at all (default 600)
#   HQ_POLL_SECONDS      pause between two attempts while waiting (default 5)
#   KUBECTL              kubectl command (default kubectl); tests put a recording stub here
#   CURL                 curl command (default curl)
#
# HQ API (https://docs.lenses.io, HQ API reference): POST /api/v1/login {"username","password"}
# answers 204 (6.1) or 200 with JSON (6.2+) and sets the session_id cookie;
# GET /api/v1/environments/{name} answers 200 or 404; POST /api/v1/environments
# {"name","display_name","tier"} answers with the environment, including agent_key.
set -eu

say() { printf 'ensure-agent-key: %s\n' "$*"; }
die() {
  printf 'ensure-agent-key: ERROR: %s\n' "$*" >&2
  exit 1
}
need() {
  eval "value=\${$1:-}"
  [ -n "$value" ] || die "$1 is not set"
}

for variable in HQ_URL HQ_USER HQ_PASSWORD HQ_ENV_NAME KEY_SECRET_NAME NAMESPACE; do
  need "$variable"
done
KEY_SECRET_KEY=${KEY_SECRET_KEY:-agentKey}
HQ_ENV_TIER=${HQ_ENV_TIER:-development}
HQ_WAIT_SECONDS=${HQ_WAIT_SECONDS:-600}
HQ_POLL_SECONDS=${HQ_POLL_SECONDS:-5}
KUBECTL=${KUBECTL:-kubectl}
CURL=${CURL:-curl}
HQ_URL=${HQ_URL%/}

case $HQ_ENV_NAME in
  *[!a-z0-9-]* | -* | *-) die "HQ_ENV_NAME '$HQ_ENV_NAME' must be lowercase letters, digits and hyphens" ;;
esac
[ "${#HQ_ENV_NAME}" -le 63 ] || die "HQ_ENV_NAME '$HQ_ENV_NAME' is longer than 63 characters"
case $HQ_ENV_TIER in
  development | staging | production) ;;
  *) die "HQ_ENV_TIER '$HQ_ENV_TIER' must be development, staging or production" ;;
esac
case $KEY_SECRET_KEY in
  *[!A-Za-z0-9_-]*) die "KEY_SECRET_KEY '$KEY_SECRET_KEY' must be letters, digits, '_' or '-'" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/agent-key.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

session=""
HTTP_STATUS=000

# request METHOD PATH [JSON_FILE]: one HQ API call. Sets HTTP_STATUS (000 when HQ could not be
# reached); the body is in $work/body, the headers in $work/headers. The body is sent from a file,
# so the password never appears on a command line.
request() {
  method=$1
  path=$2
  data=${3:-}
  set -- --silent --show-error --max-time 30 --output "$work/body" --dump-header "$work/headers" \
    --write-out '%{http_code}' --request "$method" --header 'Accept: application/json'
  if [ -n "$session" ]; then
    set -- "$@" --header "Cookie: session_id=$session"
  fi
  if [ -n "$data" ]; then
    set -- "$@" --header 'Content-Type: application/json' --data-binary "@$data"
  fi
  : >"$work/body"
  : >"$work/headers"
  # $CURL is split on purpose, so CURL="curl --cacert ..." works.
  # shellcheck disable=SC2086
  if ! HTTP_STATUS=$($CURL "$@" "$HQ_URL$path" 2>"$work/curl-error"); then
    HTTP_STATUS=000
  fi
}

# fail_http WHAT: ends the script with HQ's answer (or curl's error) to WHAT.
fail_http() {
  if [ "$HTTP_STATUS" = 000 ]; then
    die "$1 failed: HQ at $HQ_URL could not be reached: $(tr '\n' ' ' <"$work/curl-error")"
  fi
  die "$1 failed: HQ answered HTTP $HTTP_STATUS: $(head -c 500 "$work/body" | tr '\n' ' ')"
}

# json_string VALUE: VALUE escaped for use inside a JSON string.
json_string() {
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\n\r'
}

# The manual fix for an environment whose key is lost, printed whenever that case is found.
lost_key_help() {
  cat <<EOF
Environment '$HQ_ENV_NAME' already exists in HQ, but Secret $NAMESPACE/$KEY_SECRET_NAME holds no
'$KEY_SECRET_KEY', and HQ shows an agent key only once, when it creates the environment. Either:
  - put the key you kept into the Secret:
      kubectl patch secret $KEY_SECRET_NAME --namespace $NAMESPACE --type merge \\
        --patch '{"stringData":{"$KEY_SECRET_KEY":"agent_key_..."}}'
  - or delete environment '$HQ_ENV_NAME' in HQ (UI: Environments) and run the Job again, e.g. with
      helm upgrade <release> ... (a new revision starts a new Job).
EOF
}

# 1. What the Secret holds. The chart renders the Secret, so a failure here means RBAC or a
#    deleted Secret, not "no key yet".
if ! stored=$($KUBECTL get secret "$KEY_SECRET_NAME" --namespace "$NAMESPACE" \
  --output "jsonpath={.data.$KEY_SECRET_KEY}"); then
  die "cannot read Secret $NAMESPACE/$KEY_SECRET_NAME (see kubectl's message above). The chart renders it; 'helm upgrade' recreates it."
fi

# 2. Wait until HQ answers at all (it may still be starting, e.g. in the same install).
deadline=$(($(date +%s) + HQ_WAIT_SECONDS))
while :; do
  request GET /
  if [ "$HTTP_STATUS" != 000 ] && [ "$HTTP_STATUS" -lt 500 ]; then
    break
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    fail_http "waiting ${HQ_WAIT_SECONDS}s for HQ"
  fi
  say "waiting for HQ at $HQ_URL (last answer: HTTP $HTTP_STATUS)"
  sleep "$HQ_POLL_SECONDS"
done

# 3. Log in; HQ answers with a session_id cookie. It is sent back as a header rather than through
#    a cookie jar, which would withhold a Secure cookie from a plain-HTTP URL.
printf '{"username":"%s","password":"%s"}' "$(json_string "$HQ_USER")" "$(json_string "$HQ_PASSWORD")" >"$work/login.json"
request POST /api/v1/login "$work/login.json"
rm -f "$work/login.json"
case $HTTP_STATUS in
  200 | 204) ;;
  *) fail_http "logging in to HQ as '$HQ_USER'" ;;
esac
session=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Ss][Ee][Tt]-[Cc][Oo][Oo][Kk][Ii][Ee]:[[:space:]]*session_id=\([^;[:space:]]*\).*/\1/p' | tail -n 1)
[ -n "$session" ] || die "HQ accepted the login of '$HQ_USER' (HTTP $HTTP_STATUS) but set no session_id cookie"

# 4. Does HQ know the environment?
request GET "/api/v1/environments/$HQ_ENV_NAME"
case $HTTP_STATUS in
  200)
    if [ -n "$stored" ]; then
      say "environment '$HQ_ENV_NAME' exists in HQ and Secret $NAMESPACE/$KEY_SECRET_NAME holds its key: nothing to do"
      exit 0
    fi
    lost_key_help >&2
    die "environment '$HQ_ENV_NAME' exists but its agent key is not in Secret $NAMESPACE/$KEY_SECRET_NAME"
    ;;
  404)
    if [ -n "$stored" ]; then
      say "HQ has no environment '$HQ_ENV_NAME' although Secret $NAMESPACE/$KEY_SECRET_NAME holds a key: creating it again and replacing the key"
    fi
    ;;
  *) fail_http "looking up environment '$HQ_ENV_NAME'" ;;
esac

# 5. Create the environment; the answer carries its agent key.
if [ -n "${HQ_ENV_DISPLAY_NAME:-}" ]; then
  printf '{"name":"%s","display_name":"%s","tier":"%s"}' "$HQ_ENV_NAME" "$(json_string "$HQ_ENV_DISPLAY_NAME")" "$HQ_ENV_TIER" >"$work/environment.json"
else
  printf '{"name":"%s","tier":"%s"}' "$HQ_ENV_NAME" "$HQ_ENV_TIER" >"$work/environment.json"
fi
request POST /api/v1/environments "$work/environment.json"
case $HTTP_STATUS in
  200 | 201) ;;
  409)
    lost_key_help >&2
    die "HQ says environment '$HQ_ENV_NAME' already exists (created while this Job ran?)"
    ;;
  *) fail_http "creating environment '$HQ_ENV_NAME'" ;;
esac
key=$(tr -d '\n\r' <"$work/body" | sed -n 's/.*"agent_key"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
[ -n "$key" ] || die "HQ created environment '$HQ_ENV_NAME' but its answer holds no agent_key: $(head -c 300 "$work/body" | tr '\n' ' ')"
case $key in
  *[!A-Za-z0-9_.-]*) die "HQ returned an agent key with unexpected characters for environment '$HQ_ENV_NAME'" ;;
esac

# 6. Store the key. The patch goes through a file, so the key never appears on a command line.
printf '{"stringData":{"%s":"%s"}}' "$KEY_SECRET_KEY" "$key" >"$work/patch.json"
if ! $KUBECTL patch secret "$KEY_SECRET_NAME" --namespace "$NAMESPACE" --type merge \
  --patch-file "$work/patch.json" >/dev/null; then
  die "created environment '$HQ_ENV_NAME' but could not store its key in Secret $NAMESPACE/$KEY_SECRET_NAME (see kubectl's message above); the key is lost, so delete the environment in HQ before running the Job again"
fi
rm -f "$work/patch.json"
say "created environment '$HQ_ENV_NAME' (tier $HQ_ENV_TIER) and stored its agent key in Secret $NAMESPACE/$KEY_SECRET_NAME"
if [ -n "$stored" ]; then
  say "the agent still runs with the old key: kubectl rollout restart deployment --namespace $NAMESPACE --selector app.kubernetes.io/component=agent"
fi
