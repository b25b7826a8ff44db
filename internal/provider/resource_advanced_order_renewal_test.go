package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// orderPEMMatchesSerial: the certificate_pem of the order and of its validation is the
// representative the service reports now (its serial is the mock's), so a refresh that kept the old PEM fails it.
func orderPEMMatchesSerial(t *testing.T, m *testMock, no *int64) func(*terraformState) error {
	return func(s *terraformState) error {
		info, ok := m.Certificate(*no)
		if !ok {
			t.Fatalf("certificate %d is gone", *no)
		}
		for _, address := range []string{orderResource, validationResource} {
			text := s.RootModule().Resources[address].Primary.Attributes["certificate_pem"]
			if got, want := pemSerial(text), client.NormalizeSerial(info.SerialNumber); got != want {
				return fmt.Errorf("%s.certificate_pem holds serial %q, the service's certificate %d has %q: the PEM was not re-read after the renewal", address, got, *no, want)
			}
		}
		return nil
	}
}

// A renewal by the service of an order's representative (the same number, a new serial from
// the same CSR key) is read on refresh without a diff, and the order's PEM is re-read.
func TestAccAdvancedOrder_renewedByService(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, key := testOrderCSR(t)
	config := m.providerBlock() + orderBlock(csr) + orderFlowBlocks(key)
	sameRep := statecheck.CompareValue(compare.ValuesSame())
	var no int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{sameRep.AddStateValue(orderResource, at("representative_certificate_no"))},
				Check: func(s *terraformState) (err error) {
					no, err = certificateNoOf(s, validationResource)
					return err
				},
			},
			{
				RefreshState: true,
				Check:        orderPEMMatchesSerial(t, m, &no),
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
					sameRep.AddStateValue(orderResource, at("representative_certificate_no")),
				},
				Check: orderPEMMatchesSerial(t, m, &no),
			},
		},
	})
}
