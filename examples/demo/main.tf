# A runnable demo, in three files:
#   main.tf      registers a certificate issued elsewhere (ncloudcert_external_certificate);
#   issued.tf    requests a Cloud Basic certificate from NAVER Cloud's CA, publishes its DNS
#                validation record and waits for issuance (ncloudcert_issued_certificate and
#                ncloudcert_certificate_validation);
#   advanced.tf  places an Advanced DV order from a CSR, publishes its DNS validation records,
#                waits for issuance and registers the key (ncloudcert_advanced_order,
#                ncloudcert_certificate_validation, ncloudcert_certificate_private_key).
# `make demo` runs all three against the bundled mock, in one apply. Pointed at the real
# service (NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY), main.tf does the same as it is; issued.tf
# and advanced.tf need real DNS records for domains you control (see their comments), and
# an Advanced order is paid.

terraform {
  required_version = ">= 1.5"

  required_providers {
    ncloudcert = {
      source = "ncloudcert/ncloudcert"
    }
  }
}

# Credentials and endpoint come from the environment:
# NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY and, for the mock,
# NCLOUD_CERTIFICATE_MANAGER_ENDPOINT.
provider "ncloudcert" {}

variable "certificate_file" {
  description = "Path of the PEM-encoded leaf certificate."
  type        = string
}

variable "certificate_chain_file" {
  description = "Path of the PEM-encoded chain (intermediates) that signed the certificate."
  type        = string
}

variable "private_key_file" {
  description = "Path of the PEM-encoded private key of the certificate."
  type        = string
}

resource "ncloudcert_external_certificate" "web" {
  # A generated name lets a replacement be registered before the old
  # certificate is deleted, so nothing that uses it is left without one.
  name_prefix = "demo-"

  certificate_pem       = file(var.certificate_file)
  certificate_chain_pem = file(var.certificate_chain_file)
  private_key_pem       = file(var.private_key_file)

  lifecycle {
    create_before_destroy = true
  }
}

output "external_certificate" {
  description = "The registered certificate."
  value = {
    id             = ncloudcert_external_certificate.web.id
    certificate_no = ncloudcert_external_certificate.web.certificate_no
    common_name    = ncloudcert_external_certificate.web.common_name
    not_after      = ncloudcert_external_certificate.web.not_after
    serial_number  = ncloudcert_external_certificate.web.serial_number
  }
}
