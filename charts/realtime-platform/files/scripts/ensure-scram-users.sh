#!/bin/sh
# ensure-scram-users.sh: gives the broker the SCRAM credential (SASL_MECHANISM) of every platform
# principal.
# Runs inside the Kafka pod (postStart) against the broker's INTERNAL listener on localhost, logging
# in with SASL PLAIN as the provisioning principal (that listener's only user; the KRaft controller
# does not take SCRAM changes directly): the client listeners accept nobody until these
# credentials exist. Idempotent: setting a credential again replaces it with the same password.
#
# Environment:
#   INTERNAL            host:port of the INTERNAL (PLAIN) listener (default localhost:9093)
#   USERS_DIR           one directory per principal holding KAFKA_USERNAME and KAFKA_PASSWORD
#                       files (its mounted Secret) (required)
#   ADMIN_DIR           the provisioning principal's directory among them (required)
#   SASL_MECHANISM      the SCRAM mechanism of the credentials, the contract's
#                       kafkaSecurity.saslMechanism (required)
#   SECURITY_PROTOCOL   the INTERNAL listener's security protocol (required): the chart maps every
#                       listener to the contract's kafkaSecurity.protocol. Its SASL mechanism, PLAIN,
#                       is the chart's own (the templates give that listener PLAIN, not the contract).
#   WAIT_SECONDS        how long to wait for the broker (default 300)
#   POLL_SECONDS        pause between two attempts (default 5)
#   KAFKA_CONFIGS       the Kafka CLI command (default kafka-configs)
set -eu

say() { printf 'ensure-scram-users: %s\n' "$*"; }
die() {
  printf 'ensure-scram-users: ERROR: %s\n' "$*" >&2
  exit 1
}

INTERNAL=${INTERNAL:-localhost:9093}
{ [ -n "${USERS_DIR:-}" ] && [ -d "$USERS_DIR" ]; } || die "USERS_DIR is not a directory"
{ [ -n "${ADMIN_DIR:-}" ] && [ -r "$ADMIN_DIR/KAFKA_PASSWORD" ]; } || die "ADMIN_DIR has no KAFKA_PASSWORD"
[ -n "${SECURITY_PROTOCOL:-}" ] || die "SECURITY_PROTOCOL is not set (the contract's kafkaSecurity.protocol)"
[ -n "${SASL_MECHANISM:-}" ] || die "SASL_MECHANISM is not set (the contract's kafkaSecurity.saslMechanism)"
case $SASL_MECHANISM in SCRAM-*) ;; *) die "SASL_MECHANISM $SASL_MECHANISM is not a SCRAM mechanism" ;; esac
WAIT_SECONDS=${WAIT_SECONDS:-300}
POLL_SECONDS=${POLL_SECONDS:-5}
KAFKA_CONFIGS=${KAFKA_CONFIGS:-kafka-configs}

work=$(mktemp -d "${TMPDIR:-/tmp}/ensure-scram-users.XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 077
{
  printf 'security.protocol=%s\nsasl.mechanism=PLAIN\n' "$SECURITY_PROTOCOL"
  printf 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";\n' \
    "$(cat "$ADMIN_DIR/KAFKA_USERNAME")" "$(cat "$ADMIN_DIR/KAFKA_PASSWORD")"
} >"$work/internal.properties"

configs() { $KAFKA_CONFIGS --bootstrap-server "$INTERNAL" --command-config "$work/internal.properties" "$@"; }

deadline=$(($(date +%s) + WAIT_SECONDS))
until configs --describe --entity-type brokers --entity-default >/dev/null 2>"$work/error"; do
  [ "$(date +%s)" -lt "$deadline" ] ||
    die "Kafka at $INTERNAL did not answer within ${WAIT_SECONDS}s: $(tail -n 3 "$work/error" | tr '\n' ' ')"
  sleep "$POLL_SECONDS"
done

count=0
for dir in "$USERS_DIR"/*/; do
  user=$(cat "$dir/KAFKA_USERNAME")
  # On argv: kafka-configs reads SCRAM credentials nowhere else (its --add-config-file mangles the
  # mechanism name). The process runs inside the Kafka container only, briefly.
  configs --alter --entity-type users --entity-name "$user" \
    --add-config "$SASL_MECHANISM=[password=$(cat "$dir/KAFKA_PASSWORD")]" >/dev/null 2>"$work/error" ||
    die "setting the SCRAM credential of $user failed: $(tail -n 3 "$work/error" | tr '\n' ' ')"
  count=$((count + 1))
done
say "SCRAM credentials of $count principals are set"
