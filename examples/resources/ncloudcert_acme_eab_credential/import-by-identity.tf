# Terraform 1.12 and later: import with a block that names the resource identity
# (the ACME account id). Checked as the id is: a positive integer.
import {
  to = ncloudcert_acme_eab_credential.cert_manager
  identity = {
    account_id = 59723
  }
}
