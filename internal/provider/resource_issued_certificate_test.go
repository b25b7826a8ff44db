package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

const (
	issuedResource     = "ncloudcert_issued_certificate.test"
	validationResource = "ncloudcert_certificate_validation.test"
	dnsRecordResource  = "ncloudcerttest_dns_record.validation"
)

// issuedBlock renders the issued certificate with the given argument lines.
func issuedBlock(lines ...string) string {
	return fmt.Sprintf(`
resource "ncloudcert_issued_certificate" "test" {
%s
}
`, strings.Join(lines, "\n"))
}

// dnsRecordsBlock publishes every validation record to the mock's DNS. plugin-testing
// cannot hold for_each instances (design §6): count over the map's values, whose keys are
// known at plan time, is the same wiring.
const dnsRecordsBlock = `
resource "ncloudcerttest_dns_record" "validation" {
  count  = length(ncloudcert_issued_certificate.test.domain_validation_records)
  name   = values(ncloudcert_issued_certificate.test.domain_validation_records)[count.index].record_name
  type   = values(ncloudcert_issued_certificate.test.domain_validation_records)[count.index].record_type
  values = values(ncloudcert_issued_certificate.test.domain_validation_records)[count.index].record_values
}
`

// wrongDNSRecordsBlock publishes the right names with a wrong value.
var wrongDNSRecordsBlock = strings.Replace(dnsRecordsBlock,
	"values = values(ncloudcert_issued_certificate.test.domain_validation_records)[count.index].record_values",
	`values = ["wrong.example.net."]`, 1)

// validationBlock waits for the certificate, checking the published record names.
func validationBlock(lines ...string) string {
	return fmt.Sprintf(`
resource "ncloudcert_certificate_validation" "test" {
  certificate_no          = ncloudcert_issued_certificate.test.certificate_no
  validation_record_fqdns = ncloudcerttest_dns_record.validation[*].name
%s
}
`, strings.Join(lines, "\n"))
}

// certificateNoOf reads a resource's certificate number from state.
func certificateNoOf(s *terraformState, address string) (int64, error) {
	r, ok := s.RootModule().Resources[address]
	if !ok {
		return 0, fmt.Errorf("%s is not in state", address)
	}
	return strconv.ParseInt(r.Primary.Attributes["certificate_no"], 10, 64)
}

// expectLeafNames checks the subject alternative names of the PEM certificate in state.
type expectLeafNames struct {
	address string
	names   []string
}

func (c expectLeafNames) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address != c.address {
			continue
		}
		text, _ := r.AttributeValues["certificate_pem"].(string)
		leaf, err := parseLeafCertificate(text)
		if err != nil {
			resp.Error = fmt.Errorf("%s.certificate_pem: %w", c.address, err)
			return
		}
		got, want := slices.Sorted(slices.Values(leaf.DNSNames)), slices.Sorted(slices.Values(c.names))
		if !slices.Equal(got, want) {
			resp.Error = fmt.Errorf("%s: the issued certificate names %v, want %v", c.address, got, want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in state", c.address)
}

// expectDNSRecords checks how many records the mock's DNS holds.
func (m *testMock) expectDNSRecords(want int) resource.TestCheckFunc {
	return func(*terraformState) error {
		if got := len(m.DNSRecords()); got != want {
			return fmt.Errorf("the simulated DNS holds %d records, want %d: %+v", got, want, m.DNSRecords())
		}
		return nil
	}
}

func (m *testMock) checkNoCertificatesNorRecords(s *terraformState) error {
	if err := m.checkNoCertificates(s); err != nil {
		return err
	}
	return m.expectDNSRecords(0)(s)
}

// The whole DNS flow in one configuration and one apply: the request, its records into DNS,
// the validation that waits for issuance. A later refresh fills the PEM, once.
func TestAccIssuedCertificate_dnsFlow(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(
		`  name        = "acc-flow"`,
		`  common_name = "www.example.com"`,
		`  dns_names   = ["api.example.com", "example.com"]`,
	) + dnsRecordsBlock + validationBlock()
	var chainBefore, dcvBefore int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionCreate),
						// The keys and the domains they validate are known before anything exists.
						plancheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("api.example.com").AtMapKey("domains"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("api.example.com")})),
						plancheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("example.com").AtMapKey("domains"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("example.com")})),
						plancheck.ExpectUnknownValue(issuedResource, at("domain_validation_records").AtMapKey("www.example.com").AtMapKey("record_name")),
						plancheck.ExpectResourceAction(dnsRecordResource+"[2]", plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(issuedResource, at("type"), knownvalue.StringExact("cloud_basic")),
						plancheck.ExpectKnownValue(issuedResource, at("auto_renewal"), knownvalue.Bool(true)), // on unless said otherwise
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
					statecheck.ExpectKnownValue(validationResource, at("issued_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(validationResource, at("not_after"), knownvalue.NotNull()),
					statecheck.CompareValuePairs(validationResource, at("certificate_no"), issuedResource, at("certificate_no"), compare.ValuesSame()),
					statecheck.CompareValuePairs(validationResource, at("id"), issuedResource, at("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("example.com").AtMapKey("record_type"), knownvalue.StringExact("CNAME")),
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("example.com").AtMapKey("record_name"),
						knownvalue.StringRegexp(regexp.MustCompile(`^_[0-9a-f]{32}\.example\.com$`))),
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("api.example.com").AtMapKey("record_values"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}\.dcv\.ncloudcert-mock\.test\.$`))})),
					statecheck.ExpectKnownValue(issuedResource, at("validation_status").AtMapKey("www.example.com"), knownvalue.NotNull()),
					// Nothing in a record changes on validation: consumers of each.value never diff.
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("www.example.com"),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"record_name": knownvalue.NotNull(), "record_type": knownvalue.NotNull(),
							"record_values": knownvalue.ListSizeExact(1), "domains": knownvalue.SetSizeExact(1)})),
					statecheck.ExpectKnownValue(issuedResource, at("name"), knownvalue.StringExact("acc-flow")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 1),
					m.expectCertificates(1),
					m.expectDNSRecords(3),
				),
			},
			{
				// After a refresh the certificate is issued in state, with its PEM.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(issuedResource, at("status"), knownvalue.StringExact("NORMAL")),
					statecheck.ExpectKnownValue(issuedResource, at("certificate_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----\n`))),
					statecheck.ExpectKnownValue(issuedResource, at("certificate_chain_pem"), knownvalue.StringRegexp(regexp.MustCompile(`(?s)^-----BEGIN CERTIFICATE-----\n.*-----BEGIN CERTIFICATE-----\n`))),
					statecheck.ExpectKnownValue(issuedResource, at("serial_number"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]+$`))),
					statecheck.ExpectKnownValue(issuedResource, at("issued_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(issuedResource, at("validation_status").AtMapKey("www.example.com"), knownvalue.StringExact(client.DCVStatusSuccess)),
					expectLeafNames{issuedResource, []string{"www.example.com", "api.example.com", "example.com"}},
				},
				Check: func(s *terraformState) error {
					chainBefore, dcvBefore = m.Requests(mockserver.OpGetCertificateChain), m.Requests(mockserver.OpListDcvStatuses)
					if chainBefore == 0 {
						return fmt.Errorf("GetCertificateChain received no request, yet the PEM is in state")
					}
					return m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 1)(s)
				},
			},
			{
				// Steady state: refreshing an issued certificate is one request, nothing more.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraformState) error {
					if c, d := m.Requests(mockserver.OpGetCertificateChain)-chainBefore, m.Requests(mockserver.OpListDcvStatuses)-dcvBefore; c != 0 || d != 0 {
						return fmt.Errorf("refreshing an issued certificate sent %d GetCertificateChain and %d ListDcvStatuses requests, want none", c, d)
					}
					return nil
				},
			},
		},
	})
}

// A wildcard and its apex share one validation record: one map entry, one DNS record.
func TestAccIssuedCertificate_wildcardAndApex(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(
		`  name        = "acc-wildcard"`,
		`  common_name = "*.example.com"`,
		`  dns_names   = ["example.com"]`,
	) + dnsRecordsBlock + validationBlock()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("example.com").AtMapKey("domains"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("*.example.com"), knownvalue.StringExact("example.com")})),
						plancheck.ExpectResourceAction(dnsRecordResource+"[0]", plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records"), knownvalue.MapSizeExact(1)),
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectDNSRecords(1),
					func(s *terraformState) error {
						if _, two := s.RootModule().Resources[dnsRecordResource+".1"]; two {
							return fmt.Errorf("two DNS records for one validation domain")
						}
						return nil
					},
				),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectLeafNames{issuedResource, []string{"*.example.com", "example.com"}},
				},
			},
		},
	})
}

// A wrong record value is never validated: the validation gives up at its create timeout,
// naming the last status and the records it waited for.
func TestAccCertificateValidation_wrongValueTimesOut(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(
		`  name        = "acc-wrong"`,
		`  common_name = "wrong.example.com"`,
	) + wrongDNSRecordsBlock + validationBlock(`  timeouts {
    create = "3s"
  }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{{
			Config: config,
			ExpectError: regexp.MustCompile(`(?s)Certificate not issued in time.*` + evText("within the create timeout (3s): its last status was ONGOING") + `.*` +
				`_[0-9a-f]{32}\.wrong\.example\.com\s+CNAME\s+[0-9a-f]{32}\.dcv\.ncloudcert-mock\.test\.`),
		}, {
			// The wait polled the status, and the certificate is still pending.
			PreConfig: func() {
				if n := m.Requests(mockserver.OpGetCertificateList) + m.Requests(mockserver.OpListCloudCertificates); n < 4 {
					t.Errorf("getCertificateList received %d requests: the validation did not poll", n)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(validationResource, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionNoop),
				},
			},
			ExpectError: regexp.MustCompile(`Certificate not issued in time`),
		}},
	})
}

// validation_record_fqdns without one of the expected records fails at once, naming it, with
// no polling; listing them all then validates.
func TestAccCertificateValidation_missingRecordFailsFast(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	issued := issuedBlock(
		`  name        = "acc-missing"`,
		`  common_name = "a.example.com"`,
		`  dns_names   = ["b.example.com"]`,
	)
	partial := strings.Replace(validationBlock(`  timeouts {
    create = "60s"
  }`), "ncloudcerttest_dns_record.validation[*].name", "[ncloudcerttest_dns_record.validation[0].name]", 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				// Only the first record is published, and listed.
				Config:      m.providerBlock() + issued + strings.Replace(dnsRecordsBlock, "count  = length(ncloudcert_issued_certificate.test.domain_validation_records)", "count  = 1", 1) + partial,
				ExpectError: regexp.MustCompile(`(?s)Validation records missing.*` + evText("validation_record_fqdns does not list") + `.*_[0-9a-f]{32}\.b\.example\.com`),
			},
			{
				PreConfig: func() {
					// The request's read (v2), the validation's one read (by number): no polls.
					if n := m.Requests(mockserver.OpGetCertificateList) + m.Requests(mockserver.OpListCloudCertificates); n != 2 {
						t.Errorf("getCertificateList received %d requests, want 2 (the request's read and the validation's): no waiting polls", n)
					}
					if n := m.Requests(mockserver.OpListDcvStatuses); n != 4 {
						t.Errorf("ListDcvStatuses received %d requests, want 4 (2 at the request, 2 for the check)", n)
					}
				},
				Config: m.providerBlock() + issued + dnsRecordsBlock + validationBlock(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
				},
			},
		},
	})
}

// A request the service fails is reported with the service's reason; the next plan
// replaces it (the failed request is deleted, a new one requested), and it validates.
func TestAccIssuedCertificate_failedRequestReplaced(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	const reason = "CAA records of fail.example.com do not allow this CA"
	issued := issuedBlock(`  name        = "acc-fail"`, `  common_name = "fail.example.com"`)
	failed := make(chan int64, 1)
	var firstNo int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				// The CA fails the request while the validation waits (the records are wrong).
				PreConfig: func() {
					c := m.client(t)
					go func() {
						for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(10 * time.Millisecond) {
							if m.Stats().Certificates == 0 {
								continue
							}
							cert, err := c.FindCertificateByName(context.Background(), "acc-fail")
							if err == nil && cert != nil {
								if err := m.FailCertificate(cert.No, reason); err != nil {
									t.Error(err)
								}
								failed <- cert.No
								return
							}
						}
						failed <- 0
					}()
				},
				Config:      m.providerBlock() + issued + wrongDNSRecordsBlock + validationBlock(),
				ExpectError: regexp.MustCompile(`(?s)Certificate validation failed.*reached status FAILED.*` + regexp.QuoteMeta(reason)),
			},
			{
				PreConfig: func() { firstNo = <-failed },
				Config:    m.providerBlock() + issued + dnsRecordsBlock + validationBlock(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectUnknownValue(issuedResource, at("certificate_no")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 2),
					m.expectRequests(mockserver.OpDeleteCertificate, 1),
					m.expectCertificates(1),
					func(s *terraformState) error {
						no, err := certificateNoOf(s, issuedResource)
						if err != nil {
							return err
						}
						if _, stillThere := m.Certificate(firstNo); stillThere || no == firstNo {
							return fmt.Errorf("the failed request %d was not replaced (now %d)", firstNo, no)
						}
						return nil
					},
				),
			},
		},
	})
}

// A request whose validation window closes (VALIDATION_EXPIRE) fails the validation; the
// next apply requests anew.
func TestAccIssuedCertificate_validationExpired(t *testing.T) {
	t.Parallel()
	m := newTestMock(t, mockserver.Options{ValidationWindow: 2 * time.Second})
	issued := issuedBlock(`  name        = "acc-expire"`, `  common_name = "expire.example.com"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				Config:      m.providerBlock() + issued + wrongDNSRecordsBlock + validationBlock(),
				ExpectError: regexp.MustCompile(`(?s)Certificate validation failed.*reached status VALIDATION_EXPIRE`),
			},
			{
				Config: m.providerBlock() + issued + dnsRecordsBlock + validationBlock(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 2),
					m.expectCertificates(1),
				),
			},
		},
	})
}

// Import (verify), auto_renewal in place, drift of the flag and of the certificate, a
// spelling-only change of the names, and a real change of names replacing.
func TestAccIssuedCertificate_lifecycle(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	c := m.client(t)
	config := func(commonName, extra string) string {
		return m.providerBlock() + issuedBlock(
			`  name        = "acc-life"`,
			`  common_name = "`+commonName+`"`,
			`  dns_names   = ["api.life.example.com"]`,
			extra,
		) + dnsRecordsBlock + validationBlock()
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var no int64
	readNo := func(s *terraformState) (err error) {
		no, err = certificateNoOf(s, issuedResource)
		return err
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				Config:            config("life.example.com", ""),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(issuedResource, at("id"))},
				Check:             readNo,
			},
			{
				// Saves the refresh that sees the certificate issued (plans do not).
				RefreshState: true,
			},
			{
				ResourceName:      issuedResource,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				Config: config("life.example.com", `  auto_renewal = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(validationResource, plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue(issuedResource, at("certificate_pem"), knownvalue.NotNull()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					statecheck.ExpectKnownValue(issuedResource, at("auto_renewal"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpSetRenewalStatus, 2), // on at create (the default), off now
					func(*terraformState) error {
						if info, _ := m.Certificate(no); info.RenewalYn != "N" {
							return fmt.Errorf("renewalYn is %q on the service, want N", info.RenewalYn)
						}
						return nil
					},
				),
			},
			{
				// Turned on outside Terraform: a diff, applied in place.
				PreConfig: func() {
					if err := c.SetRenewalStatus(context.Background(), no, true); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("life.example.com", `  auto_renewal = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(issuedResource, at("id"))},
				Check:             m.expectRequests(mockserver.OpSetRenewalStatus, 4), // create, ours, the outside one, ours
			},
			{
				// Case and a trailing dot are no change on the service: only the state follows.
				Config: config("LIFE.Example.com.", `  auto_renewal = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(validationResource, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					statecheck.ExpectKnownValue(issuedResource, at("common_name"), knownvalue.StringExact("LIFE.Example.com.")),
				},
				Check: m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 1),
			},
			{
				// Deleted outside Terraform: requested anew, validated anew.
				PreConfig: func() {
					if err := c.DeleteCertificate(context.Background(), no, "acc-life"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("life.example.com", `  auto_renewal = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(validationResource, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
					statecheck.ExpectKnownValue(issuedResource, at("auto_renewal"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 2),
					m.expectCertificates(1),
					func(s *terraformState) error {
						old := no
						if err := readNo(s); err != nil || no == old {
							return fmt.Errorf("expected a new certificate number after recreation (was %d, now %d, %v)", old, no, err)
						}
						return nil
					},
				),
			},
			{
				// Other names: a new certificate replaces the old one.
				Config: config("other.example.com", `  auto_renewal = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectResourceAction(validationResource, plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("other.example.com").AtMapKey("domains"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("other.example.com")})),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(issuedResource, at("common_name"), knownvalue.StringExact("other.example.com")),
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 3),
					m.expectCertificates(1),
					m.expectDNSRecords(2),
				),
			},
		},
	})
}

// Global Edge: TXT records, NORMAL_GLOBAL_EDGE_DEDICATED, a generated name with a prefix.
func TestAccIssuedCertificate_globalEdge(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(
		`  type        = "global_edge"`,
		`  name_prefix = "ged-"`,
		`  common_name = "*.edge.example.com"`,
		`  dns_names   = ["edge.example.com", "static.example.com"]`,
	) + dnsRecordsBlock + validationBlock()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(issuedResource, at("name"), knownvalue.StringRegexp(regexp.MustCompile(`^ged-[a-z0-9]{8}$`))),
					statecheck.ExpectKnownValue(issuedResource, at("type"), knownvalue.StringExact("global_edge")),
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records"), knownvalue.MapSizeExact(2)),
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("edge.example.com").AtMapKey("record_type"), knownvalue.StringExact("TXT")),
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("edge.example.com").AtMapKey("record_name"), knownvalue.StringExact("_acme-challenge.edge.example.com")),
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL_GLOBAL_EDGE_DEDICATED")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpGlobalEdgeCertificateRequest, 1),
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 0),
				),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(issuedResource, at("status"), knownvalue.StringExact("NORMAL_GLOBAL_EDGE_DEDICATED")),
					expectLeafNames{issuedResource, []string{"*.edge.example.com", "edge.example.com", "static.example.com"}},
				},
			},
			{
				ResourceName:            issuedResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"name_prefix"},
			},
		},
	})
}

// Every bad input is an error on its attribute at plan time, and nothing reaches the service.
func TestAccIssuedCertificate_badInput(t *testing.T) {
	t.Parallel()
	m := newTestTarget(t)
	cfg := func(lines ...string) string { return m.providerBlock() + issuedBlock(lines...) }
	tooMany := make([]string, maxCertificateNames)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("%q", fmt.Sprintf("n%d.example.com", i))
	}
	cases := []struct{ config, want string }{
		{cfg(`common_name = "exa mple.com"`), `(?s)Invalid domain name.*common_name.*` + evText("has a character other than letters")},
		{cfg(`common_name = "www.*.example.com"`), `(?s)Invalid domain name.*` + evText("wildcard is allowed only as the whole leftmost label")},
		{cfg(`common_name = "*www.example.com"`), `(?s)Invalid domain name.*` + evText("wildcard is allowed only as the whole leftmost label")},
		{cfg(`common_name = "*.com"`), `(?s)Invalid domain name.*` + evText("a wildcard needs at least two labels")},
		{cfg(`common_name = "localhost"`), `(?s)Invalid domain name.*` + evText("needs at least two labels")},
		{cfg(`common_name = "10.0.0.1"`), `(?s)Invalid domain name.*` + evText("must not be all digits")},
		{cfg(`common_name = "-bad.example.com"`), `(?s)Invalid domain name.*` + evText("starts or ends with a hyphen")},
		{cfg(`common_name = "` + strings.Repeat("a", 60) + `.example.com"`), `(?s)Invalid domain name.*` + evText("longer than 64 characters")},
		{cfg(`common_name = "bücher.example"`), `(?s)Invalid domain name.*punycode`},
		{cfg(`common_name = "ok.example.com"`, `dns_names = ["bad_name.example.com"]`), `(?s)Invalid domain name.*dns_names.*bad_name`},
		{cfg(`common_name = "ok.example.com"`, `dns_names = ["A.example.com", "a.example.com."]`), `(?s)Duplicate domain name.*dns_names.*` + evText("the same name")},
		{cfg(`common_name = "ok.example.com"`, `dns_names = ["OK.example.com"]`), `(?s)Duplicate domain name.*` + evText("repeats the common name")},
		{cfg(`common_name = "ok.example.com"`, `dns_names = [`+strings.Join(tooMany, ", ")+`]`), `(?s)Too many domain names.*` + evText("at most 100 domain names") + `.*` + evText("has 101")},
		{cfg(`common_name = "ok.example.com"`, `type = "advanced_dv"`), `(?s)type.*value must be one of.*"cloud_basic".*"global_edge"`},
		{cfg(`common_name = "ok.example.com"`, `name = "1bad"`), `(?s)name.*3–20 characters`},
		{cfg(`common_name = "ok.example.com"`, `name = "acc-x"`, `name_prefix = "x-"`), `(?s)Invalid Attribute Combination`},
		{cfg(`dns_names = ["ok.example.com"]`), `(?s)common_name.*required`},
	}
	steps := make([]resource.TestStep, 0, len(cases)+2)
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{Config: tc.config, PlanOnly: true, ExpectError: regexp.MustCompile(tc.want)})
	}
	for _, id := range []string{"abc", "0"} {
		steps = append(steps, resource.TestStep{
			ResourceName: issuedResource, ImportState: true, ImportStateId: id,
			Config:      cfg(`common_name = "ok.example.com"`),
			ExpectError: regexp.MustCompile(`(?s)Invalid import id.*Expected the certificate number`),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps:                    steps,
		CheckDestroy:             m.expectNoRequests,
	})
}

// A certificate of another type is not imported: the error names the resource that manages it.
func TestAccIssuedCertificate_importWrongType(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "external.example.com", nil)
	existing := registerOutside(t, m, "acc-external", leaf, ca.intermediatePEM)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config:        m.providerBlock() + issuedBlock(`common_name = "external.example.com"`),
			ResourceName:  issuedResource,
			ImportState:   true,
			ImportStateId: strconv.FormatInt(existing.No, 10),
			ExpectError: regexp.MustCompile(`(?s)Not a certificate this resource manages.*` + evText("is an external certificate; ncloudcert_issued_certificate manages only cloud_basic and global_edge certificates") + `.*` +
				evText("Import it into ncloudcert_external_certificate instead")),
		}},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(m.expectCertificates(1), m.expectRequests(mockserver.OpDeleteCertificateV1, 0), m.expectRequests(mockserver.OpDeleteCertificate, 0)),
	})
}

// A request whose answer is lost after the service committed it is recognised by name:
// exactly one certificate, one request.
func TestAccIssuedCertificate_createAnswerLost(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(`  name = "acc-lost"`, `  common_name = "lost.example.com"`) + dnsRecordsBlock + validationBlock()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				m.AddFault(mockserver.Fault{Operation: mockserver.OpCloudBasicCertificateRequest, Count: 1, Drop: true, AfterCommit: true})
			},
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records"), knownvalue.MapSizeExact(1)),
				statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact("NORMAL")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 1),
				m.expectCertificates(1),
			),
		}},
	})
}

// A request whose outcome stays unknown (the answer is lost and the look-up fails too) keeps
// the name in state; the next apply finds the certificate by name with proof, and replaces
// it: nothing orphaned, never two requests in one create.
func TestAccIssuedCertificate_createOutcomeUnknown(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(`  name = "acc-unknown"`, `  common_name = "unknown.example.com"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpCloudBasicCertificateRequest, Count: 1, Drop: true, AfterCommit: true})
					m.AddFault(mockserver.Fault{Operation: mockserver.OpGetCertificateList, Count: 5, Status: 503}) // 1 + max_retries
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Error requesting certificate "acc-unknown".*outcome of the request is unknown`),
				Check:       m.expectCertificates(1),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectCertificates(1),
					m.expectRequests(mockserver.OpDeleteCertificate, 1),
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 2),
				),
			},
		},
	})
}

// The request succeeded but its records could not be read: the certificate stays in state
// (tainted), and the next apply replaces it: nothing orphaned.
func TestAccIssuedCertificate_recordsUnreadable(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(`  name = "acc-records"`, `  common_name = "records.example.com"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpListDcvStatuses, Count: 5, Status: 503}) // 1 + max_retries
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)` + evText("was requested, but reading its validation records failed") + `.*` + evText("kept in state and marked tainted")),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(issuedResource, at("domain_validation_records").AtMapKey("records.example.com").AtMapKey("record_type"), knownvalue.StringExact("CNAME")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectCertificates(1),
					m.expectRequests(mockserver.OpCloudBasicCertificateRequest, 2),
				),
			},
		},
	})
}

// A name in use by a certificate requested outside Terraform is never adopted: the error
// says it was requested for the same names and gives the import block.
func TestAccIssuedCertificate_nameInUse(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	existing, err := m.client(t).RequestCertificate(context.Background(), client.CertificateRequest{
		Type: client.CloudBasic, Name: "acc-taken", CommonName: "taken.example.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config: m.providerBlock() + issuedBlock(`  name = "acc-taken"`, `  common_name = "taken.example.com"`),
			ExpectError: regexp.MustCompile(`(?s)Certificate name already in use.*` + fmt.Sprintf(`certificate %d named "acc-taken"`, existing.No) +
				`.*requested for the same domain names.*import \{.*ncloudcert_issued_certificate.<name>`),
		}},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(m.expectCertificates(1), m.expectRequests(mockserver.OpDeleteCertificateV1, 0), m.expectRequests(mockserver.OpDeleteCertificate, 0)),
	})
}
