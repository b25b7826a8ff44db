# A runnable demo: registers a certificate issued elsewhere with NAVER Cloud
# Certificate Manager. `make demo` runs it against the bundled mock; pointed at
# the real service (NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY), it does the same.

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

output "id" {
  value = ncloudcert_external_certificate.web.id
}

output "certificate_no" {
  value = ncloudcert_external_certificate.web.certificate_no
}

output "common_name" {
  value = ncloudcert_external_certificate.web.common_name
}

output "not_after" {
  value = ncloudcert_external_certificate.web.not_after
}

output "serial_number" {
  value = ncloudcert_external_certificate.web.serial_number
}
