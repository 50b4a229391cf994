#!/bin/sh
# prepare-snowflake.sh: runs before Kafka Connect when the Snowflake sink is enabled.
#   1. Makes sure the Snowflake sink plugin jar is in PLUGIN_DIR with the expected SHA-256
#      (downloaded once onto the Kafka volume; a corrupt or different file is replaced).
#   2. Writes the sink's credential files into OUTPUT_DIR, which Connect's DirectoryConfigProvider
#      reads: SNOWFLAKE_URL, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY (the PEM body on one line,
#      without the BEGIN/END lines, as the connector expects), SNOWFLAKE_PRIVATE_KEY_PASSPHRASE
#      (empty when the key is not encrypted), SNOWFLAKE_DATABASE and SNOWFLAKE_SCHEMA (INGEST
#      when the Secret has none).
#
# Environment: PLUGIN_URL, PLUGIN_SHA256, PLUGIN_DIR, CREDENTIALS_DIR (the mounted Secret),
# OUTPUT_DIR, CREDENTIALS_SECRET (its name, for messages), CURL (default curl).
set -eu

say() { printf 'prepare-snowflake: %s\n' "$*"; }
die() {
  printf 'prepare-snowflake: ERROR: %s\n' "$*" >&2
  exit 1
}

for variable in PLUGIN_URL PLUGIN_SHA256 PLUGIN_DIR CREDENTIALS_DIR OUTPUT_DIR; do
  eval "value=\${$variable:-}"
  [ -n "$value" ] || die "$variable is not set"
done
CREDENTIALS_SECRET=${CREDENTIALS_SECRET:-the Snowflake credentials Secret}
CURL=${CURL:-curl}

# 1. The plugin.
mkdir -p "$PLUGIN_DIR"
jar="$PLUGIN_DIR/snowflake-kafka-connector.jar"
if [ -f "$jar" ] && printf '%s  %s\n' "$PLUGIN_SHA256" "$jar" | sha256sum -c >/dev/null 2>&1; then
  say "plugin present: $jar"
else
  say "downloading the Snowflake sink plugin from $PLUGIN_URL"
  $CURL --fail --silent --show-error --location --max-time 900 --output "$jar.part" "$PLUGIN_URL" ||
    die "downloading $PLUGIN_URL failed"
  printf '%s  %s\n' "$PLUGIN_SHA256" "$jar.part" | sha256sum -c >/dev/null 2>&1 ||
    die "$PLUGIN_URL does not have the SHA-256 $PLUGIN_SHA256 (kafka.snowflakePlugin.sha256); refusing to install it"
  mv "$jar.part" "$jar"
  say "plugin installed: $jar"
fi

# 2. The credential files.
for key in SNOWFLAKE_URL SNOWFLAKE_USER SNOWFLAKE_PRIVATE_KEY; do
  [ -s "$CREDENTIALS_DIR/$key" ] || die "$CREDENTIALS_SECRET has no $key (required keys: SNOWFLAKE_URL, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY)"
done
umask 077
cp "$CREDENTIALS_DIR/SNOWFLAKE_URL" "$OUTPUT_DIR/SNOWFLAKE_URL"
cp "$CREDENTIALS_DIR/SNOWFLAKE_USER" "$OUTPUT_DIR/SNOWFLAKE_USER"
sed -e '/^-----/d' "$CREDENTIALS_DIR/SNOWFLAKE_PRIVATE_KEY" | tr -d ' \r\n' >"$OUTPUT_DIR/SNOWFLAKE_PRIVATE_KEY"
[ -s "$OUTPUT_DIR/SNOWFLAKE_PRIVATE_KEY" ] || die "SNOWFLAKE_PRIVATE_KEY in $CREDENTIALS_SECRET holds no key"
optional() {
  if [ -s "$CREDENTIALS_DIR/$1" ]; then cp "$CREDENTIALS_DIR/$1" "$OUTPUT_DIR/$1"; else printf '%s' "$2" >"$OUTPUT_DIR/$1"; fi
}
optional SNOWFLAKE_PRIVATE_KEY_PASSPHRASE ''
optional SNOWFLAKE_DATABASE INGEST
optional SNOWFLAKE_SCHEMA INGEST
say "credential files written to $OUTPUT_DIR"
