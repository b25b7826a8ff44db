# Terraform 1.5 and later: import with a block. Configure the same type, common
# name and dns_names as the certificate, or the plan replaces it.
import {
  to = ncloudcert_issued_certificate.web
  id = "100001"
}
