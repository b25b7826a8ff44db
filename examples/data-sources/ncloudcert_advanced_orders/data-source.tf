# Every Advanced order, ordered by order id (an order keeps its index across reissues).
data "ncloudcert_advanced_orders" "all" {}

# Orders whose subscription ends within 60 days.
output "subscriptions_ending" {
  value = {
    for o in data.ncloudcert_advanced_orders.all.orders : o.order_id => {
      certificate    = o.certificate == null ? null : o.certificate.name
      certificates   = length(o.certificates)
      remaining_days = o.remaining_days
      extendable     = o.extendable_years
    } if try(o.remaining_days < 60, false) # null until the first certificate is issued
  }
}
