#!/bin/sh
# start-kafka-node.sh: starts one KRaft node (a broker or a controller) of the three-broker Kafka
# (platform.kafkaBrokers: 3) with the Kafka image's own scripts. It writes the node's
# server.properties (the shared settings of its role, its node id from the pod's ordinal, a broker's
# advertised listeners with its own DNS name), formats the data directory on the first start (the
# cluster id and every platform principal's SCRAM credential, so the SCRAM listeners accept them
# from the first start on), then becomes the Kafka server.
#
# Environment:
#   ROLE            broker | controller (required)
#   POD_NAME        the pod's name, ending in its ordinal (required)
#   NODE_ID_BASE    node id of ordinal 0 (required: brokers 0, controllers 100)
#   BASE_CONFIG     the role's shared server.properties (required)
#   CLUSTER_ID      the KRaft cluster id, the same on every node (required)
#   DATA_DIR        log.dirs (required)
#   USERS_DIR       one directory per principal holding KAFKA_USERNAME and KAFKA_PASSWORD (required)
#   SASL_MECHANISM  the SCRAM mechanism of those credentials, the contract's
#                   kafkaSecurity.saslMechanism (required; the chart sets it from files/contract.json)
#   POD_HOST_SUFFIX brokers: what follows the pod name in its host (".<headless service FQDN>")
#   ADVERTISED      brokers: advertised.listeners, "{host}" standing for the pod's host
#   CONFIG_DIR      where server.properties is written (default /tmp/kafka-config)
#   KAFKA_HOME      the Kafka installation (default /opt/kafka)
set -eu

say() { printf 'start-kafka-node: %s\n' "$*"; }
die() {
  printf 'start-kafka-node: ERROR: %s\n' "$*" >&2
  exit 1
}

case "${ROLE:-}" in broker | controller) ;; *) die "ROLE must be broker or controller" ;; esac
[ -n "${POD_NAME:-}" ] || die "POD_NAME is not set"
ordinal=${POD_NAME##*-}
case "$ordinal" in '' | *[!0-9]*) die "POD_NAME $POD_NAME does not end in an ordinal" ;; esac
[ -n "${NODE_ID_BASE:-}" ] || die "NODE_ID_BASE is not set"
[ -r "${BASE_CONFIG:-}" ] || die "BASE_CONFIG is not readable"
[ -n "${CLUSTER_ID:-}" ] || die "CLUSTER_ID is not set"
[ -n "${DATA_DIR:-}" ] || die "DATA_DIR is not set"
{ [ -n "${USERS_DIR:-}" ] && [ -d "$USERS_DIR" ]; } || die "USERS_DIR is not a directory"
[ -n "${SASL_MECHANISM:-}" ] || die "SASL_MECHANISM is not set (the contract's kafkaSecurity.saslMechanism)"
case $SASL_MECHANISM in SCRAM-*) ;; *) die "SASL_MECHANISM $SASL_MECHANISM is not a SCRAM mechanism" ;; esac
CONFIG_DIR=${CONFIG_DIR:-/tmp/kafka-config}
KAFKA_HOME=${KAFKA_HOME:-/opt/kafka}
node_id=$((NODE_ID_BASE + ordinal))

umask 077
mkdir -p "$CONFIG_DIR" "$DATA_DIR"
config="$CONFIG_DIR/server.properties"
{
  cat "$BASE_CONFIG"
  printf '\nnode.id=%s\nlog.dirs=%s\n' "$node_id" "$DATA_DIR"
  if [ "$ROLE" = broker ]; then
    [ -n "${ADVERTISED:-}" ] || die "ADVERTISED is not set"
    host="$POD_NAME${POD_HOST_SUFFIX:-}"
    printf 'advertised.listeners=%s\n' "$(printf '%s' "$ADVERTISED" | sed "s/{host}/$host/g")"
  fi
} >"$config"

if [ ! -f "$DATA_DIR/meta.properties" ]; then
  # The credentials go on argv: kafka-storage reads them nowhere else; only this container sees it.
  set -- format --ignore-formatted -t "$CLUSTER_ID" -c "$config"
  for dir in "$USERS_DIR"/*/; do
    set -- "$@" --add-scram "$SASL_MECHANISM=[name=$(cat "$dir/KAFKA_USERNAME"),password=$(cat "$dir/KAFKA_PASSWORD")]"
  done
  "$KAFKA_HOME/bin/kafka-storage.sh" "$@" >/dev/null || die "formatting $DATA_DIR failed"
  say "formatted $DATA_DIR as node $node_id of cluster $CLUSTER_ID"
fi
say "starting $ROLE $node_id"
# The JMX exporter's port (metrics.kafka) for this server only: kafka-run-class opens JMX on
# JMX_PORT, and the postStart hook's Kafka tools must not try to bind it too.
if [ -n "${SERVER_JMX_PORT:-}" ]; then
  export JMX_PORT="$SERVER_JMX_PORT"
fi
exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$config"
