# Import by the number of the certificate it waits for: records its current
# status without waiting.
terraform import ncloudcert_certificate_validation.web 100001
