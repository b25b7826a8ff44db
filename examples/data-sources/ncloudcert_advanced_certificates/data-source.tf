# Advanced certificates still waiting for their private key.
data "ncloudcert_advanced_certificates" "waiting_for_key" {
  statuses = ["NORMAL_UNREGISTERED_PRIVATE_KEY"]
}

output "waiting_for_key" {
  value = [for c in data.ncloudcert_advanced_certificates.waiting_for_key.certificates : "${c.order_id}/${c.certificate_no} ${c.name}"]
}
