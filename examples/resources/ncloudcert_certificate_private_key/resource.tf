# Registers the key of an Advanced certificate once it is issued: reference the
# validation's certificate_no so registration follows validation in the same apply.
# Waits for DNS validation: against the bundled mock, publish the records to the
# mock's DNS (POST /_mock/dns) or start it with -dcv-delay 2s, or the apply waits
# until the validation's timeout (see the guide "Testing against the bundled mock").
variable "certificate_no" {
  type        = number
  description = "An Advanced certificate issued from a CSR made with the key below."
}

variable "private_key_pem" {
  type      = string
  sensitive = true
}

resource "ncloudcert_certificate_private_key" "web" {
  certificate_no  = var.certificate_no
  private_key_pem = var.private_key_pem
}
