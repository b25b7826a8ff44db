# shellcheck shell=bash
# The stats helpers map each of the characters ",{}" to a newline with tr:
# shellcheck disable=SC2020
# Helpers shared by scripts/demo.sh and scripts/bench.sh. Source it; do not run it.
#
# After `lib_init`, these are set:
#   ROOT       repository root
#   WORK       a private temporary directory, removed on exit
#   TERRAFORM  absolute path of the Terraform or OpenTofu CLI (scripts/terraform.sh;
#              `make ... TERRAFORM=/path/to/tofu` picks OpenTofu)
#   CLI_NAME   "Terraform 1.11.4" or "OpenTofu 1.11.6", for messages
#   MOCK_URL   base URL of the mock, once mock_start has run
# and an EXIT trap stops the mock and removes WORK, whatever happens.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROVIDER_BIN="$ROOT/bin/terraform-provider-ncloudcert"
MOCK_BIN="$ROOT/bin/ncloudcert-mock"
# The provider's source address; write_cli_config maps it on both registry
# hosts, since Terraform resolves it to registry.terraform.io and OpenTofu to
# registry.opentofu.org.
PROVIDER_SOURCE="ncloudcert/ncloudcert"
REGISTRY_HOSTS=(registry.terraform.io registry.opentofu.org)
WORK=""
CLI_NAME=""
MOCK_PID=""
MOCK_URL=""

log() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

lib_cleanup() {
  local rc=$?
  mock_stop
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ $rc -ne 0 && -n "${KEEP_WORK_ON_FAILURE:-}" ]]; then
      log "kept $WORK for inspection"
    else
      rm -rf "$WORK"
    fi
  fi
  return "$rc"
}

# lib_init NAME [installed]: checks the binaries, finds Terraform, makes WORK
# and the CLI configuration, and installs the cleanup trap. The configuration
# takes the provider from ./bin through dev_overrides (no `init`), or, with
# "installed", is empty: the CLI then finds the provider that `make install`
# put in its implied local mirror, as a user's would, and `init` is needed.
lib_init() {
  local name=$1 mode=${2:-}
  [[ -x "$PROVIDER_BIN" && -x "$MOCK_BIN" ]] || die "bin/terraform-provider-ncloudcert and bin/ncloudcert-mock are missing: run 'make build' first"
  TERRAFORM=$("$ROOT/scripts/terraform.sh")
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/ncloudcert-$name.XXXXXX")
  trap lib_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  if [[ $mode == installed ]]; then
    # An empty file: no dev_overrides, and no provider_installation of the
    # user's that would hide the implied local mirror.
    : >"$WORK/terraformrc"
    export TF_CLI_CONFIG_FILE="$WORK/terraformrc"
  else
    write_cli_config "$PROVIDER_SOURCE=$ROOT/bin"
  fi
  export CHECKPOINT_DISABLE=1
  export TF_IN_AUTOMATION=1
  export TF_INPUT=0
  # The CLI's own logging: off, so the runs are what a user sees. Variables
  # read only by the plugins (TF_LOG_SDK*, TF_LOG_PROVIDER_NCLOUDCERT) are
  # kept: setting one turns off the provider's quieting of unread logs.
  unset TF_LOG TF_LOG_CORE TF_LOG_PROVIDER TF_LOG_PATH TF_WORKSPACE TF_DATA_DIR
  CLI_NAME=$("$ROOT/scripts/terraform.sh" --name "$TERRAFORM")
  log "CLI: $TERRAFORM ($CLI_NAME)"
}

# write_cli_config SOURCE=DIR...: points TF_CLI_CONFIG_FILE at a CLI
# configuration whose dev_overrides take each provider SOURCE
# ("namespace/type") from DIR on both registry hosts (Terraform's and
# OpenTofu's), so either CLI runs them with no registry and no `init`; any
# other registry provider is refused rather than downloaded.
write_cli_config() {
  local pair host
  {
    echo 'provider_installation {'
    echo '  dev_overrides {'
    for pair in "$@"; do
      for host in "${REGISTRY_HOSTS[@]}"; do
        printf '    "%s/%s" = "%s"\n' "$host" "${pair%%=*}" "${pair#*=}"
      done
    done
    echo '  }'
    echo '  direct {'
    printf '    exclude = ['
    printf '"%s/*/*", ' "${REGISTRY_HOSTS[@]}" | sed 's/, $//'
    echo ']'
    echo '  }'
    echo '}'
  } >"$WORK/terraformrc"
  export TF_CLI_CONFIG_FILE="$WORK/terraformrc"
}

# mock_start [FLAGS...]: starts bin/ncloudcert-mock on a free loopback port
# and sets MOCK_URL from its first line of output.
mock_start() {
  local line="" i
  : >"$WORK/mock.out"
  # Job control puts the mock in its own process group, so a Ctrl-C meant for
  # terraform does not kill it mid-step; the EXIT trap stops it.
  set -m
  "$MOCK_BIN" -addr 127.0.0.1:0 "$@" \
    >"$WORK/mock.out" 2>"$WORK/mock.log" </dev/null &
  MOCK_PID=$!
  set +m
  for ((i = 0; i < 300; i++)); do
    # Only a whole first line counts: read fails until its newline is written.
    if IFS= read -r line <"$WORK/mock.out" && [[ "$line" == "ncloudcert-mock listening on "* ]]; then
      MOCK_URL=${line#ncloudcert-mock listening on }
      break
    fi
    if ! kill -0 "$MOCK_PID" 2>/dev/null; then
      MOCK_PID=""
      cat "$WORK/mock.log" >&2
      die "the mock exited before it was listening"
    fi
    sleep 0.1
  done
  [[ -n "$MOCK_URL" ]] || die "the mock printed no 'listening on' line within 30s"
  export NCLOUD_ACCESS_KEY="${MOCK_ACCESS_KEY:-ncloudcert-demo-access-key}"
  export NCLOUD_SECRET_KEY="${MOCK_SECRET_KEY:-ncloudcert-demo-secret-key}"
  export NCLOUD_CERTIFICATE_MANAGER_ENDPOINT="$MOCK_URL"
  unset NCLOUD_SITE
  log "mock listening on $MOCK_URL (pid $MOCK_PID, log $WORK/mock.log)"
}

# mock_stop: SIGTERM, then wait for the mock to exit (SIGKILL after 10s).
mock_stop() {
  [[ -n "$MOCK_PID" ]] || return 0
  local pid=$MOCK_PID i
  MOCK_PID=""
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# http_get URL: prints the response body (curl when present, else bash's /dev/tcp).
http_get() {
  local url=$1
  if command -v curl >/dev/null 2>&1; then
    curl -fsS "$url"
    return
  fi
  local rest=${url#http://} hostport path host port
  hostport=${rest%%/*}
  path=/${rest#*/}
  host=${hostport%:*}
  port=${hostport##*:}
  exec 3<>"/dev/tcp/$host/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$hostport" >&3
  # Drop the status line and headers.
  sed '1,/^\r\{0,1\}$/d' <&3
  exec 3<&-
}

# mock_stats: the mock's /_mock/stats JSON.
mock_stats() { http_get "$MOCK_URL/_mock/stats"; }

# stats_total_requests JSON: sum of all per-operation request counts.
stats_total_requests() {
  printf '%s\n' "$1" | tr ',{}' '\n\n\n' |
    awk -F: '/"[A-Za-z0-9_]+"[[:space:]]*:[[:space:]]*[0-9]+/ && $1 !~ /"certificates"/ { gsub(/[^0-9]/, "", $2); n += $2 } END { print n + 0 }'
}

# stats_certificates JSON: the "certificates" figure.
stats_certificates() {
  printf '%s\n' "$1" | tr ',{}' '\n\n\n' |
    awk -F: '$1 ~ /"certificates"/ { gsub(/[^0-9]/, "", $2); print $2 + 0; found = 1 } END { if (!found) print 0 }'
}

# stats_nonzero JSON: "operation count" lines for operations with requests.
stats_nonzero() {
  printf '%s\n' "$1" | tr ',{}' '\n\n\n' |
    awk -F: '/"[A-Za-z0-9_]+"[[:space:]]*:[[:space:]]*[0-9]+/ && $1 !~ /"certificates"/ { k = $1; gsub(/[" \t]/, "", k); v = $2; gsub(/[^0-9]/, "", v); if (v + 0 > 0) printf "  %-36s %d\n", k, v }'
}

# stats_delta BEFORE AFTER: "operation count" lines for operations whose count grew.
stats_delta() {
  {
    printf '%s\n' "$1" | tr ',{}' '\n\n\n' | sed 's/^/B /'
    printf '%s\n' "$2" | tr ',{}' '\n\n\n' | sed 's/^/A /'
  } | awk '
    { side = $1; sub(/^[AB] /, "") }
    /"[A-Za-z0-9_]+"[[:space:]]*:[[:space:]]*[0-9]+/ {
      split($0, kv, ":"); k = kv[1]; gsub(/[" \t]/, "", k); v = kv[2]; gsub(/[^0-9]/, "", v)
      if (k == "certificates") next
      if (side == "B") b[k] = v + 0; else a[k] = v + 0
    }
    END { for (k in a) if (a[k] - b[k] > 0) printf "  %-36s %d\n", k, a[k] - b[k] }' | sort
}

# tf SUBCOMMAND ARGS...: runs Terraform in the current directory, without
# colour codes when the output is not a terminal.
tf() {
  local sub=$1
  shift
  if [[ -t 1 ]]; then
    "$TERRAFORM" "$sub" "$@"
  else
    "$TERRAFORM" "$sub" -no-color "$@"
  fi
}
