#!/usr/bin/env bash
# Prints the absolute path of a Terraform CLI (1.5 or newer) to use for tests,
# docs, the demo and the benchmark, installing one into ./bin when needed.
# OpenTofu works too: name it in TERRAFORM (`make test TERRAFORM=/path/to/tofu`).
#
# Order of preference:
#   1. $TERRAFORM (a path, or a command name on PATH): must be usable, no
#      fallback;
#   2. $TF_ACC_TERRAFORM_PATH, when it points at a usable binary;
#   3. `terraform` on PATH;
#   4. ./bin/terraform from an earlier run of this script;
#   5. `go install github.com/hashicorp/terraform@v1.5.7` into ./bin (the last
#      MPL-licensed release, served by the Go module proxy; takes a few minutes
#      the first time).
#
# Only the path goes to stdout; progress goes to stderr.
#
#   scripts/terraform.sh --host BIN   prints the registry host BIN resolves
#                                     `namespace/type` sources to:
#                                     registry.opentofu.org for OpenTofu,
#                                     else registry.terraform.io
#                                     (for TF_ACC_PROVIDER_HOST).
#   scripts/terraform.sh --name BIN   prints "Terraform 1.11.4" or "OpenTofu 1.11.6".
#   scripts/terraform.sh --install V  builds Terraform V (e.g. v1.5.7) from the Go
#                                     module proxy into ./bin/terraform-V/ once and
#                                     prints its path (make test-matrix). Releases
#                                     after 1.10 cannot be built that way: their
#                                     backends are nested modules that the module
#                                     archive leaves out; pass those as binaries.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir="$root/bin"
fallback_version="${TERRAFORM_INSTALL_VERSION:-v1.5.7}"
min_major=1
min_minor=5

# A CLI configuration file that does not exist makes every terraform command
# print a warning; it configures nothing, so ignore it.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -f "${TF_CLI_CONFIG_FILE}" ]]; then
  unset TF_CLI_CONFIG_FILE
fi
export CHECKPOINT_DISABLE=1

# usable BIN: succeeds when BIN runs and reports version >= 1.5.
usable() {
  local bin=$1 out ver major minor
  [[ -x "$bin" ]] || return 1
  out=$("$bin" version -json 2>/dev/null) || return 1
  ver=$(printf '%s\n' "$out" | sed -n 's/.*"terraform_version": *"\([0-9][0-9.]*\).*/\1/p' | head -n 1)
  [[ -n "$ver" ]] || return 1
  major=${ver%%.*}
  minor=${ver#*.}
  minor=${minor%%.*}
  if ((major > min_major || (major == min_major && minor >= min_minor))); then
    return 0
  fi
  echo "terraform.sh: ignoring $bin: version $ver is older than $min_major.$min_minor" >&2
  return 1
}

abspath() {
  local p=$1
  case "$p" in
    /*) printf '%s\n' "$p" ;;
    *) printf '%s/%s\n' "$(cd "$(dirname "$p")" && pwd)" "$(basename "$p")" ;;
  esac
}

if [[ "${1:-}" == --host ]]; then
  [[ $# -eq 2 ]] || {
    echo "usage: terraform.sh --host BIN" >&2
    exit 2
  }
  # `tofu version` starts with "OpenTofu v1.11.6", `terraform version` with
  # "Terraform v1.11.4". (No pipe into head or grep -q: under pipefail, the
  # CLI dying of SIGPIPE would fail the test at random.)
  out=$("$2" version 2>/dev/null) || true
  case "$out" in
    OpenTofu*) echo registry.opentofu.org ;;
    *) echo registry.terraform.io ;;
  esac
  exit 0
fi

if [[ "${1:-}" == --name ]]; then
  [[ $# -eq 2 ]] || {
    echo "usage: terraform.sh --name BIN" >&2
    exit 2
  }
  out=$("$2" version 2>/dev/null) || true
  first=${out%%$'\n'*}
  case "$first" in
    "OpenTofu v"* | "Terraform v"*) printf '%s %s\n' "${first%% *}" "${first#* v}" ;;
    *) printf '%s\n' "${first:-unknown CLI}" ;;
  esac
  exit 0
fi

if [[ "${1:-}" == --install ]]; then
  [[ $# -eq 2 && $2 == v* ]] || {
    echo "usage: terraform.sh --install vX.Y.Z" >&2
    exit 2
  }
  dir="$bin_dir/terraform-$2"
  if ! usable "$dir/terraform"; then
    echo "terraform.sh: building github.com/hashicorp/terraform@$2 into $dir (a few minutes, once)" >&2
    mkdir -p "$dir"
    (cd "$dir" && GOBIN="$dir" go install "github.com/hashicorp/terraform@$2") >&2
    usable "$dir/terraform" || {
      echo "terraform.sh: built $dir/terraform does not run" >&2
      exit 1
    }
  fi
  printf '%s\n' "$dir/terraform"
  exit 0
fi

if [[ -n "${TERRAFORM:-}" ]]; then
  want=$TERRAFORM
  if [[ "$want" != */* ]]; then
    want=$(command -v "$TERRAFORM" 2>/dev/null) || {
      echo "terraform.sh: TERRAFORM=$TERRAFORM: no such command on PATH" >&2
      exit 1
    }
  fi
  usable "$want" || {
    echo "terraform.sh: TERRAFORM=$TERRAFORM is not a usable Terraform (1.5 or newer) or OpenTofu CLI" >&2
    exit 1
  }
  abspath "$want"
  exit 0
fi

if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]] && usable "$TF_ACC_TERRAFORM_PATH"; then
  abspath "$TF_ACC_TERRAFORM_PATH"
  exit 0
fi

if on_path=$(command -v terraform 2>/dev/null) && usable "$on_path"; then
  abspath "$on_path"
  exit 0
fi

if usable "$bin_dir/terraform"; then
  printf '%s\n' "$bin_dir/terraform"
  exit 0
fi

echo "terraform.sh: no Terraform >= $min_major.$min_minor found; installing github.com/hashicorp/terraform@$fallback_version into $bin_dir (a few minutes, once)" >&2
mkdir -p "$bin_dir"
# Build outside the provider's module so its go.mod is not consulted.
(cd "$bin_dir" && GOBIN="$bin_dir" go install "github.com/hashicorp/terraform@$fallback_version") >&2
if ! usable "$bin_dir/terraform"; then
  echo "terraform.sh: installed $bin_dir/terraform does not run" >&2
  exit 1
fi
printf '%s\n' "$bin_dir/terraform"
