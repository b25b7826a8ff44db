# Expiry monitoring with check blocks: every plan and apply reports, as warnings, the
# certificates that expire soon. A failing check never stops the run.

# 1. Every usable certificate of the account whose not_after is at most 30 days away. The
#    data source is scoped to the check, so a failure to read it is a warning too.
check "no_certificate_expires_within_30_days" {
  data "ncloudcert_certificates" "expiring" {
    statuses             = ["NORMAL", "NORMAL_GLOBAL_EDGE_DEDICATED"]
    expiring_within_days = 30
  }

  assert {
    condition     = length(data.ncloudcert_certificates.expiring.certificates) == 0
    error_message = "Certificates expiring within 30 days: ${join(", ", [for c in data.ncloudcert_certificates.expiring.certificates : "${c.name} (${c.certificate_no}) on ${c.not_after}"])}. Renew them (an external certificate renews in place when its certificate_pem changes)."
  }
}

# 2. One certificate's own PEM, with the provider function (Terraform 1.8+, OpenTofu 1.7+):
#    works for any PEM, also one that never went through the service.
variable "monitored_certificate_pem" {
  type        = string
  description = "The PEM certificate to watch, e.g. file(\"www.example.com.crt\") or a resource's certificate_pem."
}

locals {
  monitored = provider::ncloudcert::parse_certificate(var.monitored_certificate_pem)
}

check "monitored_certificate_valid_for_14_days" {
  assert {
    condition     = timecmp(local.monitored.not_after, timeadd(plantimestamp(), "336h")) > 0
    error_message = "The certificate for ${local.monitored.common_name} (serial ${local.monitored.serial_number}) expires at ${local.monitored.not_after}, within 14 days."
  }
}
