# Credentials usually come from the environment:
#   export NCLOUD_ACCESS_KEY=...  NCLOUD_SECRET_KEY=...
provider "ncloudcert" {
  site = "public" # or "gov", "fin"
}

# Against the bundled mock server (see the README):
#   provider "ncloudcert" {
#     endpoint   = "http://127.0.0.1:8080"
#     access_key = "ncloudcert-demo-access-key"
#     secret_key = "ncloudcert-demo-secret-key"
#   }
