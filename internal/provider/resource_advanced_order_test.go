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

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

const (
	orderResource      = "ncloudcert_advanced_order.test"
	orderDNSResource   = "ncloudcerttest_dns_record.validation"
	orderCommonName    = "www.example.com"
	orderAlternateName = "api.example.com"
)

// testOrderCSR makes a CSR (and its key) for www.example.com and api.example.com.
func testOrderCSR(t *testing.T, names ...string) (string, string) {
	t.Helper()
	if len(names) == 0 {
		names = []string{orderCommonName, orderAlternateName}
	}
	csr, key, err := testcert.CSR(names[0], names...)
	if err != nil {
		t.Fatal(err)
	}
	return csr, key
}

// orderBlock is the order with the given extra lines; deletion_protection is false unless
// a line sets it (tests destroy what they create).
func orderBlock(csr string, lines ...string) string {
	if !strings.Contains(strings.Join(lines, "\n"), "deletion_protection") {
		lines = append(lines, "  deletion_protection = false")
	}
	return fmt.Sprintf(`
resource "ncloudcert_advanced_order" "test" {
  type        = "advanced_dv"
  name        = "acc-order"
  common_name = %q
  dns_names   = [%q]
  csr_pem     = %q
%s
}
`, orderCommonName, orderAlternateName, csr, strings.Join(lines, "\n"))
}

// orderFlowBlocks: the order's records into DNS (count over the map, as for the issued
// certificate), the validation of its representative certificate, the key registration.
func orderFlowBlocks(key string) string {
	return fmt.Sprintf(`
resource "ncloudcerttest_dns_record" "validation" {
  count  = length(ncloudcert_advanced_order.test.domain_validation_records)
  name   = values(ncloudcert_advanced_order.test.domain_validation_records)[count.index].record_name
  type   = values(ncloudcert_advanced_order.test.domain_validation_records)[count.index].record_type
  values = values(ncloudcert_advanced_order.test.domain_validation_records)[count.index].record_values
}

resource "ncloudcert_certificate_validation" "test" {
  certificate_no          = ncloudcert_advanced_order.test.representative_certificate_no
  validation_record_fqdns = ncloudcerttest_dns_record.validation[*].name
}

resource "ncloudcert_certificate_private_key" "test" {
  certificate_no  = ncloudcert_certificate_validation.test.certificate_no
  private_key_pem = %q
}
`, key)
}

// expectOrders checks how many orders the mock holds.
func (m *testMock) expectOrders(want int) resource.TestCheckFunc {
	return func(*terraformState) error {
		if got := m.Stats().Orders; got != want {
			return fmt.Errorf("the mock holds %d orders, want %d", got, want)
		}
		return nil
	}
}

// The whole Advanced flow in one apply, then a reissue in place (same id, a new
// representative certificate, the validation and key registration replaced in the same
// apply), then destroy deletes every certificate of the order.
func TestAccAdvancedOrder_flowAndReissue(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, key := testOrderCSR(t)
	csr2, key2 := testOrderCSR(t)
	config := m.providerBlock() + orderBlock(csr) + orderFlowBlocks(key)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	otherCertificate := statecheck.CompareValue(compare.ValuesDiffer())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(orderResource, at("domain_validation_records").AtMapKey(orderAlternateName).AtMapKey("domains"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(orderAlternateName)})),
						plancheck.ExpectResourceAction(orderDNSResource+"[1]", plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(orderResource, at("id")),
					otherCertificate.AddStateValue(orderResource, at("representative_certificate_no")),
					statecheck.ExpectKnownValue(orderResource, at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^9\d{5}$`))),
					statecheck.ExpectKnownValue(orderResource, at("domain_validation_records").AtMapKey(orderCommonName).AtMapKey("record_type"), knownvalue.StringExact("TXT")),
					statecheck.ExpectKnownValue(orderResource, at("certificates"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(orderResource, at("subscription_years"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact(client.StatusNormalUnregisteredPrivateKey)),
					statecheck.ExpectKnownValue(privateKeyResource, at("status"), knownvalue.StringExact(client.StatusNormal)),
					statecheck.CompareValuePairs(privateKeyResource, at("certificate_no"), orderResource, at("representative_certificate_no"), compare.ValuesSame()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1),
					m.expectRequests(mockserver.OpRegisterPrivateKey, 1),
					m.expectOrders(1),
					m.expectDNSRecords(2),
				),
			},
			{
				// A refresh finds the certificate NORMAL, with its PEM.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("status"), knownvalue.StringExact(client.StatusNormal)),
					statecheck.ExpectKnownValue(orderResource, at("certificate_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----\n`))),
					statecheck.ExpectKnownValue(orderResource, at("subscription_end"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(orderResource, at("remaining_days"), knownvalue.NotNull()),
					expectLeafNames{orderResource, []string{orderCommonName, orderAlternateName}},
				},
			},
			{
				// A new CSR (and key) reissues in place; its dependents are replaced in the same apply.
				Config: m.providerBlock() + orderBlock(csr2) + orderFlowBlocks(key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(orderResource, at("representative_certificate_no")),
						plancheck.ExpectResourceAction(validationResource, plancheck.ResourceActionReplace),
						plancheck.ExpectResourceAction(privateKeyResource, plancheck.ResourceActionReplace),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(orderResource, at("id")),
					otherCertificate.AddStateValue(orderResource, at("representative_certificate_no")),
					statecheck.ExpectKnownValue(orderResource, at("certificates"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(privateKeyResource, at("status"), knownvalue.StringExact(client.StatusNormal)),
					statecheck.CompareValuePairs(privateKeyResource, at("certificate_no"), orderResource, at("representative_certificate_no"), compare.ValuesSame()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpReissueCertificate, 1),
					m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1),
					m.expectRequests(mockserver.OpRegisterPrivateKey, 2),
					m.expectOrders(1),
				),
			},
			{
				ResourceName:            orderResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"csr_pem", "timeouts", "deletion_protection", "certificate_pem", "certificate_chain_pem", "domain_validation_records", "validation_status", "status", "not_before", "not_after", "remaining_days"},
			},
		},
	})
}

// Raising subscription_years extends the subscription by the difference once the service
// allows it; more than extendable_years (0 before issuance) and lowering are plan-time errors.
func TestAccAdvancedOrder_subscription(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	config := func(years int) string {
		return m.providerBlock() + orderBlock(csr, fmt.Sprintf("  subscription_years = %d", years))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("extendable_years"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(orderResource, at("subscription_end"), knownvalue.Null()),
				},
			},
			{
				// Nothing issued yet: the service allows no extension.
				Config:      config(2),
				ExpectError: regexp.MustCompile(`Subscription cannot be extended that far`),
				Check:       m.expectRequests(mockserver.OpSubscriptionExtend, 0),
			},
			{
				PreConfig: func() {
					if err := m.ValidateCertificate(m.lastCertificateNo(t)); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(orderResource, at("subscription_end")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("subscription_years"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(orderResource, at("extendable_years"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(orderResource, at("subscription_end"), knownvalue.NotNull()),
				},
				Check: m.expectRequests(mockserver.OpSubscriptionExtend, 1),
			},
			{
				Config:      config(1),
				ExpectError: regexp.MustCompile(`Subscription cannot be shortened`),
				Check:       m.expectRequests(mockserver.OpSubscriptionExtend, 1),
			},
		},
	})
	if n := m.Requests(mockserver.OpSubscriptionExtend); n != 1 {
		t.Errorf("SubscriptionExtend received %d requests, want 1", n)
	}
}

// Nothing is sent for an OV order without organization_no, or a CSR for other names.
func TestAccAdvancedOrder_planTimeErrors(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	otherCSR, _ := testOrderCSR(t, orderCommonName, "other.example.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      m.providerBlock() + strings.Replace(orderBlock(csr), `"advanced_dv"`, `"advanced_ov"`, 1),
				ExpectError: regexp.MustCompile(`Missing organization_no`),
			},
			{
				Config:      m.providerBlock() + orderBlock(otherCSR),
				ExpectError: regexp.MustCompile(`(?s)Invalid certificate signing request.*other\.example\.com`),
			},
			{
				Config:      m.providerBlock() + orderBlock("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"),
				ExpectError: regexp.MustCompile(`does not parse`),
			},
			{
				Config:   m.providerBlock() + strings.Replace(orderBlock(csr), `"advanced_dv"`, `"advanced_ov"`, 1) + "\n",
				PlanOnly: true, ExpectError: regexp.MustCompile(`Missing organization_no`),
			},
		},
	})
	if n := m.Requests(mockserver.OpAdvancedCertificateRequest); n != 0 {
		t.Errorf("AdvancedCertificateRequest received %d requests, want 0", n)
	}
	if n := m.Stats().Orders; n != 0 {
		t.Errorf("the mock holds %d orders, want 0", n)
	}
}

// An order whose answer is lost after the service placed it: the create recovers its own
// order, and the mock holds exactly one.
func TestAccAdvancedOrder_lostAnswer(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	m.AddFault(mockserver.Fault{Operation: mockserver.OpAdvancedCertificateRequest, Count: 1, Drop: true, AfterCommit: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock() + orderBlock(csr),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("id"), knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectOrders(1), m.expectCertificates(1),
					func(*terraformState) error {
						// The request was sent again with the same requestToken, which answered
						// the order already placed instead of placing another.
						if n := m.Requests(mockserver.OpAdvancedCertificateRequest); n != 2 {
							return fmt.Errorf("AdvancedCertificateRequest received %d requests, want 2 (the dropped one and its resend)", n)
						}
						return nil
					}),
			},
		},
	})
}

// revoke_on_destroy revokes the order's issued certificates, then deletes them.
func TestAccAdvancedOrder_revokeOnDestroy(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	var no int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy: func(s *terraformState) error {
			if n := m.Requests(mockserver.OpRevokeCertificate); n != 1 {
				return fmt.Errorf("RevokeCertificate received %d requests, want 1", n)
			}
			return m.checkNoCertificates(s)
		},
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock() + orderBlock(csr, "  revoke_on_destroy = true"),
				Check: func(s *terraformState) error {
					var err error
					no, err = strconv64(s.RootModule().Resources[orderResource].Primary.Attributes["representative_certificate_no"])
					if err != nil {
						return err
					}
					return m.ValidateCertificate(no)
				},
			},
		},
	})
}

// Destroy reads every certificate of the order first: while one is in use, it names the
// instances and revokes and deletes nothing, not even the unused certificate. Once
// released, revoke_on_destroy revokes each issued certificate by its number, then deletes it.
func TestAccAdvancedOrder_inUse(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	csr2, _ := testOrderCSR(t)
	config := func(csr string) string {
		return m.providerBlock() + orderBlock(csr, "  revoke_on_destroy = true")
	}
	var first, second int64
	nothingChanged := func(*terraformState) error {
		for _, no := range []int64{first, second} {
			if info, ok := m.Certificate(no); !ok || info.StatusName == client.StatusRevoke {
				return fmt.Errorf("certificate %d: present %v, status %q: want it kept and not revoked", no, ok, info.StatusName)
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(m.checkNoCertificates,
			m.expectRequests(mockserver.OpRevokeCertificate, 2)),
		Steps: []resource.TestStep{
			{
				Config: config(csr),
				Check: func(*terraformState) error {
					first = m.lastCertificateNo(t)
					return m.ValidateCertificate(first)
				},
			},
			{
				// A reissue: the order holds two issued certificates; the older is in use.
				Config: config(csr2),
				Check: func(*terraformState) error {
					second = m.lastCertificateNo(t)
					if err := m.ValidateCertificate(second); err != nil {
						return err
					}
					return m.SetInUse(first, "7001", "7002")
				},
			},
			{
				Config:      config(csr2),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Certificate \d+ of order 9\d+ is in use.*used by instance\(s\)\s+7001,\s+7002.*Nothing was\s+revoked or deleted`),
				Check: resource.ComposeAggregateTestCheckFunc(nothingChanged, m.expectCertificates(2),
					m.expectRequests(mockserver.OpRevokeCertificate, 0), m.expectRequests("deleteCertificate", 0)),
			},
			{
				PreConfig: func() {
					if err := m.SetInUse(first); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(csr2),
			},
		},
	})
}

func strconv64(s string) (int64, error) {
	var n int64
	_, err := fmt.Sscan(s, &n)
	return n, err
}

// An order whose outcome stays unknown (the answer dropped, the lookups failing too): the
// apply ends with a warning, never an error (which would taint it, and a taint buys
// another order); the next refresh finds the order it placed and the plan is empty.
func TestAccAdvancedOrder_outcomeUnknown(t *testing.T) {
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
					m.AddFault(mockserver.Fault{Operation: "getCertificateList", Count: 5, Status: 503}) // 1 + max_retries
					// The first refresh after the apply cannot look the order up either.
					m.AddFault(mockserver.Fault{Operation: mockserver.OpListAdvancedCertificates, Count: 5, Status: 503})
				},
				Config:             config,
				ExpectNonEmptyPlan: true, // until a refresh finds it, the plan sends the same request again
				Check:              m.expectOrders(1),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("id"), knownvalue.StringRegexp(regexp.MustCompile(`^9\d{5}$`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectOrders(1),
					m.expectCertificates(1),
					m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1),
				),
			},
		},
	})
}

// A CSR that differs only in formatting plans nothing; a certificate deleted outside
// Terraform takes the order out of state (the next apply orders anew).
func TestAccAdvancedOrder_formattingAndDrift(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	csr, _ := testOrderCSR(t)
	messy := "\n  " + strings.ReplaceAll(csr, "\n", "\r\n") + "\n\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{Config: m.providerBlock() + orderBlock(csr)},
			{
				Config:   m.providerBlock() + orderBlock(messy),
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					no := m.lastCertificateNo(t)
					info, _ := m.Certificate(no)
					if err := m.client(t).DeleteCertificate(t.Context(), no, info.Name); err != nil {
						t.Fatal(err)
					}
				},
				Config: m.providerBlock() + orderBlock(csr),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderResource, plancheck.ResourceActionCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpAdvancedCertificateRequest, 2),
					m.expectCertificates(1),
				),
			},
		},
	})
}
