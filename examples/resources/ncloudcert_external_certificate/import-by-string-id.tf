# Terraform 1.5 and later: import with a block, then apply the same material.
# The apply sends nothing to the service when the configured certificate is the one it holds.
import {
  to = ncloudcert_external_certificate.www
  id = "100001"
}
