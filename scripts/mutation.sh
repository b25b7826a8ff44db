#!/usr/bin/env bash
# Mutation testing of internal/client, internal/mockserver and internal/provider
# (its unit tests: the acceptance tests skip without TF_ACC) with gremlins
# (pinned in tools/mutation/go.mod). Run by `make mutation`, which builds
# ./bin/gremlins first; never by .ci/run or `make test`: it takes tens of
# minutes on a 2-core machine.
#
# gremlins gathers coverage with `go test -cover`, then for each mutant in a
# covered line (mutants no test reaches are only counted, NOT COVERED) applies
# it in a per-worker copy of the module and runs `go test` on the mutant's
# package: a failing test KILLS it, a passing run lets it LIVE.
#   efficacy       = killed / (killed + lived)
#   mutant coverage = (killed + lived) / (killed + lived + not covered)
#
# It runs on a snapshot of the work tree in a temporary directory (the files
# git tracks plus untracked ones it does not ignore, so no ./bin or .tmp), so
# edits made while it runs do not shift the mutants and nothing is written to
# the repo. The snapshot and gremlins' own work dirs are removed on exit.
#
# Knobs (environment):
#   MUTATION_PKGS      packages, relative to the repo root
#                      (default: internal/client internal/mockserver internal/provider)
#   MUTATION_WORKERS   mutants tested at once (default 2: one per core)
#   MUTATION_TIMEOUT_COEFFICIENT
#                      a mutant's `go test` times out after this many times the
#                      duration of the coverage run (default 5; gremlins' own
#                      default of 3 times out good mutants on a busy machine)
#   MUTATION_TEST_TIMEOUT
#                      `go test -timeout` of the coverage run (default 5m; it
#                      would otherwise hang 10 minutes on a stuck test)
#   MUTATION_ARGS      extra `gremlins unleash` flags, e.g. --dry-run, or
#                      --invert-logical to enable more mutators
#   GREMLINS           the gremlins binary (default: ./bin/gremlins)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gremlins=${GREMLINS:-$root/bin/gremlins}
read -r -a pkgs <<<"${MUTATION_PKGS:-internal/client internal/mockserver internal/provider}"
workers=${MUTATION_WORKERS:-2}
coef=${MUTATION_TIMEOUT_COEFFICIENT:-5}
test_timeout=${MUTATION_TEST_TIMEOUT:-5m}
read -r -a extra <<<"${MUTATION_ARGS:-}"

if [[ ! -x $gremlins ]]; then
	echo "mutation: $gremlins not found; run 'make mutation'" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ncloudcert-mutation.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src
logs=$tmp/logs
mkdir -p "$src" "$logs"

# The snapshot. Outside a git work tree (an unpacked archive), everything but
# the build outputs.
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$root" ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			# Tracked files deleted in the work tree are still listed.
			if [[ -e $root/$f || -L $root/$f ]]; then printf '%s\0' "$f"; fi
		done |
		tar -C "$root" --null -T - -cf - | tar -C "$src" -xf -
else
	tar -C "$root" --exclude=./bin --exclude=./.tmp --exclude=./dist --exclude=./.git -cf - . |
		tar -C "$src" -xf -
fi

# As in `make test`: the tests never see a real account.
unset NCLOUD_ACCESS_KEY NCLOUD_SECRET_KEY NCLOUD_CERTIFICATE_MANAGER_ENDPOINT NCLOUD_SITE
# The provider's acceptance tests need the Terraform CLI and take minutes per
# run: mutants are judged by its unit tests (they skip without TF_ACC).
unset TF_ACC
# gremlins' temporary copies (one per worker) go under the snapshot too.
export TMPDIR=$tmp
export NO_COLOR=1
# gremlins runs the coverage `go test` with no -timeout; GOFLAGS gives it one.
# Each mutant's `go test` passes its own -timeout, which wins over GOFLAGS.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-timeout=$test_timeout"

echo "mutation: $("$gremlins" --version 2>&1 | head -n1); workers=$workers timeout-coefficient=$coef; packages: ${pkgs[*]}"
start=$SECONDS
status=0
for pkg in "${pkgs[@]}"; do
	echo
	echo "=== gremlins unleash $pkg"
	pstart=$SECONDS
	# gremlins exits non-zero only on an error (no thresholds are set here).
	if ! (cd "$src" && "$gremlins" unleash \
		--workers "$workers" \
		--timeout-coefficient "$coef" \
		"${extra[@]}" \
		"$src/$pkg") 2>&1 | tee "$logs/${pkg//\//_}.log"; then
		echo "mutation: gremlins failed on $pkg" >&2
		status=1
	fi
	echo "=== $pkg: $((SECONDS - pstart))s"
done

# The figures per package, then every mutant that survived.
echo
echo "=== mutation summary ($((SECONDS - start))s in all)"
printf '%-22s %7s %6s %6s %8s %8s %9s %9s\n' package killed lived 'n/cov' 'timeout' 'n/viable' efficacy 'mut.cov'
for pkg in "${pkgs[@]}"; do
	log=$logs/${pkg//\//_}.log
	awk -v pkg="$pkg" '
		/Killed: [0-9]+, Lived: [0-9]+, Not covered: [0-9]+/ {
			gsub(/,/, ""); k = $2; l = $4; nc = $7
		}
		/Timed out: [0-9]+, Not viable: [0-9]+/ { gsub(/,/, ""); to = $3; nv = $6 }
		/Test efficacy:/ { eff = $3 }
		/Mutator coverage:/ { cov = $3 }
		/Runnable: [0-9]+, Not covered: [0-9]+/ { gsub(/,/, ""); k = "dry:" $2; nc = $5 }
		END {
			if (k == "") { printf "%-22s (no result: see the log above)\n", pkg; exit }
			printf "%-22s %7s %6s %6s %8s %8s %9s %9s\n", pkg, k, l, nc, to, nv, eff, cov
		}' "$log"
done
echo
echo "=== LIVED mutants (no test failed when the code was changed), with the line as it was in the snapshot"
n=0
for pkg in "${pkgs[@]}"; do
	# gremlins prints "LIVED <TYPE> at <file relative to the package>:<line>:<col>".
	while read -r _ type _ pos; do
		file=${pos%%:*} rest=${pos#*:}
		line=${rest%%:*}
		code=$(sed -n "${line}p" "$src/$pkg/$file" 2>/dev/null | sed -E 's/^[[:space:]]+//')
		printf '%s/%-28s %-22s %s\n' "$pkg" "$pos" "$type" "$code"
		n=$((n + 1))
	done < <(grep -E '^ *LIVED ' "$logs/${pkg//\//_}.log" || true)
done
if ((n == 0)); then echo "(none)"; fi
exit "$status"
