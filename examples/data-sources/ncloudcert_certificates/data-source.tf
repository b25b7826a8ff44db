# Every certificate of the account.
data "ncloudcert_certificates" "all" {}

# Issued certificates for any single-label subdomain of example.com that expire within 30 days.
data "ncloudcert_certificates" "expiring" {
  domain               = "*.example.com"
  statuses             = ["NORMAL"]
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
