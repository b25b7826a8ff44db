package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The chain is compared by content with the trailing root optional on either side, and a
// chain-only change (a CA renewing its intermediate) renews in place.

// A trailing root added to or dropped from the configuration plans nothing, either way.
func TestAccExternalCertificate_chainRootOptional(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		first, second func(ca *testCA) string
	}{
		{"state has the root", func(ca *testCA) string { return ca.intermediatePEM + ca.rootPEM }, func(ca *testCA) string { return ca.intermediatePEM }},
		{"configuration adds the root", func(ca *testCA) string { return ca.intermediatePEM }, func(ca *testCA) string { return ca.intermediatePEM + ca.rootPEM }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			ca := testCertificateAuthority(t)
			leaf := ca.issue(t, "root.example.com", nil)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy:             m.checkNoCertificates,
				Steps: []resource.TestStep{
					{Config: m.providerBlock() + externalConfig("acc-root", leaf, tc.first(ca))},
					{
						Config: m.providerBlock() + externalConfig("acc-root", leaf, tc.second(ca)),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: m.expectRequests("RegisterExternalCertificate", 0),
					},
				},
			})
		})
	}
}

// A new intermediate with the same leaf is a change the service must get: the plan shows an
// in-place update, one renewal is sent, and the service then holds the new chain.
func TestAccExternalCertificate_chainOnlyChange(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "chain.example.com", nil)
	renewed, err := ca.RenewedIntermediatePEM()
	if err != nil {
		t.Fatal(err)
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config:            m.providerBlock() + externalConfig("acc-chain", leaf, ca.intermediatePEM),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testResource, at("id"))},
			},
			{
				Config: m.providerBlock() + externalConfig("acc-chain", leaf, renewed),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testResource, at("id"))},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests("RegisterExternalCertificate", 1),
					func(*terraformState) error {
						info, _ := m.Certificate(m.lastCertificateNo(t))
						if !pemSemanticallyEqual(pemChain, info.ChainPEM, renewed) {
							return fmt.Errorf("the service holds chain %q, want the renewed intermediate", info.ChainPEM)
						}
						return nil
					},
				),
			},
		},
	})
}
