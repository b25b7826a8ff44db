# Import by ACME account id. The HMAC key is not imported (the service shows it
# only once, at create): eab_hmac_key stays null. To get a key, replace the
# credential: terraform apply -replace=ncloudcert_acme_eab_credential.cert_manager
terraform import ncloudcert_acme_eab_credential.cert_manager 59723
