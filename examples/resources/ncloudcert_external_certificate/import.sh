# Import by certificate number (shown in the Certificate Manager console).
terraform import ncloudcert_external_certificate.www 100001
