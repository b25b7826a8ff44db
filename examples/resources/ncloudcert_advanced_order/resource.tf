# An Advanced DV order for www.example.com and api.example.com, validated by
# DNS, issued and given its private key in one apply. Make the key and the CSR
# with your own tooling (or the hashicorp/tls provider's tls_cert_request); the
# CSR's names must be exactly common_name and dns_names.
# Waits for DNS validation: against the bundled mock, publish the records to the
# mock's DNS (POST /_mock/dns) or start it with -dcv-delay 2s, or the apply waits
# until the validation's timeout (see the guide "Testing against the bundled mock").
variable "csr_pem" {
  type        = string
  description = "The CSR, in PEM."
}

variable "private_key_pem" {
  type        = string
  sensitive   = true
  description = "The key the CSR was made with."
}

resource "ncloudcert_advanced_order" "web" {
  type               = "advanced_dv"
  name               = "web-advanced"
  common_name        = "www.example.com"
  dns_names          = ["api.example.com"]
  csr_pem            = var.csr_pem
  validation_method  = "persistent_dns" # reissues reuse the published records
  subscription_years = 1

  # An order is a paid subscription: destroying it forfeits the subscription, and
  # a replacement buys a new one. While this is true (the default), both are
  # refused at plan time. To destroy the order: set it to false, apply, then
  # destroy. With it false, destroy deletes the order's certificates, and refuses
  # while an instance still uses one of them.
  deletion_protection = true

  # Changing a value here (or csr_pem, or dns_names) reissues in place: the
  # order stays, representative_certificate_no changes, and the validation and
  # key registration below are replaced in the same apply.
  reissue_triggers = {
    rotation = "2026-01"
  }
}

# One DNS TXT record per validation domain; the keys are known at plan time.
# terraform_data stands in for your DNS provider's record resource.
resource "terraform_data" "validation_record" {
  for_each = ncloudcert_advanced_order.web.domain_validation_records

  input = {
    name   = each.value.record_name
    type   = each.value.record_type
    values = each.value.record_values
  }
}

# Waits until the representative certificate is issued.
resource "ncloudcert_certificate_validation" "web" {
  certificate_no          = ncloudcert_advanced_order.web.representative_certificate_no
  validation_record_fqdns = [for r in terraform_data.validation_record : r.output.name]
}

# Checks the key against the issued certificate, then registers it: NORMAL.
resource "ncloudcert_certificate_private_key" "web" {
  certificate_no  = ncloudcert_certificate_validation.web.certificate_no
  private_key_pem = var.private_key_pem
}

# Load Balancers and the like reference the key registration, so they use the
# certificate once it is complete.
output "certificate_no" {
  value = ncloudcert_certificate_private_key.web.certificate_no
}
