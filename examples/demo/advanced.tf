# An Advanced DV order for shop.demo.example.com and www.shop.demo.example.com, issued
# from a CSR, validated by DNS and given its private key in the same apply as main.tf:
#
#   order -> its DNS records (for_each) -> validation -> key registration
#
# The CSR and its key are real: `make demo` generates them (go run ./scripts/democert -csr
# ...); with your own, the CSR's names must be exactly common_name and dns_names. Against
# the mock of `make demo`, which runs with -dcv-delay, the mock completes the validation a
# moment after the order, as if the records below had been published. Against the real
# service an Advanced order is paid: use domains you control and replace terraform_data
# with your DNS provider's record resource (see the "Advanced certificates" guide): until
# the records are in DNS, the validation waits (up to its timeout).

variable "order_csr_file" {
  description = "Path of the PEM-encoded CSR of the Advanced order."
  type        = string
}

variable "order_private_key_file" {
  description = "Path of the PEM-encoded private key the CSR was made with."
  type        = string
}

resource "ncloudcert_advanced_order" "demo" {
  type               = "advanced_dv"
  name               = "demo-advanced"
  common_name        = "shop.demo.example.com"
  dns_names          = ["www.shop.demo.example.com"]
  csr_pem            = file(var.order_csr_file)
  validation_method  = "persistent_dns" # reissues reuse the published records
  subscription_years = 1

  # The demo ends with `terraform destroy`. With a real order keep the default (true):
  # destroying an order forfeits its paid subscription.
  deletion_protection = false
}

# One DNS TXT record per validation domain (here two). The map's keys are known at plan
# time, so for_each works before the order exists.
resource "terraform_data" "order_validation_record" {
  for_each = ncloudcert_advanced_order.demo.domain_validation_records

  input = {
    record_name   = each.value.record_name
    record_type   = each.value.record_type
    record_values = each.value.record_values
  }
}

# Waits until the order's representative certificate is issued.
resource "ncloudcert_certificate_validation" "order" {
  certificate_no          = ncloudcert_advanced_order.demo.representative_certificate_no
  validation_record_fqdns = [for r in terraform_data.order_validation_record : r.output.record_name]

  timeouts {
    # The mock issues within seconds; real DNS may need longer (default 75m).
    create = "5m"
  }
}

# Checks the key against the issued certificate, then registers it (status NORMAL).
resource "ncloudcert_certificate_private_key" "order" {
  certificate_no  = ncloudcert_certificate_validation.order.certificate_no
  private_key_pem = file(var.order_private_key_file)
}

output "advanced_order" {
  description = "The Advanced order and its certificate, once its key is registered."
  value = {
    order_id       = ncloudcert_advanced_order.demo.id
    certificate_no = ncloudcert_certificate_private_key.order.certificate_no
    status         = ncloudcert_certificate_private_key.order.status
    validation_records = {
      for domain, r in terraform_data.order_validation_record :
      domain => "${r.output.record_name} ${r.output.record_type} ${join(" ", r.output.record_values)}"
    }
  }
}
