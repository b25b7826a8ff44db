# Terraform 1.5 and later: import with a block. Configure the same domain,
# record_type, issue_type and organization_no, or the plan replaces it.
import {
  to = ncloudcert_domain_validation.example
  id = "573"
}
