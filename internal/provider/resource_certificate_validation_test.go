package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// A certificate issued already validates at once; the validation imports by number, and
// destroying it changes nothing on the service. A certificate deleted outside Terraform
// takes its validation out of state.
func TestAccCertificateValidation_importAndForget(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	c := m.client(t)
	cert, err := c.RequestCertificate(context.Background(), client.CertificateRequest{Type: client.GlobalEdge, Name: "acc-ready", CommonName: "ready.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ValidateCertificate(cert.No); err != nil {
		t.Fatal(err)
	}
	config := m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_certificate_validation" "test" {
  certificate_no = %d
}
`, cert.No)
	var polls int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { polls = m.Requests(mockserver.OpGetCertificateList) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("id"), knownvalue.StringExact(fmt.Sprint(cert.No))),
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL_GLOBAL_EDGE_DEDICATED")),
					statecheck.ExpectKnownValue(validationResource, at("not_after"), knownvalue.NotNull()),
				},
				Check: func(*terraformState) error {
					// One read to start, one poll that finds it issued; nothing for the records.
					if n := m.Requests(mockserver.OpGetCertificateList) - polls; n != 2 {
						return fmt.Errorf("getCertificateList received %d requests during create, want 2", n)
					}
					return m.expectRequests(mockserver.OpListDcvStatuses, 0)(nil)
				},
			},
			{
				ResourceName:      validationResource,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				PreConfig: func() {
					if err := c.DeleteCertificate(context.Background(), cert.No, "acc-ready"); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			m.expectRequests(mockserver.OpDeleteCertificateV1, 1), // the one outside Terraform
			m.expectRequests(mockserver.OpDeleteCertificate, 0),
		),
	})
}

// A validation of a certificate that does not exist fails at once, on certificate_no.
func TestAccCertificateValidation_notFound(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config: m.providerBlock() + `
resource "ncloudcert_certificate_validation" "test" {
  certificate_no = 424242
}
`,
			ExpectError: regexp.MustCompile(`(?s)Certificate not found.*certificate_no.*` + evText("Certificate 424242 does not exist")),
		}, {
			Config: m.providerBlock() + `
resource "ncloudcert_certificate_validation" "test" {
  certificate_no = 0
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)certificate_no.*at least 1`),
		}},
	})
}
