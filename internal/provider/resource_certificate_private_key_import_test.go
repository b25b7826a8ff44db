package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

// Importing the key registration of a certificate whose key is not registered never
// reports the job done: the next plan replaces it, and the apply registers the key.
func TestAccCertificatePrivateKey_importUnregisteredPlansRegistration(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	no, key := testAdvancedCertificate(t, m, "acc-imp-key", true)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: privateKeyConfig(m, no, key), ResourceName: privateKeyResource, ImportState: true,
				ImportStateId: fmt.Sprint(no), ImportStatePersist: true,
			},
			{
				Config: privateKeyConfig(m, no, key),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(privateKeyResource, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(privateKeyResource, at("status"), knownvalue.StringExact("NORMAL")),
				},
				Check: m.expectRequests(mockserver.OpRegisterPrivateKey, 1),
			},
		},
	})
}

// Bumping private_key_pem_wo_version checks the new key against the certificate: a key that
// does not match is an error, and nothing is sent or stored.
func TestAccCertificatePrivateKey_woVersionBumpChecksKey(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	no, key := testAdvancedCertificate(t, m, "acc-wo-bump", true)
	_, otherKey, err := testcert.CSR("other.example.com")
	if err != nil {
		t.Fatal(err)
	}
	config := func(keyPEM string, version int) string {
		return m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_certificate_private_key" "test" {
  certificate_no             = %d
  private_key_pem_wo         = %q
  private_key_pem_wo_version = %d
}
`, no, keyPEM, version)
	}
	resource.Test(t, resource.TestCase{
		// Write-only arguments need Terraform 1.11.
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(key, 1),
				Check:  m.expectRequests(mockserver.OpRegisterPrivateKey, 1),
			},
			{
				Config:      config(otherKey, 2),
				ExpectError: regexp.MustCompile(`(?s)Private key does not match the certificate.*Nothing was sent`),
			},
			{
				// Nothing was stored: the version is still 1, so the plan still wants 2.
				Config:             config(otherKey, 2),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config(key, 2),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(privateKeyResource, at("private_key_pem_wo_version"), knownvalue.Int64Exact(2)),
				},
				Check: m.expectRequests(mockserver.OpRegisterPrivateKey, 1),
			},
		},
	})
}

// A certificate whose request failed has no key to register: the error names the status and
// the cure for the order that owns it, and nothing is sent.
func TestAccCertificatePrivateKey_failedRequestNamesCure(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	no, key := testAdvancedCertificate(t, m, "acc-key-fail", false)
	if err := m.FailCertificate(no, "CAA forbids issuance"); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config:      privateKeyConfig(m, no, key),
			ExpectError: regexp.MustCompile(`(?s)Certificate will not be issued.*status FAILED.*Nothing was sent.*ncloudcert_advanced_order.*reissues it in place`),
		}},
	})
	if n := m.Requests(mockserver.OpRegisterPrivateKey); n != 0 {
		t.Errorf("RegisterPrivateKey received %d requests, want 0", n)
	}
}
