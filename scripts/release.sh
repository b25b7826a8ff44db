#!/usr/bin/env bash
# Builds the release artifacts into dist/ with goreleaser, in the Terraform
# Registry's format, then checks them (scripts/release-check.sh).
#
#   scripts/release.sh snapshot   version X.Y.Z-snapshot (X.Y.Z from scripts/version.sh),
#                                 signed with a throwaway GPG key made for the run
#                                 (its public key is written to dist/ to verify with)
#   scripts/release.sh release    the tag vX.Y.Z on HEAD, signed with the key
#                                 GPG_FINGERPRINT names; publishes a draft GitHub
#                                 release when GITHUB_TOKEN is set
#
# GORELEASER names the goreleaser binary (make builds it from tools/release).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mode=${1:-}
: "${GORELEASER:?GORELEASER must name the goreleaser binary (make release-snapshot builds it)}"
project=terraform-provider-ncloudcert
version=$(scripts/version.sh)
args=(release --clean)

case "$mode" in
  snapshot)
    version="$version-snapshot"
    args+=(--snapshot)
    # A throwaway key in a private keyring: a snapshot is signed for real,
    # with nothing of the user's keyring touched.
    GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/ncloudcert-gnupg.XXXXXX")
    export GNUPGHOME
    trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
    gpg --batch --quiet --passphrase '' --quick-generate-key \
      "ncloudcert snapshot signing key (throwaway) <snapshot@ncloudcert.invalid>" ed25519 sign 1d
    GPG_FINGERPRINT=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
    export GPG_FINGERPRINT
    ;;
  release)
    [[ -n "${GPG_FINGERPRINT:-}" ]] || { echo "release.sh: set GPG_FINGERPRINT to the signing key's fingerprint" >&2; exit 1; }
    git describe --tags --exact-match "v$version" >/dev/null 2>&1 || {
      echo "release.sh: HEAD is not tagged v$version (CHANGELOG.md's version); tag it first" >&2
      exit 1
    }
    [[ -n "${GITHUB_TOKEN:-}" ]] || args+=(--skip=publish)
    ;;
  *)
    echo "usage: release.sh snapshot|release" >&2
    exit 2
    ;;
esac

export RELEASE_VERSION=$version
"$GORELEASER" "${args[@]}"

# The registry reads the manifest beside the archives; the checksums list it.
cp terraform-registry-manifest.json "dist/${project}_${version}_manifest.json"
if [[ $mode == snapshot ]]; then
  gpg --batch --armor --export "$GPG_FINGERPRINT" >"dist/${project}_${version}_signing-key.asc"
fi
scripts/release-check.sh dist "$version"
