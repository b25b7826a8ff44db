# The registered certificate as Certificate Manager lists it, read through a
# local module (modules/certificate-summary) that uses the provider as well.
module "external_summary" {
  source         = "./modules/certificate-summary"
  certificate_no = ncloudcert_external_certificate.web.certificate_no
}

output "external_certificate_summary" {
  description = "The registered certificate, read back through a module."
  value       = module.external_summary.summary
}
