#!/usr/bin/env bash
# Runs Debian's buildah on this project's image storage, under the tool cache, so the images, the
# locally built base image and the layer cache survive between runs and never mix with the
# machine's own /var/lib/containers:
#   graph root <cache>/containers/storage; run root /run/realtime-platform/containers-<first 12
#   hex digits of the SHA-256 of the graph root> (tmpfs: mount state must not outlive a reboot;
#   one per graph root: two storages must never share one); driver overlay.
# src/buildah.ts computes the same paths (a test checks that both agree).
#
# Usage: buildah.sh <buildah arguments>     e.g. buildah.sh images
#        buildah.sh --print-storage-args    the global options, one per line
set -euo pipefail

cache_dir="${RTP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-platform}"
graph_root="$cache_dir/containers/storage"
run_root="/run/realtime-platform/containers-$(printf '%s' "$graph_root" | sha256sum | cut -c1-12)"
storage_args=(--root "$graph_root" --runroot "$run_root" --storage-driver overlay)

if [[ "${1:-}" == "--print-storage-args" ]]; then
  printf '%s\n' "${storage_args[@]}"
  exit 0
fi
if ! command -v buildah >/dev/null 2>&1; then
  echo "[toolchain] ERROR: buildah is not installed: run \`sudo bash tools/toolchain/scripts/install.sh --with-images\` (Debian packages buildah, mmdebstrap)" >&2
  exit 127
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "[toolchain] ERROR: the images are built and run as root (buildah --isolation chroot, mmdebstrap --mode=root): run as root" >&2
  exit 1
fi
exec buildah "${storage_args[@]}" "$@"
