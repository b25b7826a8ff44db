# A Cloud Basic certificate for demo.example.com and every name one level below
# it, requested, validated by DNS and issued in the same apply as main.tf.
#
# Against the mock of `make demo`, which runs with -dcv-delay, the mock completes
# the validation a moment after the request, as if the record below had been
# published. Against the real service, use domains you control and replace
# terraform_data with your DNS provider's record resource: until the record is
# in DNS, the validation waits (up to its timeout) and the certificate is not
# issued.
resource "ncloudcert_issued_certificate" "demo" {
  name_prefix = "demo-"
  common_name = "*.demo.example.com"
  dns_names   = ["demo.example.com"] # shares the wildcard's validation record

  # A replacement (other names, a failed request) is requested before the old
  # certificate is deleted.
  lifecycle {
    create_before_destroy = true
  }
}

# One DNS record per validation domain (here one: demo.example.com). The map's
# keys are known at plan time, so for_each works before the certificate exists.
# Replace with your DNS provider's record resource, e.g. aws_route53_record
# (see the "DNS validation" guide).
resource "terraform_data" "validation_record" {
  for_each = ncloudcert_issued_certificate.demo.domain_validation_records

  input = {
    record_name   = each.value.record_name
    record_type   = each.value.record_type
    record_values = each.value.record_values
  }
}

# Waits until the certificate is issued; fails at once if a record the service
# expects is not among the names listed here.
resource "ncloudcert_certificate_validation" "demo" {
  certificate_no          = ncloudcert_issued_certificate.demo.certificate_no
  validation_record_fqdns = [for r in terraform_data.validation_record : r.output.record_name]

  timeouts {
    # The mock issues within seconds; real DNS may need longer (default 75m).
    create = "5m"
  }
}

# Whatever uses the certificate references the validation, so it waits for
# issuance; these values are the ones the validation saw once it was issued.
output "issued_certificate" {
  description = "The certificate the CA issued."
  value = {
    certificate_no = ncloudcert_certificate_validation.demo.certificate_no
    status         = ncloudcert_certificate_validation.demo.status
    issued_at      = ncloudcert_certificate_validation.demo.issued_at
    not_after      = ncloudcert_certificate_validation.demo.not_after
  }
}

output "validation_records" {
  description = "The DNS records that validate it, by validation domain: name, type and value(s)."
  value = {
    for domain, r in terraform_data.validation_record :
    domain => "${r.output.record_name} ${r.output.record_type} ${join(" ", r.output.record_values)}"
  }
}
