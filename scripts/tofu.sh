#!/usr/bin/env bash
# Prints the absolute path of an OpenTofu CLI for `make test-matrix`:
#   TOFU (a path, or a command on PATH) when set; else ./bin/tofu from an
#   earlier run; else OpenTofu TOFU_VERSION (default v1.11.6) built from its
#   module, fetched through the Go module proxy, with a plain `go build`
#   (`go install` refuses the replace directives of its go.mod). Takes a few
#   minutes, once. Progress goes to stderr, only the path to stdout.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$root/bin/tofu"
version=${TOFU_VERSION:-v1.11.6}

if [[ -n "${TOFU:-}" ]]; then
  want=$TOFU
  [[ "$want" == */* ]] || want=$(command -v "$TOFU") || { echo "tofu.sh: TOFU=$TOFU: no such command" >&2; exit 1; }
  "$want" version >/dev/null 2>&1 || { echo "tofu.sh: TOFU=$TOFU does not run" >&2; exit 1; }
  (cd "$(dirname "$want")" && printf '%s/%s\n' "$(pwd)" "$(basename "$want")")
  exit 0
fi
if [[ -x "$bin" ]] && "$bin" version >/dev/null 2>&1; then
  printf '%s\n' "$bin"
  exit 0
fi

echo "tofu.sh: building OpenTofu $version into $bin (a few minutes, once)" >&2
# The module's source, as the module proxy serves it (read-only in the module cache).
dir=$(cd "${TMPDIR:-/tmp}" && GO111MODULE=on go mod download -json "github.com/opentofu/opentofu@$version" |
  sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",*$/\1/p')
[[ -n "$dir" && -d "$dir" ]] || { echo "tofu.sh: could not download github.com/opentofu/opentofu@$version" >&2; exit 1; }
mkdir -p "$root/bin"
(cd "$dir" && go build -trimpath -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$bin" ./cmd/tofu) >&2
"$bin" version >/dev/null 2>&1 || { echo "tofu.sh: built $bin does not run" >&2; exit 1; }
printf '%s\n' "$bin"
