# Terraform 1.5 and later: import with a block.
import {
  to = ncloudcert_certificate_private_key.web
  id = "100001"
}
