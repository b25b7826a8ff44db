# Terraform 1.12 and later: import with a block that names the resource identity
# (the certificate number). Checked as the id is: a positive integer.
import {
  to = ncloudcert_certificate_validation.web
  identity = {
    certificate_no = 100001
  }
}
