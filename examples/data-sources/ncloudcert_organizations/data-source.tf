# The verified organization an Advanced OV order needs, found by name. name matches the
# Korean or the English name, as a substring, ignoring case.
data "ncloudcert_organizations" "example" {
  name                = "Example Corp"
  verification_status = "verified"
}

# The organization with this business registration number, whatever its verification status.
data "ncloudcert_organizations" "by_registration_no" {
  business_registration_no = "123-45-67890"
}

output "organization_no" {
  # one() fails when several organizations match: narrow the name until one does.
  value = one(data.ncloudcert_organizations.example.organizations[*].organization_no)
}

output "verification" {
  value = {
    for o in data.ncloudcert_organizations.by_registration_no.organizations :
    o.organization_no => o.verification_status
  }
}

# The number goes to an OV order:
#
# resource "ncloudcert_advanced_order" "ov" {
#   type            = "advanced_ov"
#   organization_no = one(data.ncloudcert_organizations.example.organizations[*].organization_no)
#   ...
# }
