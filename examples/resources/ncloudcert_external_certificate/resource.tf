# A certificate issued elsewhere (a commercial CA, your ACME client, ...).
resource "ncloudcert_external_certificate" "www" {
  name_prefix           = "www-"
  certificate_pem       = file("${path.module}/certs/www.crt")
  certificate_chain_pem = file("${path.module}/certs/chain.crt")
  private_key_pem       = file("${path.module}/certs/www.key")

  # New material renews the certificate in place (same number). If the name or prefix
  # changes, register the replacement before deleting the old certificate.
  lifecycle {
    create_before_destroy = true
  }
}

# Terraform 1.11 and later: keep the private key out of plan and state entirely.
resource "ncloudcert_external_certificate" "api" {
  name                       = "api-example-com"
  certificate_pem            = file("${path.module}/certs/api.crt")
  certificate_chain_pem      = file("${path.module}/certs/chain.crt")
  private_key_pem_wo         = file("${path.module}/certs/api.key")
  private_key_pem_wo_version = 1 # bump when the key changes

  timeouts {
    delete = "30m" # waits while a load balancer still uses the certificate
  }
}

output "www_certificate_no" {
  value = ncloudcert_external_certificate.www.certificate_no
}
