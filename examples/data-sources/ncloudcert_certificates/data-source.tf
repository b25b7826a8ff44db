# Every Cloud certificate of the account: external, Cloud Basic and Global Edge.
# Advanced DV/OV certificates are not in this list: see ncloudcert_advanced_certificates
# and ncloudcert_advanced_orders.
data "ncloudcert_certificates" "all" {}

# Usable certificates for any single-label subdomain of example.com whose not_after is at
# most 30 days away (expired ones would be included, but their status is EXPIRE).
data "ncloudcert_certificates" "expiring" {
  domain               = "*.example.com"
  statuses             = ["NORMAL", "NORMAL_GLOBAL_EDGE_DEDICATED"]
  expiring_within_days = 30
}

# External certificates no instance uses, whose name starts with "legacy-".
data "ncloudcert_certificates" "unused_legacy" {
  types      = ["external"]
  name_regex = "^legacy-"
  in_use     = false
}

output "expiring" {
  value = { for c in data.ncloudcert_certificates.expiring.certificates : c.name => c.not_after }
}
