# Terraform 1.5 and later: import with a block.
import {
  to = ncloudcert_acme_eab_credential.cert_manager
  id = "59723"
}
