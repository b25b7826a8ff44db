# An ACME External Account Binding credential for cert-manager: DV certificates,
# domains validated by the ACME client's DNS-01 challenges, valid 90 days.
resource "ncloudcert_acme_eab_credential" "cert_manager" {
  validation_mode  = "dns01"
  certificate_type = "advanced_dv"
  validity_days    = 90
  alias            = "cert-manager-prod"
}

# An OV credential needs the number of your validated organization.
resource "ncloudcert_acme_eab_credential" "caddy" {
  validation_mode  = "pre_validated" # domains validated beforehand in Certificate Manager
  certificate_type = "advanced_ov"
  validity_days    = 198
  alias            = "caddy-ov"
  organization_no  = 1234
}

# What an ACME client needs. The HMAC key is shown by the service only once, at
# create: read it with `terraform output -raw eab_hmac_key`.
output "eab_kid" {
  value = ncloudcert_acme_eab_credential.cert_manager.eab_kid
}

output "eab_hmac_key" {
  value     = ncloudcert_acme_eab_credential.cert_manager.eab_hmac_key
  sensitive = true
}
