#!/usr/bin/env bash
# Installs, once and cached, the Schema Registry the tests run against: Apicurio Registry, which
# speaks the Confluent Schema Registry API under /apis/ccompat/v7. Its prebuilt Quarkus app (the
# "-all" zip on Maven Central: a runner jar + lib/) is unpacked with Maven into
#   <cache>/schema-registry/<version>/        (.complete marks a finished install)
# and run later on the machine's Java 17. Idempotent: a second run only checks (~0 s).
# The version lives in ../schema-registry/schema-registry.json.
#
# Usage: install-schema-registry.sh [--print-dir]
# Env:   RTP_CACHE_DIR   cache root (default ${XDG_CACHE_HOME:-~/.cache}/realtime-platform)
set -euo pipefail

toolchain_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
manifest="$toolchain_dir/schema-registry/schema-registry.json"
# Keep in step with src/cache-dir.ts and install.sh.
cache_dir="${RTP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-platform}"

say() { printf '[schema-registry] %s\n' "$*"; }
die() { printf '[schema-registry] ERROR: %s\n' "$*" >&2; exit 1; }

version=$(node -e "console.log(require(process.argv[1]).version)" "$manifest")
runner_jar=$(node -e "const m=require(process.argv[1]); console.log(m.runnerJar.replace('{version}', m.version))" "$manifest")
home="$cache_dir/schema-registry/$version"

if [[ "${1:-}" == "--print-dir" ]]; then
  echo "$home"
  exit 0
fi
[[ -z "${1:-}" ]] || die "unknown argument: $1"

# JVM flags the tests start the registry with (tools/local-infra/src/schema-registry.ts): the
# class-data archive is only used by a JVM started with the same flags and jars.
jvm_flags=(-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true)
node_http() { node -e "fetch(process.argv[1], {method: process.argv[2], headers: {'content-type': 'application/vnd.schemaregistry.v1+json'}, body: process.argv[3] || undefined, signal: AbortSignal.timeout(2000)}).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$@"; }

# Start-up drops from ~5-9 s to ~2 s with an application class-data archive (AppCDS): one
# training run starts the registry, registers a schema, stops it, and the JVM writes app.jsa.
train_class_data_archive() {
  local port pid base ok="" i
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(s.address().port+'\n');s.close()})")
  base="http://127.0.0.1:$port/apis/ccompat/v7"
  mkdir -p "$home/cds-tmp"
  (cd "$home/cds-tmp" && exec java "${jvm_flags[@]}" -XX:ArchiveClassesAtExit="$home/app.jsa.partial" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Djava.io.tmpdir="$home/cds-tmp" \
    -jar "$home/$runner_jar") >"$home/cds-training.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 240; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    if node_http "$base/subjects" GET; then ok=1; break; fi
    sleep 0.5
  done
  if [[ -n "$ok" ]]; then
    node_http "$base/subjects/cds-training/versions" POST \
      '{"schema":"{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}"}' || true
    node_http "$base/schemas/ids/1" GET || true
  fi
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$home/cds-tmp"
  [[ -n "$ok" && -s "$home/app.jsa.partial" ]] || { rm -f "$home/app.jsa.partial"; return 1; }
  mv "$home/app.jsa.partial" "$home/app.jsa"
}

work=""
install_schema_registry() {
  local started=$SECONDS
  if [[ -f "$home/.complete" ]]; then
    say "apicurio-registry $version: $home (cached, checked in $((SECONDS - started))s)"
    return 0
  fi
  command -v java >/dev/null 2>&1 || die "java not found: the Schema Registry needs a Java 17+ runtime on PATH"
  command -v mvn >/dev/null 2>&1 || die "mvn not found: Maven fetches the Schema Registry from Maven Central"
  say "fetching Apicurio Registry $version (prebuilt Quarkus app, ~105 MB) from Maven Central"
  local parent
  parent=$(dirname "$home")
  mkdir -p "$parent"
  # Unpacked beside the final directory, then renamed; .complete is written last, so a crash
  # at any point makes the next run start over.
  work=$(mktemp -d "$parent/.$version.partial.XXXXXX")
  trap '[[ -z "$work" ]] || rm -rf "$work"' EXIT
  mvn -q -B -Dstyle.color=never -f "$toolchain_dir/schema-registry/pom.xml" dependency:unpack \
    -Dapicurio.version="$version" \
    -Dschema-registry.output="$work/dist" \
    -Dschema-registry.markers="$work/markers"
  [[ -f "$work/dist/$runner_jar" ]] || die "the unpacked zip has no $runner_jar: $(ls "$work/dist")"
  rm -rf "$home"
  mv "$work/dist" "$home"
  rm -rf "$work"
  trap - EXIT
  # The class-data archive must be written at its final path (it records the jar paths).
  train_class_data_archive || say "no class-data archive (start-up stays ~2x slower): see $home/cds-training.log"
  touch "$home/.complete"
  say "apicurio-registry $version: $home ($(find "$home/lib" -mindepth 1 -maxdepth 1 | wc -l) jars) installed in $((SECONDS - started))s"
}

install_schema_registry
