# Terraform 1.12 and later: import with a block that names the resource identity
# (the domain id, dmnId). A domain that is not VALID yet is not reported validated:
# the next apply waits.
import {
  to = ncloudcert_domain_validation_wait.example
  identity = {
    domain_id = 573
  }
}
