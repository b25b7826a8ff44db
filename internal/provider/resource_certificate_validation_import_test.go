package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// Importing the validation of a certificate that is still pending never reports it issued:
// the next plan replaces it and the apply waits for issuance, then reads the PEM.
func TestAccCertificateValidation_importPendingWaits(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	cert, err := m.client(t).RequestCertificate(context.Background(), client.CertificateRequest{Type: client.CloudBasic, Name: "acc-imp-pend", CommonName: "imp-pend.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	config := m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_certificate_validation" "test" {
  certificate_no = %d
}
`, cert.No)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       validationResource,
				ImportState:        true,
				ImportStateId:      fmt.Sprint(cert.No),
				ImportStatePersist: true,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if got := s[0].Attributes["status"]; got != "ONGOING" {
						return fmt.Errorf("imported status %q, want ONGOING", got)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					// Issued while the apply waits: the validation's create is the only
					// thing here that lists the records.
					go func() {
						for m.Requests(mockserver.OpListDcvStatuses) == 0 {
							pollPause()
						}
						_ = m.ValidateCertificate(cert.No)
					}()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(validationResource, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
					statecheck.ExpectKnownValue(validationResource, at("certificate_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----\n`))),
					statecheck.ExpectKnownValue(validationResource, at("certificate_chain_pem"), knownvalue.NotNull()),
				},
			},
		},
	})
}

// Importing the validation of a request that failed plans a replacement whose apply reports
// the failure with the cure for the owning resource, never "succeeded".
func TestAccCertificateValidation_importFailedReportsCure(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	cert, err := m.client(t).RequestCertificate(context.Background(), client.CertificateRequest{Type: client.CloudBasic, Name: "acc-imp-fail", CommonName: "imp-fail.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.FailCertificate(cert.No, "CAA forbids issuance"); err != nil {
		t.Fatal(err)
	}
	config := m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_certificate_validation" "test" {
  certificate_no = %d
}
`, cert.No)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config, ResourceName: validationResource, ImportState: true,
				ImportStateId: fmt.Sprint(cert.No), ImportStatePersist: true,
			},
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Certificate validation failed.*FAILED.*CAA forbids issuance.*ncloudcert_issued_certificate that requested it replaces`),
			},
		},
	})
}

// The cure named on a terminal state fits the resource that owns the certificate.
func TestTerminalCureNamesTheOwner(t *testing.T) {
	cases := []struct {
		cert      client.Certificate
		want, not string
	}{
		{client.Certificate{No: 1, Type: "ADVANCED_DV", OrderID: "900001"}, "ncloudcert_advanced_order (order 900001), apply again: the order reissues it in place", "ncloudcert_issued_certificate"},
		{client.Certificate{No: 2, Type: "NCP_FREE_DV_01"}, "ncloudcert_issued_certificate that requested it replaces the failed request", "advanced_order"},
		{client.Certificate{No: 3, Type: "NCP_GLOBAL_EDGE_DEDICATED"}, "ncloudcert_issued_certificate that requested it", "advanced_order"},
		{client.Certificate{No: 4, Type: "EXTERNAL", External: true}, "(type external) is not one requested", "replaces the failed request"},
	}
	for _, tc := range cases {
		got := terminalCure(&tc.cert)
		if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("certificate %+v: %q, want it to contain %q and not %q", tc.cert, got, tc.want, tc.not)
		}
	}
}
