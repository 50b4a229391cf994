#!/usr/bin/env bash
# Builds the Crossplane package (xpkg) of this project's composition function with the real
# `crossplane xpkg build` (the crank binary install-go-tools.sh builds), with its runtime image
# embedded (addons:function-image, tools/images/scripts/build-function-image.sh):
#   npx nx run addons:xpkg   ->  addons/dist/xpkg/function-compose-platform.xpkg
# The package is one OCI image: package/crossplane.yaml and the input CRD in the package layer, the
# runtime image's layers and configuration (entrypoint /function, user 65532) around it, so a
# cluster's Crossplane runs the function from it like any published function. A release pushes it
# where the addon's composeFunctionPackage default points:
#   crossplane xpkg push -f addons/dist/xpkg/function-compose-platform.xpkg ghcr.io/realtime-platform/function-compose-platform:v0.1.0
set -euo pipefail
addons_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
install_go_tools="$addons_dir/../tools/toolchain/scripts/install-go-tools.sh"
crossplane=$(bash "$install_go_tools" --print-bin crossplane)
[[ -x "$crossplane" ]] || {
  echo "crossplane (crank) is not built: bash $install_go_tools --only crossplane" >&2
  exit 1
}
runtime_image="$addons_dir/dist/images/function-compose-platform-runtime.tar"
[[ -f "$runtime_image" ]] || {
  echo "the function's runtime image is not built: npx nx run addons:function-image" >&2
  exit 1
}
package_root="$addons_dir/functions/compose-platform/package"
examples=()
[[ -d "$package_root/examples" ]] && examples=(--examples-root="$package_root/examples")
out_dir="$addons_dir/dist/xpkg"
mkdir -p "$out_dir"
rm -f "$out_dir/function-compose-platform.xpkg"
"$crossplane" xpkg build \
  --package-root="$package_root" "${examples[@]}" \
  --embed-runtime-image-tarball="$runtime_image" \
  --package-file="$out_dir/function-compose-platform.xpkg"
echo "wrote $out_dir/function-compose-platform.xpkg"
