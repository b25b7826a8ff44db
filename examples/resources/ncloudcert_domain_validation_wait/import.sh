# Import by domain id (dmnId). A domain that is not VALID yet is not reported
# validated: the next apply waits.
terraform import ncloudcert_domain_validation_wait.example 573
