package provider

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// pemMatchesSerial checks that a resource's certificate_pem is the certificate whose serial
// another resource (or the same one) reports in serial_number: after a renewal by the
// service, a refresh that kept the old PEM fails it.
type pemMatchesSerial struct {
	pemAddress, serialAddress string
}

func (c pemMatchesSerial) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	values := map[string]map[string]any{}
	for _, r := range req.State.Values.RootModule.Resources {
		values[r.Address] = r.AttributeValues
	}
	pemAttrs, ok1 := values[c.pemAddress]
	serialAttrs, ok2 := values[c.serialAddress]
	if !ok1 || !ok2 {
		resp.Error = fmt.Errorf("%s or %s is not in state", c.pemAddress, c.serialAddress)
		return
	}
	text, _ := pemAttrs["certificate_pem"].(string)
	serial, _ := serialAttrs["serial_number"].(string)
	if got := pemSerial(text); got == "" || got != serial {
		resp.Error = fmt.Errorf("%s.certificate_pem holds serial %q, but %s.serial_number is %q: the PEM was not re-read after the renewal", c.pemAddress, got, c.serialAddress, serial)
	}
}

// A renewal by the service (the same number, a new serial and dates) is read on refresh
// without a diff on configured attributes; certificate_pem and its chain are re-read, on the
// issued certificate and on the validation that consumers take the PEM from.
func TestAccIssuedCertificate_renewedByService(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(
		`  name        = "acc-renewed"`,
		`  common_name = "renewed.example.com"`,
	) + dnsRecordsBlock + validationBlock()
	sameID := statecheck.CompareValue(compare.ValuesSame())
	serial := statecheck.CompareValue(compare.ValuesDiffer())
	var no int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraformState) (err error) {
					no, err = certificateNoOf(s, issuedResource)
					return err
				},
			},
			{
				// An apply with nothing to change saves the refresh that reads the PEM.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					serial.AddStateValue(issuedResource, at("serial_number")),
					pemMatchesSerial{issuedResource, issuedResource},
				},
			},
			{
				PreConfig: func() {
					if err := m.RenewCertificate(no); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					serial.AddStateValue(issuedResource, at("serial_number")), // a new serial
					pemMatchesSerial{issuedResource, issuedResource},
					pemMatchesSerial{validationResource, issuedResource},
				},
			},
			{
				// auto_renewal is on by default and the records are still published: once
				// the service's clock enters the 30 days before not_after, the service renews
				// it by itself, and the refresh reads it the same way.
				PreConfig: func() { m.AdvanceClock(61 * 24 * time.Hour) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					serial.AddStateValue(issuedResource, at("serial_number")),
					pemMatchesSerial{issuedResource, issuedResource},
					pemMatchesSerial{validationResource, issuedResource},
				},
			},
		},
	})
}

// A service that refuses SetRenewalStatus while the request is pending (API doc §8) does not
// taint the new certificate: the refresh shows the service's setting and the next apply sets
// it, on the same certificate.
func TestAccIssuedCertificate_renewalRefusedWhilePending(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	m.AddFault(mockserver.Fault{Operation: mockserver.OpSetRenewalStatus, Count: 1, Status: http.StatusBadRequest})
	config := m.providerBlock() + issuedBlock(
		`  name        = "acc-refused"`,
		`  common_name = "refused.example.com"`,
	)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					statecheck.ExpectKnownValue(issuedResource, at("auto_renewal"), knownvalue.Bool(true)),
				},
				ExpectNonEmptyPlan: true, // the refresh reads renewalYn N
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(issuedResource, at("id"))},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpSetRenewalStatus, 2),
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 1),
				),
			},
		},
	})
}
