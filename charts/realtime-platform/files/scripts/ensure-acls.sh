#!/bin/sh
# ensure-acls.sh: gives Kafka the platform's ACLs (the platform contract's planKafkaAccess, rendered
# by the chart into ACLS_FILE). Idempotent: adding an ACL that exists changes nothing.
#
# Environment:
#   BOOTSTRAP_SERVER    host:port of a broker (required)
#   ACLS_FILE           one "<principal> <ALLOW|DENY> <operation> <TOPIC|GROUP|CLUSTER> <LITERAL|PREFIXED> <name>"
#                       line per ACL (required)
#   SASL_USERNAME, SASL_PASSWORD  the provisioning principal, a super user (required)
#   SECURITY_PROTOCOL, SASL_MECHANISM  the brokers' client security, the contract's kafkaSecurity
#                       (required; the chart sets both from files/contract.json, so this script
#                       types neither); a SCRAM mechanism
#   WAIT_SECONDS        how long to wait for the broker (default 600)
#   POLL_SECONDS        pause between two checks while waiting (default 5)
#   KAFKA_TIMEOUT_MS    how long one Kafka request may take (default 15000)
#   KAFKA_ACLS          the Kafka CLI command (default kafka-acls)
#
# Any failure ends the script with a non-zero status and a message on stderr. ACLs that are no
# longer planned are not removed (Kafka keeps them until an operator does).
set -eu
# No globbing: a resource name may be "*" (every group), which must reach kafka-acls as is.
set -f

say() { printf 'ensure-acls: %s\n' "$*"; }
die() {
  printf 'ensure-acls: ERROR: %s\n' "$*" >&2
  exit 1
}

[ -n "${BOOTSTRAP_SERVER:-}" ] || die "BOOTSTRAP_SERVER is not set"
[ -n "${ACLS_FILE:-}" ] || die "ACLS_FILE is not set"
[ -r "$ACLS_FILE" ] || die "cannot read $ACLS_FILE"
[ -n "${SASL_USERNAME:-}" ] || die "SASL_USERNAME is not set (the provisioning principal)"
[ -n "${SASL_PASSWORD:-}" ] || die "SASL_PASSWORD is not set"
[ -n "${SECURITY_PROTOCOL:-}" ] || die "SECURITY_PROTOCOL is not set (the contract's kafkaSecurity.protocol)"
[ -n "${SASL_MECHANISM:-}" ] || die "SASL_MECHANISM is not set (the contract's kafkaSecurity.saslMechanism)"
# The login below is SCRAM's: another mechanism would need another login module.
case $SASL_MECHANISM in SCRAM-*) ;; *) die "SASL_MECHANISM $SASL_MECHANISM is not a SCRAM mechanism" ;; esac
WAIT_SECONDS=${WAIT_SECONDS:-600}
POLL_SECONDS=${POLL_SECONDS:-5}
KAFKA_ACLS=${KAFKA_ACLS:-kafka-acls}
KAFKA_TIMEOUT_MS=${KAFKA_TIMEOUT_MS:-15000}

work=$(mktemp -d "${TMPDIR:-/tmp}/ensure-acls.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The login goes into a file only this user can read, never onto a command line.
umask 077
{
  printf 'request.timeout.ms=%s\ndefault.api.timeout.ms=%s\n' "$KAFKA_TIMEOUT_MS" "$KAFKA_TIMEOUT_MS"
  printf 'security.protocol=%s\nsasl.mechanism=%s\n' "$SECURITY_PROTOCOL" "$SASL_MECHANISM"
  printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
    "$SASL_USERNAME" "$SASL_PASSWORD"
} >"$work/client.properties"

acls() { $KAFKA_ACLS --bootstrap-server "$BOOTSTRAP_SERVER" --command-config "$work/client.properties" "$@"; }

# 1. Wait until the broker answers (and accepts the login).
deadline=$(($(date +%s) + WAIT_SECONDS))
until acls --list --topic "__rtp-probe" >/dev/null 2>"$work/error"; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    die "Kafka at $BOOTSTRAP_SERVER did not answer within ${WAIT_SECONDS}s: $(tail -n 3 "$work/error" | tr '\n' ' ')"
  fi
  say "waiting for Kafka at $BOOTSTRAP_SERVER"
  sleep "$POLL_SECONDS"
done

# kafka-acls spells operations in CamelCase: DESCRIBE_CONFIGS -> DescribeConfigs.
camel() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]' | awk -F_ '{ for (i = 1; i <= NF; i++) printf "%s", toupper(substr($i, 1, 1)) substr($i, 2) }'; }

# 2. One ACL at a time, so a failure names it.
added=0
while read -r principal permission operation type pattern name rest; do
  case $principal in '' | '#'*) continue ;; esac
  { [ -z "${rest:-}" ] && [ -n "${name:-}" ]; } || die "malformed line in $ACLS_FILE: '$principal $permission $operation $type $pattern ${name:-} ${rest:-}'"
  case $principal in User:?*) ;; *) die "principal '$principal' is not User:<name>" ;; esac
  case $permission in ALLOW) who=--allow-principal ;; DENY) who=--deny-principal ;; *) die "permission '$permission' is not ALLOW or DENY" ;; esac
  case $pattern in LITERAL | PREFIXED) ;; *) die "pattern '$pattern' is not LITERAL or PREFIXED" ;; esac
  case $type in
    TOPIC) resource="--topic $name" ;;
    GROUP) resource="--group $name" ;;
    CLUSTER) resource="--cluster" ;;
    *) die "resource type '$type' is not TOPIC, GROUP or CLUSTER" ;;
  esac
  # shellcheck disable=SC2086 # $resource is two words on purpose
  acls --add --force "$who" "$principal" --operation "$(camel "$operation")" $resource \
    --resource-pattern-type "$(printf '%s' "$pattern" | tr '[:upper:]' '[:lower:]')" >/dev/null 2>"$work/error" ||
    die "adding '$principal $permission $operation $type $pattern $name' failed: $(tail -n 3 "$work/error" | tr '\n' ' ')"
  added=$((added + 1))
done <"$ACLS_FILE"
say "ACLs match the plan ($added ensured)"
