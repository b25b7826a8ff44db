# Import by order id (not a certificate number): the order's newest certificate
# becomes representative_certificate_no. csr_pem and reissue_triggers are taken
# from the configuration on the next apply without reissuing.
terraform import ncloudcert_advanced_order.web 900001
