#!/usr/bin/env bash
# Prints the provider's version (semantic, no leading v): the tag vX.Y.Z when
# HEAD carries one, else the version of CHANGELOG.md's "(Unreleased)" heading,
# the release being prepared. `make install` and the release use it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
semver='[0-9]+\.[0-9]+\.[0-9]+'
if tag=$(git -C "$root" describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null) && [[ $tag =~ ^v($semver)$ ]]; then
  printf '%s\n' "${BASH_REMATCH[1]}"
  exit 0
fi
line=$(grep -m 1 -E "^## $semver \(Unreleased\)" "$root/CHANGELOG.md" || true)
[[ $line =~ ^##\ ($semver) ]] || {
  echo "version.sh: no tag vX.Y.Z on HEAD and no '## X.Y.Z (Unreleased)' heading in CHANGELOG.md" >&2
  exit 1
}
printf '%s\n' "${BASH_REMATCH[1]}"
