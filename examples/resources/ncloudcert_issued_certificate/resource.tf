# A Cloud Basic certificate for example.com and every name one level below it,
# requested, validated by DNS and issued in one apply.
# Waits for DNS validation: against the bundled mock, publish the records to the
# mock's DNS (POST /_mock/dns) or start it with -dcv-delay 2s, or the apply waits
# until the validation's timeout (see the guide "Testing against the bundled mock").
resource "ncloudcert_issued_certificate" "web" {
  name_prefix = "web-"
  common_name = "*.example.com"
  dns_names   = ["example.com"] # shares the wildcard's validation record

  # auto_renewal defaults to true: the service renews the certificate in place
  # (same number) from 30 days before it expires, while the DNS records below
  # stay published.

  # A replacement (other names, a failed request) is requested before the old
  # certificate is deleted: with create_before_destroy, use name_prefix (a
  # fixed name cannot be held by the old and the new certificate at once).
  lifecycle {
    create_before_destroy = true
  }
}

# One DNS record per validation domain. The map's keys are known at plan time,
# so for_each works before the certificate exists. terraform_data stands in for
# your DNS provider's record resource: see the "DNS validation" guide for
# aws_route53_record and others.
resource "terraform_data" "validation_record" {
  for_each = ncloudcert_issued_certificate.web.domain_validation_records

  input = {
    name   = each.value.record_name
    type   = each.value.record_type
    values = each.value.record_values
  }
}

# Waits until the certificate is issued; fails at once if a record the service
# expects is not among the names listed here.
resource "ncloudcert_certificate_validation" "web" {
  certificate_no          = ncloudcert_issued_certificate.web.certificate_no
  validation_record_fqdns = [for r in terraform_data.validation_record : r.output.name]
}

# Whatever uses the certificate references the validation, so it waits for
# issuance; take the PEM from the validation too: it is read in the apply that
# issues the certificate, so the next plan is empty.
output "certificate_no" {
  value = ncloudcert_certificate_validation.web.certificate_no
}

output "certificate_pem" {
  value = ncloudcert_certificate_validation.web.certificate_pem
}

output "validation_records" {
  value = { for domain, r in terraform_data.validation_record : domain => r.output }
}
