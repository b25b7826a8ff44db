package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
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

const (
	domainResource     = "ncloudcert_domain_validation.test"
	domainWaitResource = "ncloudcert_domain_validation_wait.test"
)

// domainBlock renders the registration with the given argument lines.
func domainBlock(lines ...string) string {
	return fmt.Sprintf(`
resource "ncloudcert_domain_validation" "test" {
%s
}
`, strings.Join(lines, "\n"))
}

// domainRecordBlock publishes the registration's record to the mock's DNS (count over the
// map: its key is known at plan time).
const domainRecordBlock = `
resource "ncloudcerttest_dns_record" "validation" {
  count  = length(ncloudcert_domain_validation.test.validation_records)
  name   = values(ncloudcert_domain_validation.test.validation_records)[count.index].record_name
  type   = values(ncloudcert_domain_validation.test.validation_records)[count.index].record_type
  values = values(ncloudcert_domain_validation.test.validation_records)[count.index].record_values
}
`

// domainWaitBlock waits for the registration, checking the published record names.
func domainWaitBlock(lines ...string) string {
	return fmt.Sprintf(`
resource "ncloudcert_domain_validation_wait" "test" {
  domain_id               = ncloudcert_domain_validation.test.domain_id
  validation_record_fqdns = ncloudcerttest_dns_record.validation[*].name
%s
}
`, strings.Join(lines, "\n"))
}

func domainIDOf(s *terraformState) (int64, error) {
	r, ok := s.RootModule().Resources[domainResource]
	if !ok {
		return 0, fmt.Errorf("%s is not in state", domainResource)
	}
	return strconv.ParseInt(r.Primary.Attributes["domain_id"], 10, 64)
}

// checkNoDomains is a CheckDestroy: no registration and no DNS record left.
func (m *testMock) checkNoDomains(*terraformState) error {
	if d := m.Domains(); len(d) != 0 {
		return fmt.Errorf("%d domain registrations left: %+v", len(d), d)
	}
	if r := m.DNSRecords(); len(r) != 0 {
		return fmt.Errorf("%d DNS records left", len(r))
	}
	return nil
}

// The whole flow in one apply: register, publish the record (count over validation_records,
// whose key is known at plan time), wait until VALID. Then import, an
// INVALID verdict outside Terraform (warned, replaced), a deletion outside Terraform
// (removed from state, registered again) and destroy.
func TestAccDomainValidation_flow(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + domainBlock(`  domain = "Example.COM"`, `  organization_no = 42`) + domainRecordBlock + domainWaitBlock()
	var id int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoDomains,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(domainResource, at("validation_records").AtMapKey("example.com").AtMapKey("domains"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("example.com")})),
						plancheck.ExpectUnknownValue(domainResource, at("validation_records").AtMapKey("example.com").AtMapKey("record_values")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(domainResource, at("domain"), knownvalue.StringExact("Example.COM")),
					statecheck.ExpectKnownValue(domainResource, at("record_type"), knownvalue.StringExact("persistent_txt")),
					statecheck.ExpectKnownValue(domainResource, at("issue_type"), knownvalue.StringExact("console")),
					statecheck.ExpectKnownValue(domainResource, at("organization_no"), knownvalue.Int64Exact(42)),
					statecheck.ExpectKnownValue(domainResource, at("validation_records").AtMapKey("example.com").AtMapKey("record_name"),
						knownvalue.StringExact("_dnsauth.example.com")),
					statecheck.ExpectKnownValue(domainResource, at("validation_records").AtMapKey("example.com").AtMapKey("record_type"),
						knownvalue.StringExact("TXT")),
					statecheck.ExpectKnownValue(domainWaitResource, at("status"), knownvalue.StringExact("VALID")),
					statecheck.ExpectKnownValue(domainWaitResource, at("validated_at"), knownvalue.NotNull()),
				},
				Check: func(s *terraformState) (err error) {
					if id, err = domainIDOf(s); err != nil {
						return err
					}
					if d := m.Domains(); len(d) != 1 || d[0].ValidState != "VALID" || d[0].DcvType != "PTXT" || d[0].IssueType != "CONSOLE" {
						return fmt.Errorf("mock domains: %+v", d)
					}
					return m.expectRequests(mockserver.OpRegisterDomain, 1)(s)
				},
			},
			{
				// The refresh after the wait reads VALID: no diff, status in state.
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(domainResource, at("status"), knownvalue.StringExact("VALID")),
					statecheck.ExpectKnownValue(domainResource, at("validation_status").AtMapKey("example.com"), knownvalue.StringExact("VALID")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ResourceName: domainResource, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"domain"}},
			{
				// The service's INVALID verdict: warned on refresh, and the plan replaces the
				// registration (and the record and the wait that depend on it).
				PreConfig: func() {
					if err := m.InvalidateDomain(id); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(domainResource, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(domainWaitResource, at("status"), knownvalue.StringExact("VALID")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpRegisterDomain, 2),
					m.expectRequests(mockserver.OpDeleteDomain, 1),
					func(s *terraformState) error {
						next, err := domainIDOf(s)
						if err == nil && next == id {
							err = fmt.Errorf("domain id %d kept after replacement", id)
						}
						id = next
						return err
					},
				),
			},
			{
				// Deleted outside Terraform: it leaves state, and the plan registers it again.
				PreConfig: func() {
					if err := m.client(t).DeleteDomain(context.Background(), id, client.DomainFilter{}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// The wait succeeds only once the record is in the mock's DNS: without it, a wait listing
// another record name fails at once (no poll), and one without the list runs into its
// timeout naming the record; publishing the record completes it.
func TestAccDomainValidation_waitNeedsRecord(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	domain := m.providerBlock() + domainBlock(`  domain = "wait.example.com"`, `  record_type = "txt"`, `  issue_type = "acme"`)
	wrongName := `
resource "ncloudcert_domain_validation_wait" "test" {
  domain_id               = ncloudcert_domain_validation.test.domain_id
  validation_record_fqdns = ["_other.wait.example.com"]
}
`
	noList := `
resource "ncloudcert_domain_validation_wait" "test" {
  domain_id = ncloudcert_domain_validation.test.domain_id
  timeouts {
    create = "2s"
  }
}
`
	var lists int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoDomains,
		Steps: []resource.TestStep{
			{
				Config:      domain + wrongName,
				ExpectError: regexp.MustCompile(`(?s)Validation records missing.*_dnsauth\.wait\.example\.com`),
			},
			{
				PreConfig:   func() { lists = m.Requests(mockserver.OpListDomainValidations) },
				Config:      domain + noList,
				ExpectError: regexp.MustCompile(`(?s)Domain not validated in time.*last state was PENDING.*_dnsauth\.wait\.example\.com`),
				Check: func(*terraformState) error {
					if n := m.Requests(mockserver.OpListDomainValidations) - lists; n < 2 {
						return fmt.Errorf("%d reads while waiting: it did not poll", n)
					}
					return nil
				},
			},
			{
				Config: domain + domainRecordBlock + domainWaitBlock(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(domainWaitResource, at("status"), knownvalue.StringExact("VALID")),
					statecheck.ExpectKnownValue(domainResource, at("issue_type"), knownvalue.StringExact("acme")),
					statecheck.ExpectKnownValue(domainResource, at("record_type"), knownvalue.StringExact("txt")),
				},
				Check: m.expectRequests(mockserver.OpRegisterDomain, 1),
			},
		},
	})
}

// Bad arguments are plan-time errors on their attribute, with nothing sent.
func TestAccDomainValidation_planTimeErrors(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	cases := []struct {
		lines []string
		want  string
	}{
		{[]string{`  domain = "exa mple.com"`}, `Invalid domain name`},
		{[]string{`  domain = "localhost"`}, `Invalid domain name`},
		{[]string{`  domain = "*.example.com"`}, `(?s)Wildcard domain.*register the domain itself`},
		{[]string{`  domain = "example.com"`, `  record_type = "cname"`}, `(?s)record_type.*value must be one of`},
		{[]string{`  domain = "example.com"`, `  issue_type = "api"`}, `(?s)issue_type.*value must be one of`},
		{[]string{`  domain = "example.com"`, `  organization_no = 0`}, `(?s)organization_no.*at least 1`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      m.providerBlock() + domainBlock(c.lines...),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	steps[len(steps)-1].Check = m.expectNoRequests
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories(), Steps: steps})
	if err := m.expectNoRequests(nil); err != nil {
		t.Fatal(err)
	}
}

// A registration whose answer was lost after it landed is recovered by the client's look-up
// (registered after the create began): exactly one RegisterDomain, one registration.
func TestAccDomainValidation_lostAnswer(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	m.AddFault(mockserver.Fault{Operation: mockserver.OpRegisterDomain, Count: 1, Drop: true, AfterCommit: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoDomains,
		Steps: []resource.TestStep{{
			Config: m.providerBlock() + domainBlock(`  domain = "lost.example.com"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(domainResource, at("status"), knownvalue.StringExact("PENDING")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				m.expectRequests(mockserver.OpRegisterDomain, 1),
				func(*terraformState) error {
					if n := len(m.Domains()); n != 1 {
						return fmt.Errorf("%d registrations, want 1", n)
					}
					return nil
				},
			),
		}},
	})
}

// A domain registered outside Terraform is never taken over: the create fails naming its
// id and how to import it; nothing is in state, nothing deleted. The import then adopts it.
func TestAccDomainValidation_registeredElsewhere(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	d, err := m.client(t).RegisterDomain(context.Background(), client.DomainInput{Domain: "taken.example.com", DcvType: "PTXT", IssueType: "CONSOLE"})
	if err != nil {
		t.Fatal(err)
	}
	config := m.providerBlock() + domainBlock(`  domain = "taken.example.com"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Domain already registered.*domain id %d.*terraform import ncloudcert_domain_validation.<name> %d`, d.ID, d.ID)),
				Check:       m.expectRequests(mockserver.OpDeleteDomain, 0),
			},
			{
				Config:             config,
				ResourceName:       domainResource,
				ImportState:        true,
				ImportStateId:      strconv.FormatInt(d.ID, 10),
				ImportStatePersist: true,
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
		CheckDestroy: m.checkNoDomains,
	})
}

// The wait imports by domain id: a VALID domain verifies; a PENDING one is never reported
// validated (the next plan replaces the wait, so the apply waits). A domain deleted
// outside Terraform takes the wait out of state. Destroying the wait changes nothing.
func TestAccDomainValidationWait_import(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	c := m.client(t)
	valid, err := c.RegisterDomain(context.Background(), client.DomainInput{Domain: "valid.example.com", DcvType: "PTXT", IssueType: "CONSOLE"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.PublishDomainRecord(valid.ID); err != nil {
		t.Fatal(err)
	}
	pending, err := c.RegisterDomain(context.Background(), client.DomainInput{Domain: "pending.example.com", DcvType: "PTXT", IssueType: "CONSOLE"})
	if err != nil {
		t.Fatal(err)
	}
	wait := func(name string, id int64) string {
		return fmt.Sprintf(`
resource "ncloudcert_domain_validation_wait" %q {
  domain_id = %d
}
`, name, id)
	}
	one := m.providerBlock() + wait("test", valid.ID)
	both := one + wait("pending", pending.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: one,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(domainWaitResource, at("domain"), knownvalue.StringExact("valid.example.com")),
				},
			},
			{ResourceName: domainWaitResource, ImportState: true, ImportStateVerify: true},
			{
				Config:             both,
				ResourceName:       "ncloudcert_domain_validation_wait.pending",
				ImportState:        true,
				ImportStateId:      strconv.FormatInt(pending.ID, 10),
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					for _, st := range states {
						if st.ID == strconv.FormatInt(pending.ID, 10) && st.Attributes["status"] == "PENDING" {
							return nil
						}
					}
					return fmt.Errorf("imported %v, want domain %d with status PENDING", states, pending.ID)
				},
			},
			{
				Config:             both,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() {
					if err := c.DeleteDomain(context.Background(), pending.ID, client.DomainFilter{}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             both,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
		CheckDestroy: func(*terraformState) error {
			if d := m.Domains(); len(d) != 1 || d[0].ID != valid.ID {
				return fmt.Errorf("destroying the wait changed the registrations: %+v", d)
			}
			return m.expectRequests(mockserver.OpDeleteDomain, 1)(nil)
		},
	})
}

// A registration whose outcome stays unknown (answer lost, the look-up refused too) leaves an
// id-less, tainted state with the start of the attempt; the next apply's refresh finds the
// registration dated after it and takes it (never an orphan): replaced, one left.
func TestAccDomainValidation_unknownOutcome(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + domainBlock(`  domain = "unknown.example.com"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoDomains,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpRegisterDomain, Count: 1, Drop: true, AfterCommit: true})
					m.AddFault(mockserver.Fault{Operation: mockserver.OpListDomainValidations, Count: 1, Status: 400})
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`Error registering domain "unknown.example.com"`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(domainResource, at("domain"), knownvalue.StringExact("unknown.example.com")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpRegisterDomain, 2),
					m.expectRequests(mockserver.OpDeleteDomain, 1),
					func(*terraformState) error {
						if n := len(m.Domains()); n != 1 {
							return fmt.Errorf("%d registrations, want 1", n)
						}
						return nil
					},
				),
			},
		},
	})
}

// Every argument change replaces the registration (the service has no update); a change of
// the domain's case or trailing dot only updates the state.
func TestAccDomainValidation_replace(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	step := func(action plancheck.ResourceActionType, registrations, deletes int, lines ...string) resource.TestStep {
		return resource.TestStep{
			Config:           m.providerBlock() + domainBlock(lines...),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(domainResource, action)}},
			Check: resource.ComposeAggregateTestCheckFunc(
				m.expectRequests(mockserver.OpRegisterDomain, registrations),
				m.expectRequests(mockserver.OpDeleteDomain, deletes),
			),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoDomains,
		Steps: []resource.TestStep{
			step(plancheck.ResourceActionCreate, 1, 0, `  domain = "replace.example.com"`),
			step(plancheck.ResourceActionUpdate, 1, 0, `  domain = "Replace.Example.com."`),
			step(plancheck.ResourceActionDestroyBeforeCreate, 2, 1, `  domain = "replace.example.com"`, `  issue_type = "acme"`),
			step(plancheck.ResourceActionDestroyBeforeCreate, 3, 2, `  domain = "replace.example.com"`, `  issue_type = "acme"`, `  record_type = "txt"`),
			step(plancheck.ResourceActionDestroyBeforeCreate, 4, 3, `  domain = "replace.example.com"`, `  issue_type = "acme"`, `  record_type = "txt"`, `  organization_no = 7`),
			step(plancheck.ResourceActionDestroyBeforeCreate, 5, 4, `  domain = "other.example.com"`, `  issue_type = "acme"`, `  record_type = "txt"`, `  organization_no = 7`),
		},
	})
}
