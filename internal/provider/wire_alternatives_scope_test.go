package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The wire-alternatives suite, continued: the §8 alternatives that change what the service
// does rather than how it spells it, which the mock follows on request (mockserver.Options):
// a v1 that lists and deletes external certificates only, and ListDcvStatuses answered per
// queried domain.

// expectNoNewRequests checks that none of ops received a request since the snapshot.
func (m *testMock) expectNoNewRequests(before map[string]int, ops ...string) resource.TestCheckFunc {
	return func(*terraformState) error {
		for _, op := range ops {
			if n := m.Requests(op) - before[op]; n != 0 {
				return fmt.Errorf("%s received %d requests on a steady refresh, want 0", op, n)
			}
		}
		return nil
	}
}

func (m *testMock) snapshot(ops ...string) map[string]int {
	out := map[string]int{}
	for _, op := range ops {
		out[op] = m.Requests(op)
	}
	return out
}

// With a v1 that knows external certificates only, a Cloud Basic certificate is requested,
// validated, refreshed (one v2 request each, never v1), imported and deleted through API
// 2.0; importing its number into the external resource names the resource that manages it.
func TestAccIssuedCertificate_v1ExternalOnly(t *testing.T) {
	t.Parallel()
	m := newTestMock(t, mockserver.Options{V1ExternalOnly: true})
	config := m.providerBlock() + issuedBlock(
		`  name        = "acc-v2only"`,
		`  common_name = "*.v2only.example.com"`,
		`  dns_names   = ["v2only.example.com"]`,
	) + dnsRecordsBlock + validationBlock()
	steady := []string{mockserver.OpGetCertificateList, mockserver.OpListCertificates}
	var before map[string]int
	var no int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(m.checkNoCertificatesNorRecords,
			m.expectRequests(mockserver.OpDeleteCertificate, 1)),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact(client.StatusNormal)),
					statecheck.ExpectKnownValue(issuedResource, at("name"), knownvalue.StringExact("acc-v2only")),
				},
				Check: func(s *terraformState) (err error) {
					no, err = certificateNoOf(s, issuedResource)
					return err
				},
			},
			{
				// Steady refreshes: the issued certificate and the validation each one v2
				// request, by name; no v1 read and no full listing.
				PreConfig: func() { before = m.snapshot(steady...) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(issuedResource, at("status"), knownvalue.StringExact(client.StatusNormal)),
					statecheck.ExpectKnownValue(issuedResource, at("certificate_pem"), knownvalue.NotNull()),
				},
				Check: func(s *terraformState) error { return m.expectNoNewRequests(before, steady...)(s) },
			},
			{
				ResourceName:            issuedResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"domain_validation_records"},
			},
			{
				// The wrong resource: named, not "non-existent remote object".
				Config:            config + `resource "ncloudcert_external_certificate" "wrong" {}` + "\n",
				ResourceName:      "ncloudcert_external_certificate.wrong",
				ImportState:       true,
				ImportStateIdFunc: func(*terraformState) (string, error) { return strconv.FormatInt(no, 10), nil },
				ExpectError: regexp.MustCompile(`(?s)Not a certificate this resource manages.*` + evText("is a cloud_basic certificate") + `.*` +
					evText("Import it into ncloudcert_issued_certificate instead")),
			},
		},
	})
}

// The reverse: an external certificate imported into the issued resource, which reads
// through API 2.0, is named too.
func TestAccIssuedCertificate_v1ExternalOnlyImportExternal(t *testing.T) {
	t.Parallel()
	m := newTestMock(t, mockserver.Options{V1ExternalOnly: true})
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "ext.example.com", nil)
	existing := registerOutside(t, m, "acc-ext", leaf, ca.intermediatePEM)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config:        m.providerBlock() + issuedBlock(`common_name = "ext.example.com"`),
			ResourceName:  issuedResource,
			ImportState:   true,
			ImportStateId: strconv.FormatInt(existing.No, 10),
			ExpectError: regexp.MustCompile(`(?s)Not a certificate this resource manages.*` + evText("is an external certificate") + `.*` +
				evText("Import it into ncloudcert_external_certificate instead")),
		}},
		CheckDestroy: m.expectCertificates(1),
	})
}

// ListDcvStatuses answered per queried domain: a Global Edge wildcard and its apex have a
// value each at one record name; the record holds both, sorted, and validation completes.
// A Cloud Basic CNAME holds one target, so its record keeps one value.
func TestAccIssuedCertificate_dcvPerDomain(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"global_edge", "cloud_basic"} {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t, mockserver.Options{DCVPerDomain: true})
			config := m.providerBlock() + issuedBlock(
				`  type        = "`+typ+`"`,
				`  name_prefix = "pd-"`,
				`  common_name = "*.pd.example.com"`,
				`  dns_names   = ["pd.example.com"]`,
			) + dnsRecordsBlock + validationBlock(`  timeouts {
    create = "20s"
  }`)
			values := 1
			status := client.StatusNormal
			if typ == "global_edge" {
				values, status = 2, client.StatusNormalGlobalEdgeDedicated
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
				CheckDestroy:             m.checkNoCertificatesNorRecords,
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records"), knownvalue.MapSizeExact(1)),
						statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("pd.example.com").AtMapKey("record_values"),
							knownvalue.ListSizeExact(values)),
						statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact(status)),
					},
					Check: func(s *terraformState) error {
						want, err := m.expectedValues(s)
						if err != nil {
							return err
						}
						if len(want) != values {
							return fmt.Errorf("the mock expects %d values, want %d", len(want), values)
						}
						return nil
					},
				}},
			})
		})
	}
}

// expectedValues lists the distinct values the mock expects for the issued certificate.
func (m *testMock) expectedValues(s *terraformState) ([]string, error) {
	no, err := certificateNoOf(s, issuedResource)
	if err != nil {
		return nil, err
	}
	records, err := m.DCVRecords(no)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range records {
		if !seen[r.Value] {
			seen[r.Value] = true
			out = append(out, r.Value)
		}
	}
	return out, nil
}

// The whole Advanced order flow (order, records, validation, key registration, destroy)
// against a service with both alternatives: v1 external-only and per-domain DCV answers.
func TestAccAdvancedOrder_v1ExternalOnly(t *testing.T) {
	t.Parallel()
	m := newTestMock(t, mockserver.Options{V1ExternalOnly: true, DCVPerDomain: true})
	csr, key := testOrderCSR(t)
	config := m.providerBlock() + orderBlock(csr, orderProtectionOff()) + orderFlowBlocks(key)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(m.checkNoCertificates, m.expectRequests(mockserver.OpDeleteCertificate, 1)),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact(client.StatusNormalUnregisteredPrivateKey)),
					statecheck.ExpectKnownValue(privateKeyResource, at("status"), knownvalue.StringExact(client.StatusNormal)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpAdvancedCertificateRequest, 1),
					m.expectRequests(mockserver.OpRegisterPrivateKey, 1),
					m.expectOrders(1),
				),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderResource, at("status"), knownvalue.StringExact(client.StatusNormal)),
				},
			},
			{
				// Its certificate imported into the external resource: the order to import instead.
				Config:       config + `resource "ncloudcert_external_certificate" "wrong" {}` + "\n",
				ResourceName: "ncloudcert_external_certificate.wrong",
				ImportState:  true,
				ImportStateIdFunc: func(s *terraformState) (string, error) {
					return s.RootModule().Resources[orderResource].Primary.Attributes["representative_certificate_no"], nil
				},
				ExpectError: regexp.MustCompile(`(?s)Not a certificate this resource manages.*` + evText("is an advanced_dv certificate") + `.*` +
					`Import its order, 9\d{5}, into\s+ncloudcert_advanced_order`),
			},
		},
	})
}

// orderProtectionOff turns deletion protection off where the order resource has it, so
// that the test's destroy deletes the order.
func orderProtectionOff() string {
	var resp fwresource.SchemaResponse
	newAdvancedOrderResource().Schema(context.Background(), fwresource.SchemaRequest{}, &resp)
	if _, ok := resp.Schema.Attributes["deletion_protection"]; ok {
		return "  deletion_protection = false"
	}
	return ""
}
