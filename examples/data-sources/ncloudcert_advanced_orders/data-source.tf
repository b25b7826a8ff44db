data "ncloudcert_advanced_orders" "all" {}

# Orders whose subscription ends within 60 days.
output "subscriptions_ending" {
  value = {
    for o in data.ncloudcert_advanced_orders.all.orders : o.order_id => {
      certificate    = o.certificate == null ? null : o.certificate.name
      remaining_days = o.remaining_days
      extendable     = o.extendable_years
    } if o.remaining_days != null && o.remaining_days < 60
  }
}
