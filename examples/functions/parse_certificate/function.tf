# Requires Terraform 1.8+ or OpenTofu 1.7+. No provider configuration is needed to call it.
locals {
  www = provider::ncloudcert::parse_certificate(file("${path.module}/www.example.com.crt"))
}

output "www_certificate" {
  value = {
    common_name        = local.www.common_name
    dns_names          = local.www.dns_names
    not_after          = local.www.not_after # RFC 3339, UTC
    key_algorithm      = local.www.key_algorithm
    sha256_fingerprint = local.www.sha256_fingerprint
  }
}

# Whether it is still valid 30 days after the plan (timecmp compares RFC 3339 times).
output "www_valid_for_30_days" {
  value = timecmp(local.www.not_after, timeadd(plantimestamp(), "720h")) > 0
}

# The same for a certificate the service holds.
data "ncloudcert_certificate" "api" {
  name = "api-example-com"
}

output "api_not_after" {
  value = provider::ncloudcert::parse_certificate(data.ncloudcert_certificate.api.certificate_pem).not_after
}
