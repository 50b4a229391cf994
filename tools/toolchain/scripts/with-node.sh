#!/usr/bin/env bash
# Runs a command under the pinned Node (toolchain.json "node", installed by install.sh into the
# cache): its directory goes first on PATH, so `node`, every `#!/usr/bin/env node` bin (nx, jest,
# tsc, npm itself) and every process the tests spawn (process.execPath) use it. npm ci may still
# run under the machine's own node; what is built, linted, tested and started runs here.
#
# Usage: with-node.sh <command> [args...]
set -euo pipefail

node_bin=$(bash "$(dirname "${BASH_SOURCE[0]}")/install.sh" --print-node-bin)
if [[ ! -x "$node_bin" ]]; then
  printf '[toolchain] ERROR: %s is not installed: run `npm run setup` (tools/toolchain/scripts/install.sh)\n' "$node_bin" >&2
  exit 1
fi
node_dir=$(dirname "$node_bin")
export PATH="$node_dir:$PATH"
exec "$@"
