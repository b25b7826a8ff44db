# Import by certificate number: records the certificate's status; the key in the
# configuration is checked against the certificate on the next apply, never sent again.
terraform import ncloudcert_certificate_private_key.web 100001
