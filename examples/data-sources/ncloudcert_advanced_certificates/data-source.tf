# Every Advanced DV/OV certificate (these are not in ncloudcert_certificates).
data "ncloudcert_advanced_certificates" "all" {}

# Issued Advanced certificates still waiting for their private key
# (private_key_registered is null for certificates not issued).
output "waiting_for_key" {
  value = [for c in data.ncloudcert_advanced_certificates.all.certificates :
  "${c.order_id}/${c.certificate_no} ${c.name}" if c.private_key_registered == false]
}
