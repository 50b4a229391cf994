#!/usr/bin/env bash
# Builds the runtime image of this project's composition function (addons/functions/
# compose-platform/Dockerfile: the static binary install-go-tools.sh builds, FROM scratch) with
# buildah (--isolation chroot) and writes it as a docker-archive tarball, the form
# `crossplane xpkg build --embed-runtime-image-tarball` takes (addons/scripts/build-xpkg.sh).
#   nx: addons:function-image  ->  addons/dist/images/function-compose-platform-runtime.tar
# The image is tagged <registry>/<namespace>/function-compose-platform-runtime:v<addons version>
# (images.json); what a release publishes is the xpkg that embeds it.
#
# Usage: build-function-image.sh [--print-name | --bin <binary>]
#   --bin takes the binary from elsewhere (e.g. a release's GOARCH=arm64 build) instead of the
#   cached one for the current sources.
# Env:   IMAGE_BUILDER=docker-buildx  build with `docker buildx build` (a release runner) instead
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../../.." && pwd)
toolchain="$repo_root/tools/toolchain"
buildah=(bash "$toolchain/scripts/buildah.sh")
say() { printf '[images] %s\n' "$*"; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }

name=$(node -e "
  const catalog = require(process.argv[1]);
  const { version } = require(process.argv[2]);
  console.log(catalog.registry + '/' + catalog.namespace + '/function-compose-platform-runtime:v' + version);
" "$here/../images.json" "$repo_root/addons/package.json")
if [[ "${1:-}" == "--print-name" ]]; then
  echo "$name"
  exit 0
fi

install_go_tools="$toolchain/scripts/install-go-tools.sh"
if [[ "${1:-}" == "--bin" ]]; then
  bin=$(realpath "${2:?--bin needs a path}")
  [[ "$(basename "$bin")" == function-compose-platform ]] || die "--bin must name a file called function-compose-platform"
else
  bin=$(bash "$install_go_tools" --print-bin function-compose-platform)
fi
# Built by `npm test`'s install step (install.sh --with-go-tools); never started from here, since
# the Go-tools installer must not run twice at once.
[[ -x "$bin" ]] || die "function-compose-platform is not built for these sources: bash $install_go_tools --only function-compose-platform"

out_dir="$repo_root/addons/dist/images"
tarball="$out_dir/function-compose-platform-runtime.tar"
mkdir -p "$out_dir"
labels=(
  --label "org.opencontainers.image.title=function-compose-platform"
  --label "org.opencontainers.image.source=https://github.com/realtime-platform/realtime-platform"
)
started=$SECONDS
if [[ "${IMAGE_BUILDER:-buildah}" == docker-buildx ]]; then
  docker buildx build -f "$repo_root/addons/functions/compose-platform/Dockerfile" "${labels[@]}" \
    --output "type=docker,dest=$tarball" -t "$name" "$(dirname "$bin")"
  say "$name ($((SECONDS - started))s) -> $tarball"
  exit 0
fi

cache_dir=$(bash "$toolchain/scripts/install.sh" --print-cache-dir)
mkdir -p "$cache_dir/containers"
exec 9>"$cache_dir/containers/build.lock"
flock 9
"${buildah[@]}" bud --quiet --isolation chroot --layers --pull=never \
  -f "$repo_root/addons/functions/compose-platform/Dockerfile" "${labels[@]}" \
  -t "$name" "$(dirname "$bin")" >/dev/null
rm -f "$tarball"
"${buildah[@]}" push --quiet "$name" "docker-archive:$tarball:$name" >/dev/null
say "$(printf '%-52s %9s %5ss' "$name" "$("${buildah[@]}" images --format '{{.Size}}' "$name" | head -1)" "$((SECONDS - started))") -> $tarball"
