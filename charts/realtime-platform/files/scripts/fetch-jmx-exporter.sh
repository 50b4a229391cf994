#!/bin/sh
# fetch-jmx-exporter.sh: puts Prometheus' JMX exporter jar at JAR_PATH (the Kafka pod's
# jmx-exporter volume), downloaded from JAR_URL, and refuses any file whose SHA-256 is not
# JAR_SHA256 (metrics.kafka.exporter.sha256): the exporter runs beside the broker.
#
# Environment: JAR_URL, JAR_SHA256, JAR_PATH, CURL (default curl).
set -eu

say() { printf 'fetch-jmx-exporter: %s\n' "$*"; }
die() {
  printf 'fetch-jmx-exporter: ERROR: %s\n' "$*" >&2
  exit 1
}

for variable in JAR_URL JAR_SHA256 JAR_PATH; do
  eval "value=\${$variable:-}"
  [ -n "$value" ] || die "$variable is not set"
done
CURL=${CURL:-curl}

if [ -f "$JAR_PATH" ] && printf '%s  %s\n' "$JAR_SHA256" "$JAR_PATH" | sha256sum -c >/dev/null 2>&1; then
  say "present: $JAR_PATH"
  exit 0
fi
mkdir -p "$(dirname "$JAR_PATH")"
say "downloading $JAR_URL"
$CURL --fail --silent --show-error --location --max-time 300 --output "$JAR_PATH.part" "$JAR_URL" ||
  die "downloading $JAR_URL failed"
if ! printf '%s  %s\n' "$JAR_SHA256" "$JAR_PATH.part" | sha256sum -c >/dev/null 2>&1; then
  rm -f "$JAR_PATH.part"
  die "$JAR_URL does not have the SHA-256 $JAR_SHA256 (metrics.kafka.exporter.sha256); refusing to run it"
fi
mv "$JAR_PATH.part" "$JAR_PATH"
say "installed: $JAR_PATH"
