# Every certificate type the account can request.
data "ncloudcert_certificate_types" "all" {}

# The paid ones (Advanced DV and OV): a CSR is required, validity is what one certificate gets.
data "ncloudcert_certificate_types" "paid" {
  pricing_plan = "PAID"
}

output "certificate_types" {
  value = {
    for t in data.ncloudcert_certificate_types.all.certificate_types :
    t.code => "${t.name}: ${t.pricing_plan}, ${t.validation_level}, ${t.validity_days} days, CSR ${t.csr_required ? "required" : "not required"}"
  }
}

output "paid_types" {
  # type is the value of `type` on ncloudcert_advanced_order (advanced_dv, advanced_ov).
  value = sort([for t in data.ncloudcert_certificate_types.paid.certificate_types : t.type])
}
