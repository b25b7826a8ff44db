# Import by domain id (dmnId, as ListDomainValidations shows it).
terraform import ncloudcert_domain_validation.example 573
