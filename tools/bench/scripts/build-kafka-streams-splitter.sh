#!/usr/bin/env bash
# Builds the Kafka Streams baseline (../kafka-streams-splitter) once into the tool cache and prints
# the directory holding kafka-streams-splitter.jar and lib/. The cache key is a hash of the app's
# sources and the Kafka version of tools/toolchain/toolchain.json, so a change of either rebuilds
# and an unchanged tree never calls Maven. Maven runs offline first (-o: everything is in ~/.m2 after
# the first build) and online only when something is missing.
# Env: RTP_CACHE_DIR   cache root (default ${XDG_CACHE_HOME:-~/.cache}/realtime-platform)
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo_dir=$(cd "$bench_dir/../.." && pwd)
app_dir="$bench_dir/kafka-streams-splitter"
# Keep in step with tools/toolchain/src/cache-dir.ts.
cache_dir="${RTP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-platform}"

command -v java >/dev/null 2>&1 || { echo "[bench] java not found: the baseline needs Java 17+" >&2; exit 1; }
kafka_version=$(node -e "console.log(require(process.argv[1]).kafka.version)" "$repo_dir/tools/toolchain/toolchain.json")
hash=$(
  {
    echo "kafka $kafka_version"
    cd "$app_dir" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum
  } | sha256sum | cut -c1-16
)
out="$cache_dir/bench/kafka-streams-splitter/$kafka_version-$hash"

if [[ ! -f "$out/.complete" ]]; then
  command -v mvn >/dev/null 2>&1 || { echo "[bench] mvn not found: Maven builds the baseline" >&2; exit 1; }
  echo "[bench] building the Kafka Streams baseline (Kafka $kafka_version) into $out" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp -r "$app_dir/pom.xml" "$app_dir/src" "$work/"
  args=(-q -B -Dstyle.color=never -f "$work/pom.xml" "-Dkafka.version=$kafka_version" -DskipTests
    package dependency:copy-dependencies)
  if ! mvn -o "${args[@]}" >"$work/offline.log" 2>&1; then
    mvn "${args[@]}" >&2
  fi
  rm -rf "$out.partial"
  mkdir -p "$out.partial"
  cp "$work/target/kafka-streams-splitter.jar" "$out.partial/"
  cp -r "$work/target/lib" "$out.partial/lib"
  rm -rf "$out"
  mv "$out.partial" "$out"
  touch "$out/.complete"
fi
echo "$out"
