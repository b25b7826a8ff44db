#!/usr/bin/env bash
# make demo: the whole provider lifecycle against the bundled mock, offline
# (Terraform, or OpenTofu with `make demo TERRAFORM=/path/to/tofu`).
#
#   start the mock on a free loopback port -> make a throwaway CA and leaf ->
#   terraform apply examples/demo -> terraform output -> an empty plan ->
#   the mock's request counts -> terraform destroy -> stop the mock.
#
# Needs bin/terraform-provider-ncloudcert and bin/ncloudcert-mock (make build).
# KEEP_WORK_ON_FAILURE=1 keeps the temporary directory when a step fails.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lib_init demo
# The state file lets the mock be restarted mid-demo without losing certificates.
mock_start -state-file "$WORK/mock-state.json"

log "generating a throwaway CA and leaf certificate"
(cd "$ROOT" && go run ./scripts/democert -out "$WORK/pki" -domain demo.example.com)

mkdir -p "$WORK/tf"
cp "$ROOT/examples/demo/main.tf" "$WORK/tf/"
cd "$WORK/tf"
export TF_VAR_certificate_file="$WORK/pki/cert.pem"
export TF_VAR_certificate_chain_file="$WORK/pki/ca.pem"
export TF_VAR_private_key_file="$WORK/pki/key.pem"

log "$(basename "$TERRAFORM") apply"
tf apply -auto-approve -input=false -compact-warnings

log "$(basename "$TERRAFORM") output"
tf output

log "$(basename "$TERRAFORM") plan -detailed-exitcode (expecting no changes)"
set +e
tf plan -detailed-exitcode -input=false -compact-warnings
plan_rc=$?
set -e
case $plan_rc in
  0) log "OK: the plan after apply is empty (exit code 0)" ;;
  2) die "the plan after apply is not empty (exit code 2): the provider shows a diff it should not" ;;
  *) die "$(basename "$TERRAFORM") plan failed (exit code $plan_rc)" ;;
esac

log "mock request counts (GET $MOCK_URL/_mock/stats)"
stats=$(mock_stats)
printf '%s\n' "$stats"
stats_nonzero "$stats"
printf '  %-36s %d\n' "certificates on the mock" "$(stats_certificates "$stats")"

log "$(basename "$TERRAFORM") destroy"
tf destroy -auto-approve -input=false -compact-warnings

left=$(stats_certificates "$(mock_stats)")
[[ "$left" == 0 ]] || die "$left certificate(s) left on the mock after destroy"
log "demo finished: applied, planned clean, destroyed; 0 certificates left on the mock"
