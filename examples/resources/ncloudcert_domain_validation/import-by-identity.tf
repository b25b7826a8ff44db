# Terraform 1.12 and later: import with a block that names the resource identity
# (the domain id, dmnId). Checked as the id is: a positive integer.
import {
  to = ncloudcert_domain_validation.example
  identity = {
    domain_id = 573
  }
}
