#!/usr/bin/env bash
# Builds the service images from services/Dockerfile with buildah (--isolation chroot) into the
# project's image storage (tools/toolchain/scripts/buildah.sh), tagged as a release publishes
# them (images.json): <registry>/<namespace>/<service>:<version>. The nx target `image` of each
# service runs this for one service; the release workflow can run it for all.
#
# The base image services/Dockerfile names is the local stand-in (build-node-base-image.sh) unless
# RTP_IMAGE_BASE=registry, where buildah pulls it (a machine that reaches the registry).
# Layers are cached (--layers), so an unchanged tree rebuilds in seconds. RUN steps see this
# machine's npm configuration (its npmrc files and CA bundle, read-only) and its npm cache, so
# `npm ci` inside the build reuses what the workspace's own `npm ci` downloaded; none of them
# ends up in an image. Builds are serialized (a lock): the second build of the shared stage is a
# cache hit, not a second compile.
#
# Usage: build-images.sh [--print-name <service> | --print-build-args <service>] [service...]
#        (default: every images.json service; --print-build-args prints one --build-arg=K=V a line)
# Env:   RTP_IMAGE_BASE=registry   pull the base image instead of building the local stand-in
#        IMAGE_BUILDER=docker-buildx  build with `docker buildx build` instead (a release runner that
#                                     reaches Docker Hub; the base is pulled), with
#          IMAGE_PLATFORMS (e.g. linux/amd64,linux/arm64), IMAGE_PROVENANCE (e.g. mode=max),
#          IMAGE_PUSH=true (push instead of keeping the result in the build cache)
#        IMAGE_REPOSITORY (default <registry>/<namespace> of images.json), IMAGE_TAG (default the
#          service's package.json version): the tag is $IMAGE_REPOSITORY/<service>:$IMAGE_TAG
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../../.." && pwd)
toolchain="$repo_root/tools/toolchain"
catalog="$here/../images.json"
buildah=(bash "$toolchain/scripts/buildah.sh")
say() { printf '[images] %s\n' "$*"; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }

# <name>\t<description>\t<build args, one --build-arg=K=V each> for a service (any folder of services/).
# NODE_OPTIONS is images.json's nodeOptions (the heap cap every service gets) then the service's
# own nodeOptions, joined by one space (tools/local-platform serviceNodeOptions reads it the same
# way; tools/images/test holds the two and the built images to each other).
describe() {
  node -e "
    const fs = require('node:fs');
    const [catalogPath, root, service] = process.argv.slice(1);
    const catalog = JSON.parse(fs.readFileSync(catalogPath, 'utf8'));
    const manifest = root + '/services/' + service + '/package.json';
    if (!fs.existsSync(manifest)) { console.error('no service ' + service + ' (services/' + service + '/package.json)'); process.exit(1); }
    const { version, description = service } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    const repository = process.env.IMAGE_REPOSITORY || catalog.registry + '/' + catalog.namespace;
    const tag = process.env.IMAGE_TAG || version;
    const entry = catalog.services[service] ?? {};
    const nodeOptions = [catalog.nodeOptions, entry.nodeOptions].filter(Boolean).join(' ');
    const buildArgs = { ...entry.buildArgs, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
    const args = Object.entries(buildArgs).map(([k, v]) => '--build-arg=' + k + '=' + v);
    console.log([repository + '/' + service + ':' + tag, description.replace(/\s+/g, ' '), ...args].join('\t'));
  " "$catalog" "$repo_root" "$1"
}

if [[ "${1:-}" == "--print-name" ]]; then
  describe "${2:?--print-name needs a service}" | cut -f1
  exit 0
fi
if [[ "${1:-}" == "--print-build-args" ]]; then
  describe "${2:?--print-build-args needs a service}" | cut -f3- | tr '\t' '\n'
  exit 0
fi

services=("$@")
if ((${#services[@]} == 0)); then
  mapfile -t services < <(node -e "console.log(Object.keys(require(process.argv[1]).services).join('\n'))" "$catalog")
fi

builder=${IMAGE_BUILDER:-buildah}
[[ "$builder" == buildah || "$builder" == docker-buildx ]] || die "IMAGE_BUILDER must be buildah or docker-buildx (got $builder)"
base_image=$(node -p "require('$toolchain/toolchain.json').nodeBaseImage.name")

cache_dir=$(bash "$toolchain/scripts/install.sh" --print-cache-dir)
mkdir -p "$cache_dir/containers"
exec 9>"$cache_dir/containers/build.lock"
flock 9

pull=never
if [[ "$builder" == docker-buildx || "${RTP_IMAGE_BASE:-local}" == "registry" ]]; then
  pull=true
elif [[ "$builder" == buildah ]]; then
  bash "$here/build-node-base-image.sh"
fi

# This machine's npm setup for RUN steps (read-only), and its npm cache.
mounts=(-v "$(npm config get cache):/root/.npm")
for config in "$(npm config get globalconfig)" "$(npm config get userconfig)"; do
  [[ -f "$config" ]] || continue
  case "$config" in
    "$HOME"/*) mounts+=(-v "$config:/root/.npmrc:ro") ;;
    *) mounts+=(-v "$config:/usr/local/etc/npmrc:ro") ;;
  esac
done
[[ -d /etc/ssl/certs ]] && mounts+=(-v /etc/ssl/certs:/etc/ssl/certs:ro)

summary=()
for service in "${services[@]}"; do
  IFS=$'\t' read -r -a described < <(describe "$service")
  name=${described[0]}
  started=$SECONDS
  say "building $name (services/Dockerfile, SERVICE=$service)"
  log="$cache_dir/containers/build-$service.log"
  labels=(
    --label "org.opencontainers.image.title=$service"
    --label "org.opencontainers.image.description=${described[1]}"
    --label "org.opencontainers.image.version=${name##*:}"
    --label "org.opencontainers.image.base.name=$base_image"
  )
  if [[ "$builder" == docker-buildx ]]; then
    buildx=(buildx build -f "$repo_root/services/Dockerfile" --build-arg "SERVICE=$service" "${described[@]:2}" "${labels[@]}" -t "$name")
    [[ -z "${IMAGE_PLATFORMS:-}" ]] || buildx+=(--platform "$IMAGE_PLATFORMS")
    [[ -z "${IMAGE_PROVENANCE:-}" ]] || buildx+=(--provenance "$IMAGE_PROVENANCE")
    [[ "${IMAGE_PUSH:-}" != true ]] || buildx+=(--push)
    docker "${buildx[@]}" "$repo_root" || die "$name failed to build"
    summary+=("$(printf '%-52s %5ss' "$name" "$((SECONDS - started))")")
    continue
  fi
  if ! "${buildah[@]}" bud --isolation chroot --layers --pull="$pull" \
    -f "$repo_root/services/Dockerfile" --ignorefile "$repo_root/services/Dockerfile.dockerignore" \
    --build-arg "SERVICE=$service" "${described[@]:2}" "${mounts[@]}" "${labels[@]}" \
    -t "$name" "$repo_root" >"$log" 2>&1; then
    tail -40 "$log" >&2
    die "$name failed to build (log: $log)"
  fi
  seconds=$((SECONDS - started))
  size=$("${buildah[@]}" images --format '{{.Size}}' "$name" | head -1)
  summary+=("$(printf '%-52s %9s %5ss' "$name" "$size" "$seconds")")
done
for line in "${summary[@]}"; do say "$line"; done
