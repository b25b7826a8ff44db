# Import by certificate number (shown in the Certificate Manager console).
terraform import ncloudcert_issued_certificate.web 100001
