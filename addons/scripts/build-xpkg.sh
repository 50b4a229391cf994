#!/usr/bin/env bash
# Builds the Crossplane package (xpkg) of this project's composition function with the real
# `crossplane xpkg build` (the crank binary install-go-tools.sh builds):
#   npx nx run addons:xpkg   ->  addons/dist/xpkg/function-compose-platform.xpkg
# The package holds package/crossplane.yaml and the input CRD; no runtime image is embedded yet, so
# a cluster runs the function with Crossplane's External package runtime (as the cluster tests do:
# tools/local-cluster runs the binary with TLS and gives Crossplane its endpoint). Push it with
#   crossplane xpkg push -f addons/dist/xpkg/function-compose-platform.xpkg <registry>/<path>:<tag>
set -euo pipefail
addons_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
install_go_tools="$addons_dir/../tools/toolchain/scripts/install-go-tools.sh"
crossplane=$(bash "$install_go_tools" --print-bin crossplane)
[[ -x "$crossplane" ]] || {
  echo "crossplane (crank) is not built: bash $install_go_tools --only crossplane" >&2
  exit 1
}
package_root="$addons_dir/functions/compose-platform/package"
out_dir="$addons_dir/dist/xpkg"
mkdir -p "$out_dir"
rm -f "$out_dir/function-compose-platform.xpkg"
"$crossplane" xpkg build \
  --package-root="$package_root" \
  --examples-root="$package_root/examples" \
  --package-file="$out_dir/function-compose-platform.xpkg"
echo "wrote $out_dir/function-compose-platform.xpkg"
