#!/usr/bin/env bash
# Writes `terraform providers schema -json` for bin/terraform-provider-ncloudcert
# to OUT, for `tfplugindocs generate --providers-schema OUT`.
#
# Offline: Terraform loads the provider from ./bin through a dev_overrides CLI
# configuration, so neither the registry nor `terraform init` is involved.
# tfplugindocs looks the schema up under the key "ncloudcert" (or
# registry.terraform.io/hashicorp/ncloudcert), so the key is renamed.
set -euo pipefail

out=${1:?usage: provider-schema.sh OUT.json}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
address="registry.terraform.io/ncloudcert/ncloudcert"
[[ -x "$root/bin/terraform-provider-ncloudcert" ]] || {
  echo "provider-schema.sh: bin/terraform-provider-ncloudcert is missing: run 'make build'" >&2
  exit 1
}
terraform=$("$root/scripts/terraform.sh")

work=$(mktemp -d "${TMPDIR:-/tmp}/ncloudcert-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "$address" = "$root/bin"
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
EOF
cat >"$work/main.tf" <<'EOF'
terraform {
  required_providers {
    ncloudcert = {
      source = "ncloudcert/ncloudcert"
    }
  }
}
EOF

mkdir -p "$(dirname "$out")"
(
  cd "$work"
  TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
    "$terraform" providers schema -json >"$work/schema.json"
)
grep -q "\"$address\"" "$work/schema.json" || {
  echo "provider-schema.sh: no schema for $address in terraform's output" >&2
  exit 1
}
sed "s#\"$address\"#\"ncloudcert\"#" "$work/schema.json" >"$out"
echo "provider-schema.sh: wrote $out" >&2
