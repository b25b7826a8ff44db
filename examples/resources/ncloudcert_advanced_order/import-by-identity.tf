# Terraform 1.12 and later: import with a block that names the resource identity
# (the order id, a string). Checked as the id is: a positive integer.
import {
  to = ncloudcert_advanced_order.web
  identity = {
    order_id = "900001"
  }
}
