# Terraform 1.5 and later: import with a block.
import {
  to = ncloudcert_advanced_order.web
  id = "900001"
}
