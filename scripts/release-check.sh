#!/usr/bin/env bash
# Checks release artifacts as the Terraform Registry and a user would:
#   scripts/release-check.sh DIST VERSION
# - one zip per platform (linux, darwin, windows, freebsd on amd64 and arm64),
#   each holding only terraform-provider-ncloudcert_vVERSION (.exe on Windows);
# - the SHA256SUMS list every zip and the manifest, and every checksum matches;
# - SHA256SUMS.sig is a valid detached GPG signature of SHA256SUMS (keyring:
#   GNUPGHOME, or the snapshot's DIST/*_signing-key.asc);
# - the manifest is terraform-registry-manifest.json;
# - the linux/amd64 binary was built with -trimpath, CGO_ENABLED=0 and the
#   version stamped, and serves the provider: Terraform installs the zip from a
#   packed filesystem mirror and reads the provider's schema through it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist=$(cd "${1:?usage: release-check.sh DIST VERSION}" && pwd)
version=${2:?usage: release-check.sh DIST VERSION}
project=terraform-provider-ncloudcert
platforms=(linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64 freebsd_amd64 freebsd_arm64)
sums="${project}_${version}_SHA256SUMS"
failures=0
fail() { printf 'release-check: FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }
ok() { printf 'release-check: ok: %s\n' "$*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ncloudcert-release-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

for p in "${platforms[@]}"; do
  zip="${project}_${version}_${p}.zip"
  want="${project}_v${version}"
  [[ $p == windows_* ]] && want="$want.exe"
  if [[ ! -f "$dist/$zip" ]]; then
    fail "missing $zip"
    continue
  fi
  got=$(unzip -Z1 "$dist/$zip")
  [[ $got == "$want" ]] && ok "$zip holds $want" || fail "$zip holds [$got], want [$want]"
  grep -q " $zip\$" "$dist/$sums" 2>/dev/null || fail "$sums does not list $zip"
done

if [[ -f "$dist/$sums" ]]; then
  (cd "$dist" && sha256sum --quiet --strict -c "$sums") && ok "every checksum in $sums matches" || fail "checksums do not match"
  grep -q " ${project}_${version}_manifest.json\$" "$dist/$sums" || fail "$sums does not list the manifest"
  if grep -q "\.sig\$" "$dist/$sums"; then fail "$sums lists a signature (it must list the zips and the manifest only)"; fi
else
  fail "missing $sums"
fi

if [[ -f "$dist/$sums.sig" ]]; then
  keyring=()
  if key=$(compgen -G "$dist/${project}_${version}_signing-key.asc"); then
    gpg --batch --quiet --yes --dearmor -o "$work/key.gpg" "$key"
    keyring=(--no-default-keyring --keyring "$work/key.gpg")
  fi
  if gpg --batch "${keyring[@]}" --verify "$dist/$sums.sig" "$dist/$sums" 2>"$work/gpg.out"; then
    ok "$sums.sig verifies ($(grep -o 'using [A-Z0-9]* key [A-F0-9]*' "$work/gpg.out" | head -n 1))"
  else
    cat "$work/gpg.out" >&2
    fail "$sums.sig does not verify"
  fi
else
  fail "missing $sums.sig"
fi

cmp -s "$dist/${project}_${version}_manifest.json" "$root/terraform-registry-manifest.json" &&
  ok "manifest matches terraform-registry-manifest.json" || fail "manifest missing or different"

# The linux/amd64 binary: build settings, then Terraform installs and runs it.
if [[ -f "$dist/${project}_${version}_linux_amd64.zip" ]]; then
  unzip -q -o "$dist/${project}_${version}_linux_amd64.zip" -d "$work/bin"
  info=$(go version -m "$work/bin/${project}_v${version}")
  for want in "-trimpath=true" "CGO_ENABLED=0"; do
    [[ $info == *"$want"* ]] && ok "linux_amd64 binary: $want" || fail "linux_amd64 binary was not built with $want"
  done
  # -trimpath keeps -ldflags out of the build information: look for the value itself.
  grep -aqF "$version" "$work/bin/${project}_v${version}" && ok "linux_amd64 binary: version $version stamped" ||
    fail "linux_amd64 binary does not hold its version $version (main.version not stamped)"

  tf=$("$root/scripts/terraform.sh")
  host=$("$root/scripts/terraform.sh" --host "$tf")
  mirror="$work/mirror/$host/ncloudcert/ncloudcert"
  mkdir -p "$mirror" "$work/config"
  cp "$dist/${project}_${version}_linux_amd64.zip" "$mirror/"
  cat >"$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["$host/ncloudcert/ncloudcert"]
  }
}
CFG
  cat >"$work/config/main.tf" <<CFG
terraform {
  required_providers {
    ncloudcert = {
      source  = "ncloudcert/ncloudcert"
      version = "$version"
    }
  }
}
provider "ncloudcert" {
  access_key = "release-check"
  secret_key = "release-check"
  endpoint   = "http://127.0.0.1:9"
}
CFG
  if (cd "$work/config" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 "$tf" init -input=false -no-color >"$work/init.out" 2>&1 &&
    TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 "$tf" providers schema -json >"$work/schema.json" 2>"$work/schema.err"); then
    if grep -q '"ncloudcert_external_certificate"' "$work/schema.json" && grep -q "$version" "$work/config/.terraform.lock.hcl"; then
      ok "$(basename "$tf") installed the linux_amd64 zip from a mirror and read the provider's schema from it"
    else
      fail "the provider served no ncloudcert_external_certificate schema, or the lock file does not pin $version"
    fi
  else
    cat "$work/init.out" "$work/schema.err" >&2 2>/dev/null || true
    fail "$(basename "$tf") could not install or run the linux_amd64 zip"
  fi
fi

if ((failures > 0)); then
  echo "release-check: $failures check(s) failed" >&2
  exit 1
fi
echo "release-check: all checks passed for $version in $dist" >&2
