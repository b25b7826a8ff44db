# The certificate, chain and private key of an issued Cloud Basic certificate, downloaded at
# plan and apply time and never written to plan or state (Terraform 1.10 or later). Here the
# key goes to a write-only argument (Terraform 1.11 or later): the certificate is registered
# again as an external certificate, whose private_key_pem_wo is never stored either.

variable "certificate_no" {
  description = "Number of an issued Cloud Basic or Global Edge certificate."
  type        = number
}

ephemeral "ncloudcert_certificate_bundle" "web" {
  certificate_no = var.certificate_no
}

# certificate_pem and certificate_chain_pem of the bundle are ephemeral too: arguments that
# are stored take the same PEM from the data source.
data "ncloudcert_certificate" "web" {
  certificate_no = var.certificate_no
}

resource "ncloudcert_external_certificate" "web_copy" {
  name_prefix           = "web-copy-"
  certificate_pem       = data.ncloudcert_certificate.web.certificate_pem
  certificate_chain_pem = data.ncloudcert_certificate.web.certificate_chain_pem

  private_key_pem_wo         = ephemeral.ncloudcert_certificate_bundle.web.private_key_pem
  private_key_pem_wo_version = 1
}
