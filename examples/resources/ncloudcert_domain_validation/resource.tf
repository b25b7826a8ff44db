# A pre-validated domain: publish its TXT record once, and Advanced orders with
# persistent_dns (and ACME pre_validated credentials) for example.com need no new
# record per certificate. Registered, published and validated in one apply.
# Waits for DNS validation: against the bundled mock, publish the record to the
# mock's DNS (POST /_mock/dns) or start it with -dcv-delay 2s, or the apply waits
# until the wait's timeout (see the guide "Testing against the bundled mock").
resource "ncloudcert_domain_validation" "example" {
  domain      = "example.com"
  record_type = "persistent_txt" # the default: keep the record published
  issue_type  = "console"        # "acme" for NAVER Cloud's ACME server
}

# The record to publish. The map's key (the domain) is known at plan time, so
# for_each works before the registration exists. terraform_data stands in for
# your DNS provider's record resource: see the "DNS validation" guide.
resource "terraform_data" "validation_record" {
  for_each = ncloudcert_domain_validation.example.validation_records

  input = {
    name   = each.value.record_name
    type   = each.value.record_type
    values = each.value.record_values
  }
}

# Waits until the service has seen the record (VALID); fails at once if the
# record it expects is not among the names listed here.
resource "ncloudcert_domain_validation_wait" "example" {
  domain_id               = ncloudcert_domain_validation.example.domain_id
  validation_record_fqdns = [for r in terraform_data.validation_record : r.output.name]
}

# Whatever relies on the validated domain references the wait.
output "domain_id" {
  value = ncloudcert_domain_validation_wait.example.domain_id
}
