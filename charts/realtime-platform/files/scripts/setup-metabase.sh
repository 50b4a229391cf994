#!/bin/sh
# setup-metabase.sh: brings Metabase to the platform's state through its API. Idempotent:
#   Metabase not set up yet -> POST /api/setup with the setup token: creates the admin
#   Metabase set up         -> POST /api/session as that admin (a wrong password is a failure)
#   data source missing     -> POST /api/database
#   data source present     -> PUT /api/database/<id> with the current connection details
#   viewer missing          -> POST /api/user (no admin: only the "All Users" group)
#   viewer present          -> its password set, reactivated and stripped of admin rights if needed
#   dashboards              -> each DASHBOARDS_DIR/*.json (name, description, cards with native SQL
#                              on the application database): cards and dashboard created, or updated
#                              in place by name, so a rerun changes nothing and duplicates nothing
# Data sources: the application database (as the read-only role), and Snowflake when SNOWFLAKE_DIR
# is set. The viewer is the login applications get ({name}-metabase-secret); the admin stays here.
#
# Environment:
#   MB_URL                         base URL of Metabase (required)
#   ADMIN_EMAIL, ADMIN_PASSWORD    the admin account (required)
#   VIEWER_EMAIL, VIEWER_PASSWORD  the viewer account, no admin rights (required)
#   SITE_NAME                      site name (default "Realtime platform")
#   APP_DB_TYPE                    the application database's engine: postgres, mysql or mongodb
#   APP_DB_HOST, APP_DB_PORT, APP_DB_NAME, APP_DB_USER, APP_DB_PASSWORD   the application database
#                                  (its read-only role)
#   APP_DB_DISPLAY_NAME            its name in Metabase (default "<APP_DB_NAME> (<engine>)")
#   SNOWFLAKE_DIR                  the mounted Snowflake credentials Secret (optional)
#   SNOWFLAKE_KEY_PATH             where Metabase's pod sees SNOWFLAKE_PRIVATE_KEY (with SNOWFLAKE_DIR)
#   DASHBOARDS_DIR                 where the dashboard definitions are (optional; none when unset)
#   WAIT_SECONDS, POLL_SECONDS     waiting for Metabase (default 900, 5)
#   CURL, JQ                       the commands (default curl, jq)
#
# Any HTTP error ends the script with a non-zero status and Metabase's answer on stderr.
set -eu

say() { printf 'setup-metabase: %s\n' "$*"; }
die() {
  printf 'setup-metabase: ERROR: %s\n' "$*" >&2
  exit 1
}

for variable in MB_URL ADMIN_EMAIL ADMIN_PASSWORD VIEWER_EMAIL VIEWER_PASSWORD APP_DB_TYPE APP_DB_HOST APP_DB_PORT APP_DB_NAME APP_DB_USER APP_DB_PASSWORD; do
  eval "value=\${$variable:-}"
  [ -n "$value" ] || die "$variable is not set"
done
SITE_NAME=${SITE_NAME:-Realtime platform}
# Metabase's driver and the name it is shown with, per engine.
case $APP_DB_TYPE in
postgres) app_engine=postgres app_engine_name=PostgreSQL ;;
mysql) app_engine=mysql app_engine_name=MySQL ;;
mongodb) app_engine=mongo app_engine_name=MongoDB ;;
*) die "APP_DB_TYPE must be postgres, mysql or mongodb, got '$APP_DB_TYPE'" ;;
esac
APP_DB_DISPLAY_NAME=${APP_DB_DISPLAY_NAME:-"$APP_DB_NAME ($app_engine_name)"}
WAIT_SECONDS=${WAIT_SECONDS:-900}
POLL_SECONDS=${POLL_SECONDS:-5}
CURL=${CURL:-curl}
JQ=${JQ:-jq}
MB_URL=${MB_URL%/}

work=$(mktemp -d "${TMPDIR:-/tmp}/setup-metabase.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The HTTP API calls, the waits and their failures: http-api-client.sh, beside this script.
# shellcheck source-path=SCRIPTDIR source=http-api-client.sh
. "$(dirname "$0")/http-api-client.sh"
api_client Metabase "$MB_URL" "$work"
session=""
# request METHOD PATH [JSON_FILE]: one Metabase API call, in the session once there is one; the
# body is in $work/body.
request() {
  if [ -n "$session" ]; then
    api_request "$1" "$2" "${3:-}" --header "X-Metabase-Session: $session"
  else
    api_request "$1" "$2" "${3:-}"
  fi
}

# 1. Wait until Metabase is healthy (its first start migrates the application database).
api_wait_until_ok /api/health

# 2. The admin: create it with the setup token, or log in as it.
request GET /api/session/properties
[ "$HTTP_STATUS" = 200 ] || api_fail "reading /api/session/properties"
if [ "$($JQ -r '.["has-user-setup"] // .has_user_setup // false' "$work/body")" = true ]; then
  $JQ -n --arg u "$ADMIN_EMAIL" --arg p "$ADMIN_PASSWORD" '{username: $u, password: $p}' >"$work/login.json"
  request POST /api/session "$work/login.json"
  rm -f "$work/login.json"
  case $HTTP_STATUS in
    200) ;;
    400 | 401)
      die "Metabase is already set up, but the admin in the dashboard Secret ($ADMIN_EMAIL) cannot log in (HTTP $HTTP_STATUS). Someone changed the password in Metabase, or the Secret was recreated: put the working password into the Secret, or reset the admin's password in Metabase."
      ;;
    *) api_fail "logging in as $ADMIN_EMAIL" ;;
  esac
  say "Metabase is set up; logged in as $ADMIN_EMAIL"
else
  token=$($JQ -r '.["setup-token"] // .setup_token // empty' "$work/body")
  [ -n "$token" ] || die "Metabase is not set up but /api/session/properties holds no setup token"
  $JQ -n --arg t "$token" --arg u "$ADMIN_EMAIL" --arg p "$ADMIN_PASSWORD" --arg s "$SITE_NAME" \
    '{token: $t, user: {email: $u, password: $p, first_name: "Platform", last_name: "Admin", site_name: $s}, prefs: {site_name: $s, site_locale: "en", allow_tracking: false}}' >"$work/setup.json"
  request POST /api/setup "$work/setup.json"
  rm -f "$work/setup.json"
  case $HTTP_STATUS in 200) ;; *) api_fail "setting Metabase up (POST /api/setup)" ;; esac
  say "Metabase set up with admin $ADMIN_EMAIL"
fi
session=$($JQ -r '.id // empty' "$work/body")
[ -n "$session" ] || die "Metabase answered without a session id: $(head -c 300 "$work/body")"

# 3. Data sources.
request GET /api/database
[ "$HTTP_STATUS" = 200 ] || api_fail "listing databases"
$JQ '(.data // .)' "$work/body" >"$work/databases.json"

# ensure_database NAME ENGINE DETAILS_FILE
ensure_database() {
  id=$($JQ -r --arg name "$1" '[.[] | select(.name == $name)][0].id // empty' "$work/databases.json")
  if [ -n "$id" ]; then
    $JQ -n --arg name "$1" --arg engine "$2" --slurpfile details "$3" '{name: $name, engine: $engine, details: $details[0]}' >"$work/database.json"
    request PUT "/api/database/$id" "$work/database.json"
    case $HTTP_STATUS in 200) ;; *) api_fail "updating data source '$1'" ;; esac
    database_id=$id
    say "data source '$1': connection details updated"
  else
    $JQ -n --arg name "$1" --arg engine "$2" --slurpfile details "$3" '{name: $name, engine: $engine, details: $details[0], is_full_sync: true}' >"$work/database.json"
    request POST /api/database "$work/database.json"
    case $HTTP_STATUS in 200) ;; *) api_fail "adding data source '$1'" ;; esac
    database_id=$($JQ -r '.id // empty' "$work/body")
    [ -n "$database_id" ] || die "Metabase added data source '$1' without an id: $(head -c 300 "$work/body")"
    say "data source '$1': added"
  fi
  rm -f "$work/database.json"
}

# The connection details of Metabase's drivers: MongoDB's names the password "pass" and
# authenticates against the application database (DB_URL's authSource).
if [ "$app_engine" = mongo ]; then
  $JQ -n --arg host "$APP_DB_HOST" --arg port "$APP_DB_PORT" --arg db "$APP_DB_NAME" --arg user "$APP_DB_USER" --arg password "$APP_DB_PASSWORD" \
    '{host: $host, port: ($port | tonumber), dbname: $db, user: $user, pass: $password, authdb: $db, ssl: false}' >"$work/app.json"
else
  $JQ -n --arg host "$APP_DB_HOST" --arg port "$APP_DB_PORT" --arg db "$APP_DB_NAME" --arg user "$APP_DB_USER" --arg password "$APP_DB_PASSWORD" \
    '{host: $host, port: ($port | tonumber), dbname: $db, user: $user, password: $password, ssl: false}' >"$work/app.json"
fi
ensure_database "$APP_DB_DISPLAY_NAME" "$app_engine" "$work/app.json"
app_database_id=$database_id

if [ -n "${SNOWFLAKE_DIR:-}" ]; then
  for key in SNOWFLAKE_URL SNOWFLAKE_USER SNOWFLAKE_PRIVATE_KEY; do
    [ -s "$SNOWFLAKE_DIR/$key" ] || die "the Snowflake credentials Secret has no $key"
  done
  [ -n "${SNOWFLAKE_KEY_PATH:-}" ] || die "SNOWFLAKE_KEY_PATH is not set"
  # Metabase wants the account identifier: the URL without scheme, path and .snowflakecomputing.com.
  account=$(sed -e 's#^[a-zA-Z]*://##' -e 's#/.*$##' -e 's#\.snowflakecomputing\.com.*$##' "$SNOWFLAKE_DIR/SNOWFLAKE_URL" | tr -d ' \r\n')
  read_optional() { if [ -s "$SNOWFLAKE_DIR/$1" ]; then tr -d '\r\n' <"$SNOWFLAKE_DIR/$1"; else printf '%s' "$2"; fi; }
  $JQ -n --arg account "$account" --arg user "$(tr -d '\r\n' <"$SNOWFLAKE_DIR/SNOWFLAKE_USER")" \
    --arg keyPath "$SNOWFLAKE_KEY_PATH" --arg db "$(read_optional SNOWFLAKE_DATABASE INGEST)" \
    --arg warehouse "$(read_optional SNOWFLAKE_WAREHOUSE '')" --arg role "$(read_optional SNOWFLAKE_ROLE '')" \
    '{account: $account, user: $user, "use-password": false, "private-key-options": "local", "private-key-path": $keyPath, db: $db}
     + (if $warehouse != "" then {warehouse: $warehouse} else {} end)
     + (if $role != "" then {role: $role} else {} end)' >"$work/snowflake.json"
  ensure_database Snowflake snowflake "$work/snowflake.json"
fi

# 4. The viewer: a plain user (the "All Users" group only), never an admin.
[ "$VIEWER_EMAIL" != "$ADMIN_EMAIL" ] || die "the viewer and the admin are the same account ($ADMIN_EMAIL)"
request GET '/api/user?status=all'
[ "$HTTP_STATUS" = 200 ] || api_fail "listing users"
$JQ -c --arg email "$VIEWER_EMAIL" '[(.data // .)[] | select((.email | ascii_downcase) == ($email | ascii_downcase))][0] // empty' "$work/body" >"$work/viewer.json"
if [ -s "$work/viewer.json" ]; then
  id=$($JQ -r '.id' "$work/viewer.json")
  # (jq's // would take false for missing: compare instead)
  if [ "$($JQ -r '.is_active == false' "$work/viewer.json")" = true ]; then
    request PUT "/api/user/$id/reactivate"
    case $HTTP_STATUS in 200) ;; *) api_fail "reactivating the viewer $VIEWER_EMAIL" ;; esac
  fi
  if [ "$($JQ -r '.is_superuser // false' "$work/viewer.json")" = true ]; then
    $JQ -n '{is_superuser: false}' >"$work/user.json"
    request PUT "/api/user/$id" "$work/user.json"
    case $HTTP_STATUS in 200) ;; *) api_fail "taking the admin rights from the viewer $VIEWER_EMAIL" ;; esac
    say "viewer $VIEWER_EMAIL: admin rights removed"
  fi
  $JQ -n --arg p "$VIEWER_PASSWORD" '{password: $p}' >"$work/password.json"
  request PUT "/api/user/$id/password" "$work/password.json"
  rm -f "$work/password.json"
  case $HTTP_STATUS in 200 | 204) ;; *) api_fail "setting the password of the viewer $VIEWER_EMAIL" ;; esac
  say "viewer $VIEWER_EMAIL: password set"
else
  $JQ -n --arg e "$VIEWER_EMAIL" --arg p "$VIEWER_PASSWORD" \
    '{email: $e, password: $p, first_name: "Dashboard", last_name: "Viewer"}' >"$work/user.json"
  request POST /api/user "$work/user.json"
  rm -f "$work/user.json"
  case $HTTP_STATUS in 200) ;; *) api_fail "adding the viewer $VIEWER_EMAIL" ;; esac
  say "viewer $VIEWER_EMAIL: added"
fi
# 5. Dashboards on the application database: cards (native SQL) and their layout, matched by name.
if [ -n "${DASHBOARDS_DIR:-}" ]; then
  for definition in "$DASHBOARDS_DIR"/*.json; do
    [ -e "$definition" ] || continue
    dashboard=$($JQ -r '.name' "$definition")
    request GET /api/card
    [ "$HTTP_STATUS" = 200 ] || api_fail "listing cards"
    # An array (Metabase's answer), or {data: [...]} like its paged lists.
    $JQ 'if type == "array" then . else .data end' "$work/body" >"$work/cards.json"
    : >"$work/dashcards.jsonl"
    count=$($JQ '.cards | length' "$definition")
    i=0
    while [ "$i" -lt "$count" ]; do
      $JQ -c --argjson i "$i" '.cards[$i]' "$definition" >"$work/card-def.json"
      card=$($JQ -r '.name' "$work/card-def.json")
      $JQ --argjson db "$app_database_id" \
        '{name: .name, display: .display, visualization_settings: {}, dataset_query: {type: "native", database: $db, native: {query: .sql}}}' \
        "$work/card-def.json" >"$work/card.json"
      id=$($JQ -r --arg name "$card" '[.[] | select(.name == $name and (.archived // false) == false)][0].id // empty' "$work/cards.json")
      if [ -n "$id" ]; then
        request PUT "/api/card/$id" "$work/card.json"
        case $HTTP_STATUS in 200) ;; *) api_fail "updating card '$card'" ;; esac
      else
        request POST /api/card "$work/card.json"
        case $HTTP_STATUS in 200) ;; *) api_fail "adding card '$card'" ;; esac
        id=$($JQ -r '.id // empty' "$work/body")
        [ -n "$id" ] || die "Metabase added card '$card' without an id"
      fi
      # New dashboard cards get negative ids (Metabase's convention for "create").
      $JQ -c --argjson card "$id" --argjson n "$((-1 - i))" \
        '{id: $n, card_id: $card, row: .row, col: .col, size_x: .size_x, size_y: .size_y, parameter_mappings: [], visualization_settings: {}}' \
        "$work/card-def.json" >>"$work/dashcards.jsonl"
      i=$((i + 1))
    done
    request GET /api/dashboard
    [ "$HTTP_STATUS" = 200 ] || api_fail "listing dashboards"
    id=$($JQ -r --arg name "$dashboard" '[(if type == "array" then . else .data end)[] | select(.name == $name and (.archived // false) == false)][0].id // empty' "$work/body")
    if [ -z "$id" ]; then
      $JQ '{name: .name, description: .description}' "$definition" >"$work/dashboard.json"
      request POST /api/dashboard "$work/dashboard.json"
      case $HTTP_STATUS in 200) ;; *) api_fail "adding dashboard '$dashboard'" ;; esac
      id=$($JQ -r '.id // empty' "$work/body")
      [ -n "$id" ] || die "Metabase added dashboard '$dashboard' without an id"
    fi
    # The layout replaces the dashboard's cards as a whole (PUT with dashcards, Metabase >= 0.47).
    $JQ -s --slurpfile d "$definition" '{name: $d[0].name, description: $d[0].description, dashcards: .}' "$work/dashcards.jsonl" >"$work/dashboard.json"
    request PUT "/api/dashboard/$id" "$work/dashboard.json"
    case $HTTP_STATUS in 200) ;; *) api_fail "laying out dashboard '$dashboard'" ;; esac
    say "dashboard '$dashboard': $count cards"
  done
fi
say "Metabase matches the platform"
