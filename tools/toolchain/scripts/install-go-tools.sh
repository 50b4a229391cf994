#!/usr/bin/env bash
# Builds, once and cached, the Go-built tools the KubeVela addon is proven with:
#   vela (KubeVela CLI), crossplane (crank), function-auto-ready, cue, actionlint (the GitHub
#   workflows' checker) - from the Go module proxy;
#   function-compose-platform - this repository's own composition function (addons/functions/);
#   with --with-cluster-tools also the local control plane of the cluster tests: etcd,
#   kube-apiserver/-controller-manager/-scheduler + kubectl, kwok, vela-core, Crossplane core,
#   provider-helm and an OCI registry - from the Go module proxy.
# Versions and sources live in ../go-tools/go-tools.json ("tools" and "clusterTools": modules of
# the proxy; "localTools": folders of this repository, whose dependencies come from the proxy).
# Each binary lands in <cache>/go-tools/<tool>/<version>/<binary>; a local tool's <version> is
# src-<hash of its sources>, so an edit rebuilds it. A second run only checks (~1 s).
#
# Usage: install-go-tools.sh [--with-cluster-tools] [--only tool[,tool...]] [--print-bin tool]
#                            [--print-go-env tool] [--print-ldflags tool]
#   --with-cluster-tools also builds "clusterTools" (~15-25 min and ~1 GB more on a new 2-core
#   machine); --only builds just the named tools, of any section.
#   --print-go-env prints the `export` lines this script builds <tool> with (GOTOOLCHAIN, GOFLAGS,
#   CGO_ENABLED): the addon's go test and go vet use them, so tests compile as the binary does.
# Env:   RTP_CACHE_DIR        cache root (default ${XDG_CACHE_HOME:-~/.cache}/realtime-platform)
#        RTP_SKIP_GO_TOOLS=1  do nothing (machines without Go)
#
# Tools marked "optional" in go-tools.json may fail to build (e.g. the module proxy refuses the
# version): the exact error is kept in <cache>/go-tools/<tool>/<version>/build-error.log, reported,
# and the script still succeeds. A required tool that fails to build fails the script (its error
# is kept in the same place).
set -euo pipefail

toolchain_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
manifest="$toolchain_dir/go-tools/go-tools.json"
# Keep in step with src/cache-dir.ts and install.sh.
cache_dir="${RTP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-platform}"
tools_root="$cache_dir/go-tools"

say() { printf '[go-tools] %s\n' "$*"; }
die() { printf '[go-tools] ERROR: %s\n' "$*" >&2; exit 1; }
# The manifest is read once (one node start, not one per field): TOOL_<name>_<field>=value lines.
# A local tool's version is src-<the first 16 hex digits of a SHA-256 over its sources>: every file
# of its folder except *_test.go, *.md, testdata/ and package/, as "<relative path>\0<content>\0" in
# byte order of the paths. src/go-tools.ts (sourceTreeVersion) computes the same; a test checks both.
repo_root=$(cd "$toolchain_dir/../.." && pwd)
declare -A spec=()
while IFS=$'\t' read -r key value; do spec[$key]=$value; done < <(node -e "
  const fs = require('node:fs'), path = require('node:path'), crypto = require('node:crypto');
  const [manifestPath, repoRoot] = process.argv.slice(1);
  const manifest = require(manifestPath);
  const sourceVersion = (dir) => {
    const files = [];
    const walk = (rel) => {
      for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const child = rel ? rel + '/' + entry.name : entry.name;
        if (entry.isDirectory()) { if (!['testdata', 'package'].includes(child)) walk(child); }
        else if (entry.isFile() && !/_test\\.go$|\\.md$/.test(entry.name)) files.push(child);
      }
    };
    if (!fs.existsSync(dir)) return 'src-missing';
    walk('');
    const hash = crypto.createHash('sha256');
    for (const file of files.sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)))))
      hash.update(file + '\\0').update(fs.readFileSync(path.join(dir, file))).update('\\0');
    return 'src-' + hash.digest('hex').slice(0, 16);
  };
  const tools = (section) => Object.entries(manifest[section] ?? {}).filter(([name]) => !name.startsWith('\$'));
  // ldflags may name the version and its major and minor numbers (v1.34.4: {major} 1, {minor} 34).
  const expand = (text, version) => {
    const [major, minor] = version.replace(/^v/, '').split('.');
    return text.replaceAll('{version}', version).replaceAll('{major}', major).replaceAll('{minor}', minor);
  };
  for (const [name, t] of [...tools('tools'), ...tools('clusterTools')]) {
    for (const f of ['module','version','package','binary','binaries','keep','optional','goToolchain','relativeReplaces','versionFile'])
      console.log(name + '.' + f + '\t' + (t[f] === undefined ? '' : t[f]));
    console.log(name + '.ldflags\t' + expand(t.ldflags ?? '', t.version));
  }
  for (const [name, t] of tools('localTools')) {
    for (const f of ['source','package','binary','goToolchain'])
      console.log(name + '.' + f + '\t' + (t[f] === undefined ? '' : t[f]));
    console.log(name + '.version\t' + sourceVersion(path.join(repoRoot, t.source)));
  }
  console.log('.names\t' + [...tools('tools'), ...tools('localTools')].map(([name]) => name).join(' '));
  console.log('.clusterNames\t' + tools('clusterTools').map(([name]) => name).join(' '));" "$manifest" "$repo_root")
field() { echo "${spec[$1.$2]-}"; }
tool_names() { echo "${spec[.names]}"; }
cluster_tool_names() { echo "${spec[.clusterNames]}"; }
is_local() { [[ -n "$(field "$1" source)" ]]; }
bin_path() { echo "$tools_root/$1/$(field "$1" version)/$(field "$1" binary)"; }
# Every binary of a tool (a tool with several packages has several); the primary one is bin_path.
binaries() { local list; list=$(field "$1" binaries); echo "${list:-$(field "$1" binary)}" | tr ',' ' '; }
built() {
  local dir b
  dir=$(dirname "$(bin_path "$1")")
  for b in $(binaries "$1"); do [[ -x "$dir/$b" ]] || return 1; done
}
known() { [[ " $(tool_names) $(cluster_tool_names) " == *" $1 "* ]] || die "unknown tool: $1 (see $manifest)"; }
# The Go environment every build (and the addon's go test/vet) runs with: the tool's pinned
# toolchain or the local one (never a toolchain switch a go.mod asks for), no cgo, reproducible
# paths, two packages at a time (two cores).
go_env() {
  local toolchain flags="${GOFLAGS:-}"
  toolchain=$(field "$1" goToolchain)
  [[ "$flags" == *"-trimpath"* ]] || flags="$flags -trimpath"
  [[ "$flags" == *"-p="* ]] || flags="$flags -p=2"
  printf 'export GOTOOLCHAIN=%q\nexport CGO_ENABLED=0\nexport GOFLAGS=%q\n' "${toolchain:-local}" "${flags# }"
}

# Every binary is stripped; a tool's own -X flags (go-tools.json ldflags) are added to these.
ldflags="-s -w"
only=""
with_cluster_tools=""
while (($# > 0)); do
  case "$1" in
    --print-bin) [[ -n "${2:-}" ]] || die "--print-bin needs a tool name"; known "$2"; bin_path "$2"; exit 0 ;;
    --print-go-env) [[ -n "${2:-}" ]] || die "--print-go-env needs a tool name"; known "$2"; go_env "$2"; exit 0 ;;
    --print-ldflags) [[ -n "${2:-}" ]] || die "--print-ldflags needs a tool name"; known "$2"; echo "$ldflags $(field "$2" ldflags)"; exit 0 ;;
    --only) [[ -n "${2:-}" ]] || die "--only needs tool names"; only=",$2,"; shift ;;
    --with-cluster-tools) with_cluster_tools=1 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
if [[ -n "$only" ]]; then
  for tool in ${only//,/ }; do known "$tool"; done
fi

if [[ -n "${RTP_SKIP_GO_TOOLS:-}" ]]; then
  say "skipped (RTP_SKIP_GO_TOOLS is set)"
  exit 0
fi
command -v go >/dev/null 2>&1 || die "go not found: the Go-built tools need Go 1.23+ on PATH"

started=$SECONDS
failed_optional=()

# The module's directory in the module cache (downloads module@version: .info, .mod, .zip only).
module_dir() {
  go mod download -json "$1@$2" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})"
}

# Download the module, copy it out of the read-only module cache and build inside it, so its own
# go.mod - replace directives included - and go.sum decide every dependency. (`go install m@v` is
# not used: it reads the proxy's version list for a deprecation check, which the proxy here
# refuses with 403.) Every step is checked explicitly: errexit does not apply inside `if`.
build_tool() {
  local tool=$1 out=$2 module version package dir work extra=""
  if is_local "$tool"; then
    # This repository's own program: built in place, its go.mod and go.sum decide every dependency
    # (fetched from the Go module proxy into the module cache). `nice`: other work shares two cores.
    (cd "$repo_root/$(field "$tool" source)" && eval "$(go_env "$tool")" &&
      nice go build -ldflags "$ldflags" -o "$out" "$(field "$tool" package)") || return 1
    return 0
  fi
  module=$(field "$tool" module)
  version=$(field "$tool" version)
  package=$(field "$tool" package)
  dir=$(module_dir "$module" "$version") || return 1
  work=$(mktemp -d) || return 1
  { cp -R "$dir/." "$work/" && chmod -R u+w "$work"; } || { rm -rf "$work"; return 1; }
  [[ -z "$(field "$tool" ldflags)" ]] || extra=" $(field "$tool" ldflags)"
  # A file the module's release tooling generates (FerretDB's version.txt, from git describe) is
  # missing from the module zip: it gets the module version.
  if [[ -n "$(field "$tool" versionFile)" ]]; then
    echo "$version" >"$work/$(field "$tool" versionFile)" || { rm -rf "$work"; return 1; }
  fi
  # A module may carry a go.work naming folders its zip lacks (k8s.io/kubernetes: ./staging): the
  # module's go.mod alone decides (GOWORK=off).
  # -mod=readonly: a module zip keeps vendor/modules.txt but no vendored code (distribution's),
  # which would otherwise switch the build to -mod=vendor and fail.
  local mod_flags="-mod=readonly"
  if [[ -n "$(field "$tool" relativeReplaces)" ]]; then
    rewrite_relative_replaces "$work" "$(field "$tool" relativeReplaces)" || { rm -rf "$work"; return 1; }
    # The rewritten modules have no go.sum lines yet: the build adds them (checked against the
    # checksum database like any download).
    mod_flags="-mod=mod"
  fi
  # A tool whose sources need an older compiler names it (goToolchain): the go command fetches that
  # toolchain from the module proxy (golang.org/toolchain) once and caches it (go_env).
  # Several packages build in one go build into a folder, one binary each (named after the package).
  local -a packages
  read -r -a packages <<<"$package"
  # Each build runs in a subshell of its own: GOWORK=off (and go_env) hold there only.
  # shellcheck disable=SC2030,SC2031
  if ((${#packages[@]} > 1)); then
    {
      mkdir -p "$out" &&
        (cd "$work" && eval "$(go_env "$tool")" && export GOWORK=off &&
          nice go build $mod_flags -ldflags "$ldflags$extra" -o "$out/" "${packages[@]}")
    } || { rm -rf "$work"; return 1; }
  else
    (cd "$work" && eval "$(go_env "$tool")" && export GOWORK=off &&
      nice go build $mod_flags -ldflags "$ldflags$extra" -o "$out" "$package") || { rm -rf "$work"; return 1; }
  fi
  rm -rf "$work"
}

# Rewrites every replace of a required module by a folder (./staging/src/k8s.io/api, ../api) to
# that module at <version> from the module proxy: the module zip does not contain those folders.
# Replaces of modules the go.mod does not require (etcd's ./FORBIDDEN_DEPENDENCY guards) stay.
rewrite_relative_replaces() {
  local work=$1 version=$2 edits
  edits=$(cd "$work" && go mod edit -json | node -e "
    let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => {
      const mod = JSON.parse(s), version = process.argv[1];
      const required = new Set((mod.Require ?? []).map((r) => r.Path));
      const edits = (mod.Replace ?? [])
        .filter((r) => /^\.\.?\//.test(r.New.Path) && required.has(r.Old.Path))
        .map((r) => '-replace=' + r.Old.Path + '=' + r.Old.Path + '@' + version);
      if (edits.length === 0) { console.error('no folder replaces of required modules to rewrite'); process.exit(1); }
      console.log(edits.join('\n'));
    });" "$version") || return 1
  # shellcheck disable=SC2086 # one edit per line, none contains spaces
  (cd "$work" && go mod edit $edits) || return 1
  say "$(wc -l <<<"$edits") folder replaces rewritten to <module>@$version"
}

# Files of the module kept beside the binary (e.g. vela-core's built-in definitions, which offline
# `vela dry-run` needs to render `type: webservice`): <dir>/module/<path>, copied once.
keep_module_files() {
  local tool=$1 dir=$2 paths module version src
  is_local "$tool" && return 0
  paths=$(field "$tool" keep)
  [[ -n "$paths" ]] || return 0
  # .complete names the kept paths: a changed keep list copies again.
  [[ "$(cat "$dir/module/.complete" 2>/dev/null)" == "$paths" ]] && return 0
  module=$(field "$tool" module)
  version=$(field "$tool" version)
  src=$(module_dir "$module" "$version") || return 1
  rm -rf "$dir/module"
  for path in ${paths//,/ }; do
    mkdir -p "$dir/module/$(dirname "$path")"
    cp -R "$src/$path" "$dir/module/$path"
  done
  chmod -R u+w "$dir/module"
  echo "$paths" >"$dir/module/.complete"
}

selected=$(tool_names)
[[ -z "$with_cluster_tools" && -z "$only" ]] || selected="$selected $(cluster_tool_names)"
for tool in $selected; do
  [[ -z "$only" || "$only" == *",$tool,"* ]] || continue
  version=$(field "$tool" version)
  bin=$(bin_path "$tool")
  dir=$(dirname "$bin")
  if built "$tool"; then
    keep_module_files "$tool" "$dir"
    say "$tool: $version ($bin)"
    continue
  fi
  # An optional tool the proxy refused is retried once a day (or with RTP_RETRY_GO_TOOLS=1), so a
  # cached run stays fast.
  if [[ "$(field "$tool" optional)" == "true" && -f "$dir/build-error.log" && -z "${RTP_RETRY_GO_TOOLS:-}" ]] &&
    [[ -n "$(find "$dir/build-error.log" -mmin -1440 2>/dev/null)" ]]; then
    failed_optional+=("$tool")
    say "$tool: NOT BUILT (optional; failed within the last day, see $dir/build-error.log)"
    continue
  fi
  mkdir -p "$dir"
  if is_local "$tool"; then
    say "$tool: building $(field "$tool" source) ($version)"
  else
    say "$tool: building $(field "$tool" module)@$version"
  fi
  t0=$SECONDS
  log="$dir/build-error.log"
  rm -f "$bin.partial" "$log"
  if ! is_local "$tool" && [[ "$(field "$tool" package)" == *" "* ]]; then
    # Several binaries: built into a folder, moved in, the primary one last (built() checks all).
    rm -rf "$dir/binaries.partial"
    if build_tool "$tool" "$dir/binaries.partial" 2>"$log.tmp"; then
      for b in $(binaries "$tool"); do
        [[ "$b" == "$(field "$tool" binary)" ]] || mv "$dir/binaries.partial/$b" "$dir/$b"
      done
      mv "$dir/binaries.partial/$(field "$tool" binary)" "$bin.partial"
      rm -rf "$dir/binaries.partial"
      build_ok=1
    else
      rm -rf "$dir/binaries.partial"
      build_ok=""
    fi
  elif build_tool "$tool" "$bin.partial" 2>"$log.tmp"; then
    build_ok=1
  else
    build_ok=""
  fi
  if [[ -n "$build_ok" ]]; then
    mv "$bin.partial" "$bin"
    rm -f "$log.tmp"
    echo "$((SECONDS - t0))" >"$dir/build-seconds"
    # A local tool's earlier builds (other source hashes) go once a day old: checkouts of other
    # branches sharing the cache build their own and use them meanwhile (deleting them at once
    # removed binaries under running tests of another checkout).
    if is_local "$tool"; then
      find "$tools_root/$tool" -mindepth 1 -maxdepth 1 -type d -name 'src-*' ! -path "$dir" -mmin +1440 -exec rm -rf {} +
    fi
    keep_module_files "$tool" "$dir"
    say "$tool: built in $((SECONDS - t0))s, $(cd "$dir" && binaries "$tool" | xargs du -cm | tail -1 | cut -f1) MB ($bin)"
  else
    mv "$log.tmp" "$log"
    rm -f "$bin.partial"
    if [[ "$(field "$tool" optional)" == "true" ]]; then
      failed_optional+=("$tool")
      say "$tool: NOT BUILT (optional; exact error in $log):"
      sed 's/^/[go-tools]   /' "$log" | tail -5
    else
      cat "$log" >&2
      die "$tool $version failed to build (log: $log)"
    fi
  fi
done

if ((${#failed_optional[@]} > 0)); then
  say "optional tools not built: ${failed_optional[*]} (tests needing them say so)"
fi
say "ready in $((SECONDS - started))s (cache: $tools_root)"
