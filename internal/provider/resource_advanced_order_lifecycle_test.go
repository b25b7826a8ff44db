package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The lifecycle of a paid order: nothing re-buys, revokes or forfeits it by accident.

// orderRecordsBlock publishes the order's records (count over the map).
const orderRecordsBlock = `
resource "ncloudcerttest_dns_record" "validation" {
  count  = length(ncloudcert_advanced_order.test.domain_validation_records)
  name   = values(ncloudcert_advanced_order.test.domain_validation_records)[count.index].record_name
  type   = values(ncloudcert_advanced_order.test.domain_validation_records)[count.index].record_type
  values = values(ncloudcert_advanced_order.test.domain_validation_records)[count.index].record_values
}
`

// deletion_protection (the default) refuses destroy and replacement at plan time, with the
// way out; turning it off is an in-place change of state only.
func TestAccAdvancedOrder_deletionProtection(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	protectedConfig := m.providerBlock() + orderBlock(csr, "  # deletion_protection: the default")
	nothingChanged := resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectCertificates(1),
		m.expectRequests("deleteCertificate", 0), m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: protectedConfig,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("deletion_protection"), knownvalue.Bool(true)),
				},
			},
			{
				Config:      protectedConfig,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Advanced order is protected from destroy.*forfeits\s+its\s+paid\s+subscription.*deletion_protection\s+=\s+false`),
				Check:       nothingChanged,
			},
			{
				// A change of type needs a new order: refused too.
				Config: m.providerBlock() + strings.Replace(orderBlock(csr, "  # deletion_protection: the default", "  organization_no = 5"),
					`"advanced_dv"`, `"advanced_ov"`, 1),
				ExpectError: regexp.MustCompile(`(?s)Advanced order is protected from replacement.*Changing type replaces order 9\d+.*deletion_protection\s+=\s+false`),
				Check:       nothingChanged,
			},
			{
				Config:       m.providerBlock() + orderBlock(csr, "  # deletion_protection: the default"),
				ResourceName: orderResource, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"csr_pem", "timeouts", "certificate_pem", "certificate_chain_pem", "domain_validation_records"},
			},
			{
				Config: m.providerBlock() + orderBlock(csr),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate)},
				},
				Check: nothingChanged,
			},
		},
	})
}

// One 503 answer (after the client's retries) to GetOrder right after the order was placed:
// a warning, the order in state, no taint: the next plan is empty and there is one order.
func TestAccAdvancedOrder_readFailsAfterOrder(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	config := m.providerBlock() + orderBlock(csr)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpGetOrder, Count: 5, Status: 503}) // 1 + max_retries
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^9\d{5}$`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectRequests(mockserver.OpGetOrder, 5)),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("status"), knownvalue.StringExact(client.StatusOngoing)),
					statecheck.ExpectKnownValue(orderResource, at("certificates"), knownvalue.ListSizeExact(1)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1)),
			},
		},
	})
}

// The uncertain create whose order the refresh cannot find: the next apply sends the same
// request with the requestToken kept in private state, and the service answers it with the
// order that token placed. One order; with a new token the name would be refused.
func TestAccAdvancedOrder_requestTokenReused(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	config := m.providerBlock() + orderBlock(csr)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpAdvancedCertificateRequest, Count: 1, Drop: true, AfterCommit: true})
					m.AddFault(mockserver.Fault{Operation: "getCertificateList", Count: 5, Status: 503})
					m.AddFault(mockserver.Fault{Operation: mockserver.OpListAdvancedCertificates, Count: 1000, Status: 503})
				},
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(orderResource, at("name"), knownvalue.StringExact("acc-order")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1)),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("id"), knownvalue.StringExact("900001")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectCertificates(1),
					m.expectRequests(mockserver.OpAdvancedCertificateRequest, 2)),
			},
		},
	})
}

// A reissue whose answer is lost after the service made it, with the look-ups failing: the
// error says what the next plan does, and across later applies (the first with the order
// unreadable at refresh) the certificate it made is adopted: one reissue in all.
func TestAccAdvancedOrder_reissueLost(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	csr2, _ := testOrderCSR(t)
	config2 := m.providerBlock() + orderBlock(csr2)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	otherCertificate := statecheck.CompareValue(compare.ValuesDiffer())
	oneReissue := resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectCertificates(2),
		m.expectRequests(mockserver.OpReissueCertificate, 1))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock() + orderBlock(csr),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(orderResource, at("id")),
					otherCertificate.AddStateValue(orderResource, at("representative_certificate_no"))},
			},
			{
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpReissueCertificate, Count: 1, Drop: true, AfterCommit: true})
					m.AddFault(mockserver.Fault{Operation: "getCertificateList", Count: 30, Status: 503})
				},
				Config:      config2,
				ExpectError: regexp.MustCompile(`(?s)outcome of the reissue is unknown.*next refresh\s+looks\s+for\s+certificate.*never\s+sent\s+twice`),
				Check:       oneReissue,
			},
			{
				// The refresh cannot read the order: the apply finds the reissue's certificate
				// and adopts it, sending nothing.
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpGetOrder, Count: 5, Status: 503})
				},
				Config: config2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(orderResource, at("id")),
					otherCertificate.AddStateValue(orderResource, at("representative_certificate_no")),
					statecheck.ExpectKnownValue(orderResource, at("certificates"), knownvalue.ListSizeExact(2)),
				},
				Check: oneReissue,
			},
			{
				Config: config2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: oneReissue,
			},
		},
	})
}

// name and name_prefix are state only: changing them never places an order.
func TestAccAdvancedOrder_nameInPlace(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	sameCertificate := statecheck.CompareValue(compare.ValuesSame())
	inPlace := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	same := func(more ...statecheck.StateCheck) []statecheck.StateCheck {
		return append([]statecheck.StateCheck{sameID.AddStateValue(orderResource, at("id")), sameCertificate.AddStateValue(orderResource, at("representative_certificate_no"))}, more...)
	}
	oneOrder := resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectCertificates(1),
		m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1), m.expectRequests(mockserver.OpReissueCertificate, 0))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{Config: m.providerBlock() + orderBlock(csr), ConfigStateChecks: same()},
			{
				Config:            m.providerBlock() + strings.Replace(orderBlock(csr), `"acc-order"`, `"acc-renamed"`, 1),
				ConfigPlanChecks:  inPlace,
				ConfigStateChecks: same(statecheck.ExpectKnownValue(orderResource, at("name"), knownvalue.StringExact("acc-renamed"))),
				Check:             oneOrder,
			},
			{
				Config:            m.providerBlock() + strings.Replace(orderBlock(csr), `name        = "acc-order"`, `name_prefix = "acc-"`, 1),
				ConfigPlanChecks:  inPlace,
				ConfigStateChecks: same(),
				Check:             oneOrder,
			},
		},
	})
}

// An import after the order's first certificate was deleted finds another certificate's
// name: the configured name is taken in place, never by a replacement.
func TestAccAdvancedOrder_importNameNoReplace(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	csr2, _ := testOrderCSR(t)
	var orderID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					c, ctx := m.client(t), t.Context()
					res, err := c.RequestAdvancedCertificate(ctx, client.AdvancedRequest{Type: client.AdvancedDV, Name: "old-first", CommonName: orderCommonName,
						DNSNames: []string{orderAlternateName}, CSR: csr, ValidationMethod: "D", RequestToken: "import-test"})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := c.ReissueCertificate(ctx, res.Certificate.No, client.ReissueRequest{CSR: csr2, Name: "old-second",
						CommonName: orderCommonName, DNSNames: []string{orderAlternateName}, ValidationMethod: "D"}); err != nil {
						t.Fatal(err)
					}
					if err := c.DeleteCertificate(ctx, res.Certificate.No, "old-first"); err != nil {
						t.Fatal(err)
					}
					orderID = res.OrderID
				},
				Config:             m.providerBlock() + orderBlock(csr2),
				ResourceName:       orderResource,
				ImportState:        true,
				ImportStateIdFunc:  func(*terraformState) (string, error) { return orderID, nil },
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if got := states[0].Attributes["name"]; got != "old-second" {
						return fmt.Errorf("imported name %q, want old-second", got)
					}
					return nil
				},
			},
			{
				Config: m.providerBlock() + orderBlock(csr2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("name"), knownvalue.StringExact("acc-order")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectCertificates(1),
					m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1), m.expectRequests(mockserver.OpReissueCertificate, 1)),
			},
		},
	})
}

// A representative whose request expired warns on refresh, and the next plan reissues it in
// place (same order), with no reissue_triggers bump; the new certificate plans clean.
func TestAccAdvancedOrder_failedRepresentativeReissues(t *testing.T) {
	t.Parallel()
	csr, _ := testOrderCSR(t)
	for _, status := range []string{client.StatusValidationExpire, client.StatusFailed} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			config := m.providerBlock() + orderBlock(csr)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy:             m.checkNoCertificates,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							if err := m.SetStatus(m.lastCertificateNo(t), status); err != nil {
								t.Fatal(err)
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate),
								plancheck.ExpectUnknownValue(orderResource, at("representative_certificate_no")),
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(orderResource, at("status"), knownvalue.StringExact(client.StatusOngoing)),
						},
						Check: resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectCertificates(2),
							m.expectRequests(mockserver.OpReissueCertificate, 1), m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1)),
					},
				},
			})
		})
	}
}

// With persistent_dns, a reissue for the same validation domains keeps the records known in
// the plan, so the DNS records are not replaced; a validation_method change alone is state
// only (issue 16): no reissue, the same representative.
func TestAccAdvancedOrder_persistentRecordsAndMethod(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	csr2, _ := testOrderCSR(t)
	csr3, _ := testOrderCSR(t)
	sameCertificate := statecheck.CompareValue(compare.ValuesSame())
	config := func(csr, method string) string {
		return m.providerBlock() + orderBlock(csr, fmt.Sprintf("  validation_method = %q", method)) + orderRecordsBlock
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config:            config(csr, "dns"),
				ConfigStateChecks: []statecheck.StateCheck{sameCertificate.AddStateValue(orderResource, at("representative_certificate_no"))},
			},
			{
				Config: config(csr, "persistent_dns"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(orderResource, at("representative_certificate_no"), knownvalue.NotNull()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameCertificate.AddStateValue(orderResource, at("representative_certificate_no"))},
				Check:             m.expectRequests(mockserver.OpReissueCertificate, 0),
			},
			{
				// The records in state are one-time ones: the first persistent_dns reissue
				// makes new records, unknown in the plan.
				Config: config(csr2, "persistent_dns"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(orderResource, at("representative_certificate_no")),
						plancheck.ExpectUnknownValue(orderResource, at("domain_validation_records").AtMapKey(orderCommonName).AtMapKey("record_name")),
						plancheck.ExpectResourceAction(orderDNSResource+"[0]", plancheck.ResourceActionReplace),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.expectRequests(mockserver.OpReissueCertificate, 1),
			},
			{
				// persistent_dns before and after, same validation domains: the records are the
				// order's, known in the plan; the DNS records stay.
				Config: config(csr3, "persistent_dns"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(orderResource, at("representative_certificate_no")),
						plancheck.ExpectKnownValue(orderResource, at("domain_validation_records").AtMapKey(orderCommonName).AtMapKey("record_name"), knownvalue.NotNull()),
						plancheck.ExpectResourceAction(orderDNSResource+"[0]", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(orderDNSResource+"[1]", plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectRequests(mockserver.OpReissueCertificate, 2), m.expectOrders(1)),
			},
		},
	})
}

// A reissue lost before the service made it, with the look-ups failing: the next apply finds
// nothing under the recorded name and sends the same reissue once more. One new certificate.
func TestAccAdvancedOrder_reissueLostBeforeCommit(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	csr2, _ := testOrderCSR(t)
	config2 := m.providerBlock() + orderBlock(csr2)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{Config: m.providerBlock() + orderBlock(csr)},
			{
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpReissueCertificate, Count: 1, Drop: true})
					// The name check before the reissue and the client's look-up after it, each
					// 1 + max_retries: all fail, none is left for the next step.
					m.AddFault(mockserver.Fault{Operation: "getCertificateList", Count: 10, Status: 503})
				},
				Config:      config2,
				ExpectError: regexp.MustCompile(`outcome of the reissue is unknown`),
				Check:       resource.ComposeAggregateTestCheckFunc(m.expectCertificates(1), m.expectRequests(mockserver.OpReissueCertificate, 1)),
			},
			{
				Config: config2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("certificates"), knownvalue.ListSizeExact(2)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectCertificates(2),
					m.expectRequests(mockserver.OpReissueCertificate, 2)),
			},
		},
	})
}
