package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

const privateKeyResource = "ncloudcert_certificate_private_key.test"

// testAdvancedCertificate orders an Advanced DV certificate through the client and returns
// its number and the key of its CSR; validated says whether it is issued already.
func testAdvancedCertificate(t *testing.T, m *testMock, name string, validated bool) (int64, string) {
	t.Helper()
	csr, key, err := testcert.CSR(name + ".example.com")
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.client(t).RequestAdvancedCertificate(context.Background(), client.AdvancedRequest{
		Type: client.AdvancedDV, Name: name, CommonName: name + ".example.com", CSR: csr,
		ValidationMethod: "D", RequestToken: "token-" + name,
	})
	if err != nil {
		t.Fatal(err)
	}
	if validated {
		if err := m.ValidateCertificate(res.Certificate.No); err != nil {
			t.Fatal(err)
		}
	}
	return res.Certificate.No, key
}

func privateKeyConfig(m *testMock, no int64, keyPEM string) string {
	return m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_certificate_private_key" "test" {
  certificate_no  = %d
  private_key_pem = %q
}
`, no, keyPEM)
}

// The key registers once the certificate is issued (create waits for it), imports by
// number with no change, and destroy forgets it.
func TestAccCertificatePrivateKey_lifecycle(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	no, key := testAdvancedCertificate(t, m, "acc-key", false)
	go func() {
		// Issued while create waits.
		for m.Requests(mockserver.OpGetCertificateList) == 0 {
			pollPause()
		}
		_ = m.ValidateCertificate(no)
	}()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: privateKeyConfig(m, no, key),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(privateKeyResource, at("id"), knownvalue.StringExact(fmt.Sprint(no))),
					statecheck.ExpectKnownValue(privateKeyResource, at("status"), knownvalue.StringExact("NORMAL")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.expectRequests(mockserver.OpRegisterPrivateKey, 1),
			},
			{
				ResourceName:            privateKeyResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"private_key_pem"},
			},
			{
				// Applying after the import: the key is checked, nothing is sent again.
				Config: privateKeyConfig(m, no, key),
				Check:  m.expectRequests(mockserver.OpRegisterPrivateKey, 1),
			},
		},
		CheckDestroy: func(*terraformState) error {
			cert, err := m.client(t).GetCertificate(context.Background(), no)
			if err != nil {
				return err
			}
			if cert.Status() != client.StatusNormal {
				return fmt.Errorf("certificate %d is %s after destroy, want NORMAL (destroy forgets)", no, cert.Status())
			}
			return nil
		},
	})
}

// A key that is not the certificate's is an error on the key, and nothing is sent.
func TestAccCertificatePrivateKey_mismatch(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	no, _ := testAdvancedCertificate(t, m, "acc-mismatch", true)
	_, otherKey, err := testcert.CSR("other.example.com")
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      privateKeyConfig(m, no, otherKey),
				ExpectError: regexp.MustCompile(`Private key does not match the certificate`),
			},
			{
				Config:   privateKeyConfig(m, no, otherKey),
				PlanOnly: true, ExpectNonEmptyPlan: true,
				Check: m.expectRequests(mockserver.OpRegisterPrivateKey, 0),
			},
		},
	})
	if n := m.Requests(mockserver.OpRegisterPrivateKey); n != 0 {
		t.Errorf("RegisterPrivateKey received %d requests, want 0", n)
	}
}

// The write-only key never reaches state.
func TestAccCertificatePrivateKey_writeOnly(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	no, key := testAdvancedCertificate(t, m, "acc-wo", true)
	resource.Test(t, resource.TestCase{
		// Write-only arguments need Terraform 1.11.
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_certificate_private_key" "test" {
  certificate_no             = %d
  private_key_pem_wo         = %q
  private_key_pem_wo_version = 1
}
`, no, key),
				ConfigStateChecks: []statecheck.StateCheck{
					noSecretsInState{secrets: []string{key}},
					statecheck.ExpectKnownValue(privateKeyResource, at("status"), knownvalue.StringExact("NORMAL")),
				},
				Check: m.expectRequests(mockserver.OpRegisterPrivateKey, 1),
			},
		},
	})
}

func pollPause() { time.Sleep(10 * time.Millisecond) }

// Importing a certificate that takes no key (here Global Edge) is refused, naming the type.
func TestAccCertificatePrivateKey_importWrongType(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	cert, err := m.client(t).RequestCertificate(context.Background(), client.CertificateRequest{Type: client.GlobalEdge, Name: "acc-edge", CommonName: "edge.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := testcert.CSR("edge.example.com")
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:        privateKeyConfig(m, cert.No, key),
				ResourceName:  privateKeyResource,
				ImportState:   true,
				ImportStateId: fmt.Sprint(cert.No),
				ExpectError:   regexp.MustCompile(`(?s)Not a certificate this resource manages.*global_edge`),
			},
		},
	})
	if n := m.Requests(mockserver.OpRegisterPrivateKey); n != 0 {
		t.Errorf("RegisterPrivateKey received %d requests, want 0", n)
	}
}
