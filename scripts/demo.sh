#!/usr/bin/env bash
# make demo: the whole provider lifecycle against the bundled mock, offline
# (Terraform, or OpenTofu with `make demo TERRAFORM=/path/to/tofu`).
#
#   start the mock on a free loopback port -> make a throwaway CA and leaf, and a
#   CSR and key for an Advanced order -> terraform apply examples/demo (register the
#   leaf; request a Cloud Basic certificate and wait until the mock's CA issues it;
#   place an Advanced DV order from the CSR, wait for its issuance and register its
#   key) -> terraform output ->
#   an empty plan -> the mock's request counts -> terraform destroy -> stop the mock.
#
# The mock runs with -dcv-delay: it completes the DNS validation of a request
# DCV_DELAY after it, as if its records had been published. The demo has no DNS
# provider (terraform_data stands in for one), so nothing is published anywhere.
#
# Needs bin/terraform-provider-ncloudcert and bin/ncloudcert-mock (make build), and the
# provider installed in the CLI's implied local mirror (make install); `make demo` does both.
# KEEP_WORK_ON_FAILURE=1 keeps the temporary directory when a step fails.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# How long after a request the mock validates it (a Go duration).
DCV_DELAY=2s

lib_init demo installed
# The state file lets the mock be restarted mid-demo without losing certificates.
mock_start -state-file "$WORK/mock-state.json" -dcv-delay "$DCV_DELAY"
log "the mock validates every certificate request $DCV_DELAY after it (-dcv-delay $DCV_DELAY), as if its DNS records"
log "had been published: terraform_data stands in for a DNS provider in examples/demo, and publishes nothing"

log "generating a throwaway CA and leaf certificate, and a CSR and key for the Advanced order"
(cd "$ROOT" && go run ./scripts/democert -out "$WORK/pki" -domain demo.example.com \
  -csr shop.demo.example.com,www.shop.demo.example.com)

mkdir -p "$WORK/tf"
cp -R "$ROOT"/examples/demo/. "$WORK/tf/"
cd "$WORK/tf"

# No dev_overrides: `make install` put the provider in the CLI's implied local
# mirror (~/.terraform.d/plugins), so init installs it from there, offline,
# for the root module and the local module alike, and writes the lock file.
log "$(basename "$TERRAFORM") init (the provider from the implied local mirror, where make install put it)"
tf init -input=false
[[ -f .terraform.lock.hcl ]] || die "init wrote no .terraform.lock.hcl"
grep -q '/ncloudcert/ncloudcert"' .terraform.lock.hcl || die ".terraform.lock.hcl does not pin ncloudcert/ncloudcert"
log "init wrote .terraform.lock.hcl: $(grep -m 1 -E '^ *version' .terraform.lock.hcl | tr -s ' ')"
export TF_VAR_certificate_file="$WORK/pki/cert.pem"
export TF_VAR_certificate_chain_file="$WORK/pki/ca.pem"
export TF_VAR_private_key_file="$WORK/pki/key.pem"
export TF_VAR_order_csr_file="$WORK/pki/order.csr"
export TF_VAR_order_private_key_file="$WORK/pki/order-key.pem"

log "$(basename "$TERRAFORM") apply (registers a certificate; requests one and waits until it is issued; orders an Advanced one and registers its key)"
started=$SECONDS
tf apply -auto-approve -input=false -compact-warnings
log "apply took $((SECONDS - started))s (the validation polls every 10s at first)"

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
log "demo finished: registered one certificate, requested and validated another (issued by the mock's CA), ordered an Advanced one from a CSR and registered its key, planned clean, destroyed; 0 certificates left on the mock"
