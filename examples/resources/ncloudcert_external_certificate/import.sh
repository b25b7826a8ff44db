# Import by certificate number (shown in the console and by the ncloudcert_certificates data source).
terraform import ncloudcert_external_certificate.www 100001
