#!/usr/bin/env bash
# The Go side of the addon: this project's composition function (functions/compose-platform).
#   go-function.sh lint   gofmt (no file may need formatting), go vet and golangci-lint (the
#                         function's .golangci.yml; the binary is built once from the Go module
#                         proxy by install-go-tools.sh, as npm test's install does)
#   go-function.sh test   go test, then the function binary the render tests run (cached by the
#                         hash of its sources: a no-op when nothing changed)
# Both use the Go environment install-go-tools.sh builds the binary with (GOTOOLCHAIN, GOFLAGS,
# CGO_ENABLED: --print-go-env), so tests compile what is shipped. `nice`: two shared cores.
set -euo pipefail
addons_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
install_go_tools="$addons_dir/../tools/toolchain/scripts/install-go-tools.sh"
tool=function-compose-platform
cd "$addons_dir/functions/compose-platform"
eval "$(bash "$install_go_tools" --print-go-env "$tool")"

case "${1:-}" in
  lint)
    unformatted=$(gofmt -l .)
    if [[ -n "$unformatted" ]]; then
      echo "gofmt: these files need formatting (gofmt -w):" >&2
      echo "$unformatted" >&2
      exit 1
    fi
    nice go vet ./...
    golangci_lint=$(bash "$install_go_tools" --print-bin golangci-lint)
    # npm test builds every Go tool first; a lint run on its own builds it here (once, cached).
    [[ -x "$golangci_lint" ]] || bash "$install_go_tools" --only golangci-lint
    nice "$golangci_lint" run ./...
    ;;
  test)
    nice go test -count=1 ./...
    bash "$install_go_tools" --only "$tool"
    ;;
  *)
    echo "usage: $0 lint|test" >&2
    exit 2
    ;;
esac
