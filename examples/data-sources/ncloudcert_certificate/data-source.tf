# The newest usable certificate covering www.example.com (a *.example.com certificate counts).
data "ncloudcert_certificate" "www" {
  domain      = "www.example.com"
  most_recent = true
}

# One certificate by name, whatever its type. statuses defaults to the usable statuses,
# NORMAL and NORMAL_GLOBAL_EDGE_DEDICATED; when the only match is, say, EXPIRE, the error
# names it and the status to add.
data "ncloudcert_certificate" "api" {
  name = "api-example-com"
}

output "www_certificate" {
  value = {
    certificate_no = data.ncloudcert_certificate.www.certificate_no
    not_after      = data.ncloudcert_certificate.www.not_after
    pem            = data.ncloudcert_certificate.www.certificate_pem
    chain          = data.ncloudcert_certificate.www.certificate_chain_pem
  }
}
