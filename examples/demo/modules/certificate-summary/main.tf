# A local module that uses the provider too: `terraform init` installs
# ncloudcert/ncloudcert for it from the same place as for the root module (the
# implied local mirror `make install` fills), with no dev_overrides.

terraform {
  required_providers {
    ncloudcert = {
      source = "ncloudcert/ncloudcert"
    }
  }
}

variable "certificate_no" {
  description = "Number of the certificate to describe."
  type        = number
}

data "ncloudcert_certificate" "this" {
  certificate_no = var.certificate_no
}

output "summary" {
  description = "What Certificate Manager holds for the certificate."
  value = {
    name      = data.ncloudcert_certificate.this.name
    type      = data.ncloudcert_certificate.this.type
    status    = data.ncloudcert_certificate.this.status
    not_after = data.ncloudcert_certificate.this.not_after
  }
}
