#!/bin/sh
# ensure-topics.sh: makes Kafka's topics match the platform's topic plan. Idempotent:
#   missing topic                  -> created with its partitions and retention.ms
#   fewer partitions than planned  -> partitions added
#   more partitions than planned   -> failure (Kafka cannot remove partitions)
#   retention.ms not as planned    -> set to the planned value
#
# Environment:
#   BOOTSTRAP_SERVER    host:port of a broker (required)
#   TOPICS_FILE         one "<topic> <partitions> <retention.ms>" line per topic (required)
#   REPLICATION_FACTOR  replication factor of new topics (default 1)
#   WAIT_SECONDS        how long to wait for the broker (default 600)
#   POLL_SECONDS        pause between two checks while waiting (default 5)
#   KAFKA_TIMEOUT_MS    how long one Kafka request may take (default 15000)
#   KAFKA_TOPICS, KAFKA_CONFIGS  the Kafka CLI commands (default kafka-topics, kafka-configs)
#   SASL_USERNAME, SASL_PASSWORD  the provisioning principal, when the broker wants a login (the
#                       platform's always does)
#   SECURITY_PROTOCOL, SASL_MECHANISM  with SASL_USERNAME (required then): the brokers' client
#                       security, the contract's kafkaSecurity (the chart sets both from
#                       files/contract.json, so this script types neither); a SCRAM mechanism
#
# Any failure ends the script with a non-zero status and a message on stderr.
set -eu

say() { printf 'ensure-topics: %s\n' "$*"; }
die() {
  printf 'ensure-topics: ERROR: %s\n' "$*" >&2
  exit 1
}

[ -n "${BOOTSTRAP_SERVER:-}" ] || die "BOOTSTRAP_SERVER is not set"
[ -n "${TOPICS_FILE:-}" ] || die "TOPICS_FILE is not set"
[ -r "$TOPICS_FILE" ] || die "cannot read $TOPICS_FILE"
REPLICATION_FACTOR=${REPLICATION_FACTOR:-1}
WAIT_SECONDS=${WAIT_SECONDS:-600}
POLL_SECONDS=${POLL_SECONDS:-5}
KAFKA_TOPICS=${KAFKA_TOPICS:-kafka-topics}
KAFKA_CONFIGS=${KAFKA_CONFIGS:-kafka-configs}
KAFKA_TIMEOUT_MS=${KAFKA_TIMEOUT_MS:-15000}

work=$(mktemp -d "${TMPDIR:-/tmp}/ensure-topics.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Bounded requests, so an unreachable broker fails one attempt quickly instead of after a minute.
# The login goes into a file only this user can read, never onto a command line.
umask 077
printf 'request.timeout.ms=%s\ndefault.api.timeout.ms=%s\n' "$KAFKA_TIMEOUT_MS" "$KAFKA_TIMEOUT_MS" >"$work/client.properties"
if [ -n "${SASL_USERNAME:-}" ]; then
  [ -n "${SASL_PASSWORD:-}" ] || die "SASL_PASSWORD is not set"
  [ -n "${SECURITY_PROTOCOL:-}" ] || die "SECURITY_PROTOCOL is not set (the contract's kafkaSecurity.protocol)"
  [ -n "${SASL_MECHANISM:-}" ] || die "SASL_MECHANISM is not set (the contract's kafkaSecurity.saslMechanism)"
  # The login below is SCRAM's: another mechanism would need another login module.
  case $SASL_MECHANISM in SCRAM-*) ;; *) die "SASL_MECHANISM $SASL_MECHANISM is not a SCRAM mechanism" ;; esac
  {
    printf 'security.protocol=%s\nsasl.mechanism=%s\n' "$SECURITY_PROTOCOL" "$SASL_MECHANISM"
    printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
      "$SASL_USERNAME" "$SASL_PASSWORD"
  } >>"$work/client.properties"
fi

# 1. Wait until the broker answers, and read the topics it has.
deadline=$(($(date +%s) + WAIT_SECONDS))
until $KAFKA_TOPICS --bootstrap-server "$BOOTSTRAP_SERVER" --command-config "$work/client.properties" --list >"$work/existing" 2>"$work/error"; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    die "Kafka at $BOOTSTRAP_SERVER did not answer within ${WAIT_SECONDS}s: $(tail -n 3 "$work/error" | tr '\n' ' ')"
  fi
  say "waiting for Kafka at $BOOTSTRAP_SERVER"
  sleep "$POLL_SECONDS"
done

# 2. What exists: one --describe for every topic, reduced to "<topic> <partitions> <retention.ms>"
#    (retention "-" when the topic has no retention.ms of its own).
$KAFKA_TOPICS --bootstrap-server "$BOOTSTRAP_SERVER" --command-config "$work/client.properties" --describe --exclude-internal >"$work/describe" 2>"$work/error" ||
  die "describing the topics failed: $(tail -n 3 "$work/error" | tr '\n' ' ')"
awk -F '\t' '
  /PartitionCount:/ {
    topic = ""; partitions = ""; retention = "-"
    for (i = 1; i <= NF; i++) {
      field = $i; sub(/^[ ]+/, "", field)
      if (field ~ /^Topic: /) topic = substr(field, 8)
      else if (field ~ /^PartitionCount: /) partitions = substr(field, 17)
      else if (field ~ /^Configs: /) {
        n = split(substr(field, 10), configs, ",")
        for (j = 1; j <= n; j++) if (configs[j] ~ /^retention\.ms=/) retention = substr(configs[j], 14)
      }
    }
    if (topic != "") print topic, partitions, retention
  }' "$work/describe" >"$work/current"

# 3. One planned topic at a time, so a failure names the topic.
created=0
changed=0
while read -r topic partitions retention rest; do
  case $topic in '' | '#'*) continue ;; esac
  [ -z "${rest:-}" ] || die "malformed line in $TOPICS_FILE: '$topic $partitions $retention $rest'"
  case $partitions in '' | *[!0-9]*) die "topic $topic: partitions '$partitions' is not a number" ;; esac
  case $retention in '' | *[!0-9]*) die "topic $topic: retention.ms '$retention' is not a number" ;; esac
  current=$(awk -v t="$topic" '$1 == t { print $2, $3 }' "$work/current")
  if [ -z "$current" ] && grep -qxF "$topic" "$work/existing"; then
    die "topic $topic exists but its description could not be read: $(head -c 300 "$work/describe")"
  fi
  if [ -z "$current" ]; then
    $KAFKA_TOPICS --bootstrap-server "$BOOTSTRAP_SERVER" --command-config "$work/client.properties" --create --if-not-exists --topic "$topic" \
      --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" \
      --config "retention.ms=$retention" >/dev/null 2>"$work/error" ||
      die "creating topic $topic failed: $(tail -n 3 "$work/error" | tr '\n' ' ')"
    say "topic $topic: created ($partitions partitions, retention.ms=$retention)"
    created=$((created + 1))
    continue
  fi
  current_partitions=${current% *}
  current_retention=${current#* }
  if [ "$current_partitions" -lt "$partitions" ]; then
    $KAFKA_TOPICS --bootstrap-server "$BOOTSTRAP_SERVER" --command-config "$work/client.properties" --alter --topic "$topic" --partitions "$partitions" >/dev/null 2>"$work/error" ||
      die "adding partitions to topic $topic ($current_partitions -> $partitions) failed: $(tail -n 3 "$work/error" | tr '\n' ' ')"
    say "topic $topic: partitions $current_partitions -> $partitions"
    changed=$((changed + 1))
  elif [ "$current_partitions" -gt "$partitions" ]; then
    die "topic $topic has $current_partitions partitions but the platform declares $partitions: Kafka cannot remove partitions. Declare $current_partitions or more (platform.topics), or delete and recreate the topic."
  fi
  if [ "$current_retention" != "$retention" ]; then
    $KAFKA_CONFIGS --bootstrap-server "$BOOTSTRAP_SERVER" --command-config "$work/client.properties" --alter --entity-type topics --entity-name "$topic" \
      --add-config "retention.ms=$retention" >/dev/null 2>"$work/error" ||
      die "setting retention.ms=$retention on topic $topic failed: $(tail -n 3 "$work/error" | tr '\n' ' ')"
    say "topic $topic: retention.ms $current_retention -> $retention"
    changed=$((changed + 1))
  fi
done <"$TOPICS_FILE"
say "topics match the plan ($created created, $changed changed)"
