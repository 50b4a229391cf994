#!/usr/bin/env bash
# Runs shellcheck (the Debian package install.sh installs) on every *.sh below the given folders,
# with the repository's .shellcheckrc. The projects' lint targets call it:
#   bash <rel>/tools/toolchain/scripts/shellcheck.sh <folder>...
set -euo pipefail

if ! command -v shellcheck >/dev/null 2>&1; then
  printf '[toolchain] ERROR: shellcheck is not installed: run `npm run setup` (tools/toolchain/scripts/install.sh; Debian package shellcheck)\n' >&2
  exit 1
fi
(($# > 0)) || set -- .
scripts=()
while IFS= read -r -d '' script; do scripts+=("$script"); done < <(
  find "$@" -name node_modules -prune -o -name dist -prune -o -type f -name '*.sh' -print0 | sort -z
)
((${#scripts[@]} > 0)) || { printf '[toolchain] shellcheck: no *.sh below %s\n' "$*"; exit 0; }
shellcheck "${scripts[@]}"
printf '[toolchain] shellcheck: %d scripts clean\n' "${#scripts[@]}"
