package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

const identityExternalResource = "ncloudcert_external_certificate.test"

// identityTestConfig holds one of each resource, over objects the mock holds already where
// creating them would wait (an issued certificate, an Advanced certificate with its key).
func identityTestConfig(t *testing.T, m *testMock) string {
	t.Helper()
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "identity-cli.example.com", nil)
	csr, _ := testOrderCSR(t)
	issued := testIssuedCloudCertificate(t, m, client.CloudBasic, "identity-issued")
	keyed, key := testAdvancedCertificate(t, m, "identity-key", true)
	return m.providerBlock() + externalConfig("acc-identity-cli", leaf, ca.intermediatePEM) +
		issuedBlock(`  name        = "acc-identity-iss"`, `  common_name = "identity-cli.example.com"`) +
		fmt.Sprintf(`
resource "ncloudcert_certificate_validation" "test" {
  certificate_no = %d
}

resource "ncloudcert_certificate_private_key" "test" {
  certificate_no  = %d
  private_key_pem = %q
}
`, issued, keyed, key) + orderBlock(csr)
}

// Identity through the real CLI (Terraform 1.12+, when TF_ACC_TERRAFORM_PATH names one; the
// protocol-level tests in common_identity_test.go run with any CLI): every resource records
// its identity, and `import { identity = {...} }` plans the same object with the same identity.
func TestAccIdentity_importBlockWithIdentity(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := identityTestConfig(t, m)
	identities := []statecheck.StateCheck{
		statecheck.ExpectIdentityValueMatchesState(identityExternalResource, tfjsonpath.New("certificate_no")),
		statecheck.ExpectIdentityValueMatchesState(issuedResource, tfjsonpath.New("certificate_no")),
		statecheck.ExpectIdentityValueMatchesState(validationResource, tfjsonpath.New("certificate_no")),
		statecheck.ExpectIdentityValueMatchesState(privateKeyResource, tfjsonpath.New("certificate_no")),
		statecheck.ExpectIdentityValueMatchesStateAtPath(orderResource, tfjsonpath.New("order_id"), tfjsonpath.New("id")),
	}
	importStep := func(address string) resource.TestStep {
		return resource.TestStep{
			Config: config, ResourceName: address, ImportState: true,
			ImportStateKind: resource.ImportBlockWithResourceIdentity,
			// Terraform-side arguments (a key, deletion_protection) may plan an in-place update
			// after an import; plugin-testing checks that the planned identity is the recorded one.
			ExpectNonEmptyPlan: true,
		}
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: identities},
			importStep(identityExternalResource),
			importStep(issuedResource),
			importStep(validationResource),
			importStep(privateKeyResource),
			importStep(orderResource),
			{Config: config, ConfigStateChecks: identities},
		},
	})
}

// Older CLIs keep working: with identity declared, `import { id = ... }` (Terraform 1.5+)
// imports every resource as before.
func TestAccIdentity_importBlockWithID(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := identityTestConfig(t, m)
	steps := []resource.TestStep{{Config: config}}
	for _, address := range []string{identityExternalResource, issuedResource, validationResource, privateKeyResource, orderResource} {
		steps = append(steps, resource.TestStep{
			Config: config, ResourceName: address, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
			ExpectNonEmptyPlan: true, // Terraform-side arguments (a key, deletion_protection) after an import
		})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps:                    steps,
	})
}
