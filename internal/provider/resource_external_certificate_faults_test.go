package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

type terraformState = terraform.State

// Faults during create: throttling and unavailability are retried, a lost answer is
// resolved by looking the name up; never two registrations.
func TestAccExternalCertificate_createFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		fault    mockserver.Fault
		requests int // createExternalCertificate requests expected
	}{
		{"throttled twice", mockserver.Fault{Status: 429, Count: 2, RetryAfter: 0}, 3},
		{"503 before commit", mockserver.Fault{Status: 503, Count: 1}, 2},
		{"503 after commit", mockserver.Fault{Status: 503, Count: 1, AfterCommit: true}, 1},
		{"dropped before commit", mockserver.Fault{Drop: true, Count: 1}, 2},
		{"dropped after commit", mockserver.Fault{Drop: true, Count: 1, AfterCommit: true}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			ca := testCertificateAuthority(t)
			leaf := ca.issue(t, "faults.example.com", nil)
			fault := tc.fault
			fault.Operation = "createExternalCertificate"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy:             m.checkNoCertificates,
				Steps: []resource.TestStep{{
					PreConfig: func() { m.AddFault(fault) },
					Config:    m.providerBlock() + externalConfig("acc-faults", leaf, ca.intermediatePEM),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(leaf.serial())),
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						m.expectRequests("createExternalCertificate", tc.requests),
						m.expectCertificates(1),
					),
				}},
			})
		})
	}
}

// Faults during an in-place renewal: a lost answer is settled by reading the certificate's
// serial back, so the renewal is sent again only when it did not land.
func TestAccExternalCertificate_renewalFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		fault    mockserver.Fault
		requests int // RegisterExternalCertificate requests expected
	}{
		{"dropped after commit", mockserver.Fault{Drop: true, Count: 1, AfterCommit: true}, 1},
		{"503 before commit", mockserver.Fault{Status: 503, Count: 1}, 2},
		{"throttled", mockserver.Fault{Status: 429, Count: 2}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			ca := testCertificateAuthority(t)
			first := ca.issue(t, "renew.example.com", nil)
			second := ca.issue(t, "renew.example.com", nil)
			fault := tc.fault
			fault.Operation = "RegisterExternalCertificate"
			sameID := statecheck.CompareValue(compare.ValuesSame())
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy:             m.checkNoCertificates,
				Steps: []resource.TestStep{
					{
						Config:            m.providerBlock() + externalConfig("acc-renew", first, ca.intermediatePEM),
						ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testResource, at("id"))},
					},
					{
						PreConfig: func() { m.AddFault(fault) },
						Config:    m.providerBlock() + externalConfig("acc-renew", second, ca.intermediatePEM),
						ConfigStateChecks: []statecheck.StateCheck{
							sameID.AddStateValue(testResource, at("id")),
							statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(second.serial())),
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							m.expectRequests("RegisterExternalCertificate", tc.requests),
							m.expectCertificates(1),
						),
					},
				},
			})
		})
	}
}

// A create whose outcome stays unknown (the answer is lost and the look-up fails too) keeps
// the name in state as tainted; the next apply finds the certificate and replaces it, so
// nothing is orphaned.
func TestAccExternalCertificate_createOutcomeUnknown(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "unknown.example.com", nil)
	config := m.providerBlock() + externalConfig("acc-unknown", leaf, ca.intermediatePEM)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: "createExternalCertificate", Count: 1, Drop: true, AfterCommit: true})
					m.AddFault(mockserver.Fault{Operation: "getCertificateList", Count: 5, Status: 503}) // 1 + max_retries
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Error registering external certificate.*outcome of the request is unknown`),
				Check:       m.expectCertificates(1),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectCertificates(1),
					m.expectRequests("deleteCertificate", 1),
					m.expectRequests("createExternalCertificate", 2),
				),
			},
		},
	})
}

// Faults during refresh and delete are retried until they pass.
func TestAccExternalCertificate_readAndDeleteFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault mockserver.Fault
	}{
		{"throttled", mockserver.Fault{Status: 429, Count: 2, RetryAfter: 1}},
		{"unavailable", mockserver.Fault{Status: 503, Count: 2}},
		{"dropped", mockserver.Fault{Drop: true, Count: 2}},
		{"dropped after commit", mockserver.Fault{Drop: true, Count: 1, AfterCommit: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			ca := testCertificateAuthority(t)
			leaf := ca.issue(t, "rd.example.com", nil)
			config := m.providerBlock() + externalConfig("acc-read-delete", leaf, ca.intermediatePEM)
			read, del := tc.fault, tc.fault
			read.Operation, del.Operation = "getCertificateList", "deleteCertificate"
			var before int
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy:             m.checkNoCertificates,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() { before = m.Requests("getCertificateList"); m.AddFault(read) },
						Config:    config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: func(*terraformState) error {
							if got := m.Requests("getCertificateList") - before; got < read.Count+1 {
								return fmt.Errorf("refresh made %d requests, want at least %d (faults then success)", got, read.Count+1)
							}
							return nil
						},
					},
					{
						PreConfig: func() { m.AddFault(del) },
						Config:    config,
						Destroy:   true,
					},
				},
			})
		})
	}
}

// Delete retries while instances use the certificate, then names them; once they let go,
// delete goes through.
func TestAccExternalCertificate_inUse(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "inuse.example.com", nil)
	config := m.providerBlock() + externalConfig("acc-in-use", leaf, ca.intermediatePEM, `  timeouts {
    delete = "1s"
  }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := m.SetInUse(m.lastCertificateNo(t), "3456701", "3456702"); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)still in use by instance\(s\)\s+3456701,\s+3456702`),
			},
			{
				// Refresh sees the users of the certificate.
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, at("in_use"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testResource, at("used_instance_nos"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("3456701"), knownvalue.StringExact("3456702")})),
				},
			},
			{
				// The instances let go while delete is waiting: it succeeds.
				PreConfig: func() {
					no := m.lastCertificateNo(t)
					go func() {
						time.Sleep(300 * time.Millisecond)
						_ = m.SetInUse(no)
					}()
				},
				Config:  config,
				Destroy: true,
			},
		},
	})
}

// A wrong secret is one clear error naming the access key, sent once.
func TestAccExternalCertificate_wrongSecret(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "auth.example.com", nil)
	provider := fmt.Sprintf(`
provider "ncloudcert" {
  endpoint   = %q
  access_key = %q
  secret_key = "not-the-secret"
}
`, m.URL, mockserver.DemoAccessKey)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config:      provider + externalConfig("acc-auth", leaf, ca.intermediatePEM),
			ExpectError: regexp.MustCompile(`(?s)` + regexp.QuoteMeta(mockserver.DemoAccessKey) + `.*(signature|clock)`),
		}},
		CheckDestroy: func(*terraformState) error {
			if got := m.Requests("createExternalCertificate"); got != 1 {
				return fmt.Errorf("createExternalCertificate received %d requests, want exactly 1 (auth errors are not retried)", got)
			}
			return nil
		},
	})
}

// Sub-account keys cannot call API 2.0: renewal fails with advice, nothing changes.
func TestAccExternalCertificate_renewalForbidden(t *testing.T) {
	t.Parallel()
	m := newTestMock(t, mockserver.Options{SubAccountKeys: []string{mockserver.DemoAccessKey}})
	ca := testCertificateAuthority(t)
	first := ca.issue(t, "sub.example.com", nil)
	second := ca.issue(t, "sub.example.com", nil)
	config := m.providerBlock() + externalConfig("acc-sub", first, ca.intermediatePEM)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:      m.providerBlock() + externalConfig("acc-sub", second, ca.intermediatePEM),
				ExpectError: regexp.MustCompile(`(?s)API 2\.0.*main-account.*create_before_destroy`),
			},
			{
				// Nothing changed: neither the service nor the state holds the refused material.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(first.serial())),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests("RegisterExternalCertificate", 1), // refused once, not retried
					m.expectCertificates(1),
					func(*terraformState) error {
						if info, _ := m.Certificate(m.lastCertificateNo(t)); client.NormalizeSerial(info.SerialNumber) != first.serial() {
							return fmt.Errorf("the service holds serial %s, want the first certificate's", info.SerialNumber)
						}
						return nil
					},
				),
			},
		},
	})
}

// A legacy name (longer than today's rule) cannot be renewed in place: the service answers
// 2000, and the error explains the cause and the way out. Nothing is blocked at plan time.
func TestAccExternalCertificate_legacyNameRenewal(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	first := ca.issue(t, "legacy.example.com", nil)
	second := ca.issue(t, "legacy.example.com", nil)
	legacy := "legacy-name-of-26-letters"
	existing := registerOutside(t, m, "acc-legacy", first, ca.intermediatePEM)
	if err := m.SetName(existing.No, legacy); err != nil {
		t.Fatal(err)
	}
	// No name in the configuration keeps the legacy one (README).
	withoutName := func(l testLeaf) string {
		return m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_external_certificate" "test" {
  certificate_pem       = %s
  certificate_chain_pem = %s
  private_key_pem       = %s
}
`, hcl(l.certPEM), hcl(ca.intermediatePEM), hcl(l.keyPEM))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{Config: withoutName(first), ResourceName: testResource, ImportState: true, ImportStateId: fmt.Sprint(existing.No), ImportStatePersist: true},
			{
				Config: withoutName(first),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, at("name"), knownvalue.StringExact(legacy)),
				},
			},
			{
				Config:      withoutName(second),
				ExpectError: regexp.MustCompile(`(?s)code 2000.*` + wrapped(`The name "`+legacy+`" predates the current name rule`) + `.*name_prefix`),
				Check:       m.expectRequests("RegisterExternalCertificate", 1),
			},
		},
	})
}

// With a sub-account key (no API 2.0), import still works: the PEM cannot be read back, so
// it is left empty with a warning, and applying the configured material sends nothing.
func TestAccExternalCertificate_importWithSubAccountKey(t *testing.T) {
	t.Parallel()
	m := newTestMock(t, mockserver.Options{SubAccountKeys: []string{mockserver.DemoAccessKey}})
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "subimport.example.com", nil)
	existing := registerOutside(t, m, "acc-sub-import", leaf, ca.intermediatePEM)
	config := m.providerBlock() + externalConfig("acc-sub-import", leaf, ca.intermediatePEM)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       testResource,
				ImportState:        true,
				ImportStateId:      fmt.Sprint(existing.No),
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["serial_number"] != leaf.serial() || states[0].Attributes["certificate_pem"] != "" {
						return fmt.Errorf("unexpected imported state: %v", states)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests("RegisterExternalCertificate", 0),
					m.expectRequests("createExternalCertificate", 1),
				),
			},
		},
	})
}

// import {} blocks adopt existing certificates (one named, one matching a name_prefix);
// applying the same material changes nothing on the service.
func TestAccExternalCertificate_importBlock(t *testing.T) {
	t.Parallel()
	m := newTestTarget(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "import.example.com", nil)
	register := func(name string) int64 {
		c, err := m.client(t).CreateExternalCertificate(context.Background(), client.ExternalCertificateInput{
			Name: name, Certificate: leaf.certPEM, Chain: ca.intermediatePEM, PrivateKey: leaf.keyPEM, SerialNumber: leaf.serial(),
		})
		if err != nil {
			t.Fatal(err)
		}
		return c.No
	}
	named, prefixed := register("acc-imported"), register("web-imported1")
	config := m.providerBlock() + fmt.Sprintf(`
import {
  to = ncloudcert_external_certificate.test
  id = "%d"
}
import {
  to = ncloudcert_external_certificate.prefixed
  id = "%d"
}
resource "ncloudcert_external_certificate" "prefixed" {
  name_prefix           = "web-"
  certificate_pem       = %s
  certificate_chain_pem = %s
  private_key_pem       = %s
  lifecycle {
    create_before_destroy = true
  }
}
`, named, prefixed, hcl(leaf.certPEM), hcl(ca.intermediatePEM), hcl(leaf.keyPEM)) + externalConfig("acc-imported", leaf, ca.intermediatePEM)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("ncloudcert_external_certificate.prefixed", plancheck.ResourceActionUpdate),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testResource, at("id"), knownvalue.StringExact(fmt.Sprint(named))),
				statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(leaf.serial())),
				statecheck.ExpectKnownValue("ncloudcert_external_certificate.prefixed", at("name"), knownvalue.StringExact("web-imported1")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				m.expectRequests("createExternalCertificate", 2), // the two made outside Terraform
				m.expectRequests("RegisterExternalCertificate", 0),
				m.expectRequests("deleteCertificate", 0),
			),
		}},
	})
}

// Provider configuration errors are attribute diagnostics, before any request.
func TestAccProvider_configurationErrors(t *testing.T) {
	t.Parallel()
	m := newTestTarget(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "config.example.com", nil)
	res := externalConfig("acc-config", leaf, ca.intermediatePEM)
	cases := map[string]struct{ provider, want string }{
		"bad endpoint": {`provider "ncloudcert" {
  endpoint   = "not a url"
  access_key = "a"
  secret_key = "b"
}`, `(?s)Invalid endpoint URL.*endpoint\s+= "not a url".*absolute http`},
		"unknown site": {`provider "ncloudcert" {
  site       = "moon"
  access_key = "a"
  secret_key = "b"
}`, `(?s)site\s+= "moon".*value must be one of`},
		"negative retries": {`provider "ncloudcert" {
  max_retries = -1
  access_key  = "a"
  secret_key  = "b"
}`, `max_retries`},
		"empty access key": {fmt.Sprintf(`provider "ncloudcert" {
  endpoint   = %q
  access_key = ""
  secret_key = "b"
}`, m.URL), `(?s)Missing access key.*access_key = ""`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{Config: tc.provider + res, PlanOnly: true, ExpectError: regexp.MustCompile(tc.want)})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps:                    steps,
		CheckDestroy:             m.expectNoRequests,
	})
}
