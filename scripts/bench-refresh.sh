#!/usr/bin/env bash
# make bench (second part) / make bench-refresh: what one refresh of N external
# certificates costs, batched (batch_reads = true, the default) against one
# request per certificate (batch_reads = false), in one run against one mock.
#
# For each N the mock is seeded with N external certificates (POST /_mock/seed;
# earlier sizes stay, so the account grows: 1, then 101, then 1,101, ...) and a
# state holding them is written directly (an apply of 10,000 resources would
# dominate the run); one `apply -refresh-only` fills it in (PEM), then each mode
# runs `plan -refresh-only` BENCH_RUNS times: API requests (from /_mock/stats)
# and wall time, median of the runs.
#
#   BENCH_REFRESH_SIZES="1 100 1000"   # the sizes (default); BENCH_N adds one above 1000
#   BENCH_N=10000 make bench-refresh   # adds N = 10,000
#   BENCH_RUNS=3 BENCH_PARALLELISM=10 BENCH_TIMEOUT=900
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-900}
PARALLELISM=${BENCH_PARALLELISM:-10}
read -r -a SIZES <<<"${BENCH_REFRESH_SIZES:-1 100 1000}"
if [[ -n "${BENCH_N:-}" && "${BENCH_N}" -gt 1000 ]]; then
  SIZES+=("$BENCH_N")
fi
for n in "${SIZES[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "sizes must be positive integers, got '$n'"
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, got '$RUNS'"
command -v jq >/dev/null 2>&1 || die "bench-refresh needs jq (to write the state)"
command -v curl >/dev/null 2>&1 || die "bench-refresh needs curl (POST /_mock/seed)"

lib_init bench-refresh
mock_start -dcv-delay 0s
host="registry.terraform.io"
[[ "$CLI_NAME" == OpenTofu* ]] && host="registry.opentofu.org"

# workdir DIR BATCH: a configuration with the provider only; the state holds the resources.
workdir() {
  mkdir -p "$1"
  cat >"$1/main.tf" <<EOF
terraform {
  required_providers {
    ncloudcert = {
      source = "ncloudcert/ncloudcert"
    }
  }
}

provider "ncloudcert" {
  batch_reads = $2
}
EOF
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ROWS="$WORK/rows.txt"
: >"$ROWS"
for n in "${SIZES[@]}"; do
  log "N = $n: seeding, writing the state, one refresh to fill it"
  seeded=$(curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"count\":$n,\"types\":[\"external\"],\"prefix\":\"r$n\"}" "$MOCK_URL/_mock/seed")
  first=$(jq -r .first <<<"$seeded")
  dir="$WORK/n$n"
  workdir "$dir/batched" true
  workdir "$dir/old" false
  jq -n --argjson first "$first" --argjson n "$n" --arg prefix "r$n" --arg host "$host" '{
    version: 4, terraform_version: "1.11.4", serial: 1, lineage: "00000000-0000-0000-0000-0000000bench0",
    outputs: {},
    resources: [{
      mode: "managed", type: "ncloudcert_external_certificate", name: "c",
      provider: ("provider[\"" + $host + "/ncloudcert/ncloudcert\"]"),
      instances: [range(0; $n) as $i | {index_key: $i, schema_version: 0, sensitive_attributes: [],
        attributes: {id: (($first + $i) | tostring), name: "\($prefix)-external-\($i)"}}]
    }]
  }' >"$dir/batched/terraform.tfstate"
  (cd "$dir/batched" && timeout "$TIMEOUT" "$TERRAFORM" apply -refresh-only -auto-approve -no-color -input=false \
    -parallelism="$PARALLELISM" >"$dir/fill.log" 2>&1) || {
    tail -n 30 "$dir/fill.log" >&2
    die "the refresh that fills the state of N = $n failed"
  }
  cp "$dir/batched/terraform.tfstate" "$dir/old/terraform.tfstate"
  account=$(stats_certificates "$(mock_stats)")
  for ((run = 0; run < RUNS; run++)); do
    for mode in batched old; do
      s0=$(mock_stats)
      t0=$(date +%s.%N)
      (cd "$dir/$mode" && timeout "$TIMEOUT" "$TERRAFORM" plan -refresh-only -no-color -input=false \
        -parallelism="$PARALLELISM" >>"$dir/$mode.log" 2>&1) || {
        tail -n 30 "$dir/$mode.log" >&2
        die "plan -refresh-only of N = $n ($mode) failed"
      }
      wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
      requests=$(($(stats_total_requests "$(mock_stats)") - $(stats_total_requests "$s0")))
      echo "$n $mode $requests $wall $account" >>"$ROWS"
    done
  done
done

echo
echo "make bench (refresh): plan -refresh-only of N external certificates, $CLI_NAME, -parallelism=$PARALLELISM,"
echo "$(nproc 2>/dev/null || echo '?') CPUs; medians of $RUNS run(s); requests counted by the mock; the account holds earlier sizes too."
echo
printf '%8s %9s | %17s %12s | %17s %12s\n' N account "batched requests" "batched wall" "old requests" "old wall"
for n in "${SIZES[@]}"; do
  col() { awk -v n="$n" -v m="$1" -v c="$2" '$1 == n && $2 == m { print $c }' "$ROWS" | median; }
  account=$(awk -v n="$n" '$1 == n { print $5; exit }' "$ROWS")
  printf '%8s %9s | %17s %11ss | %17s %11ss\n' "$n" "$account" "$(col batched 3)" "$(col batched 4)" "$(col old 3)" "$(col old 4)"
done
echo
verdict=0
for n in "${SIZES[@]}"; do
  req=$(awk -v n="$n" '$1 == n && $2 == "batched" { print $3 }' "$ROWS" | sort -g | tail -1)
  if [[ $n == 1 && $req != 1 ]] || ((n >= 1000 && req > 20)) || ((req > n)); then
    echo "MISSED: N = $n cost $req requests batched (targets: 1 at N = 1, <= 20 at N >= 1,000, never more than N)"
    verdict=1
  fi
done
[[ $verdict == 0 ]] && echo "refresh targets met: 1 request at N = 1, <= 20 at N >= 1,000, never more than N (external certificates)"
if [[ -n "${BENCH_STRICT:-}" && $verdict != 0 ]]; then
  exit 1
fi
