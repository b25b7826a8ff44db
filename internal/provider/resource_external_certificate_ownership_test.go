package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// A resource manages only what it created or what was imported into it (design §3).

// wrapped matches text however the CLI wraps its lines: each space may be any whitespace.
func wrapped(text string) string {
	return strings.Join(strings.Split(regexp.QuoteMeta(text), " "), `\s+`)
}

// expectOnly is a CheckDestroy for tests that leave someone else's certificate alone.
func (m *testMock) expectOnly(no int64, serial string) func(*terraformState) error {
	return func(*terraformState) error {
		info, ok := m.Certificate(no)
		switch {
		case !ok:
			return fmt.Errorf("certificate %d was deleted", no)
		case client.NormalizeSerial(info.SerialNumber) != serial:
			return fmt.Errorf("certificate %d now has serial %s, want %s", no, info.SerialNumber, serial)
		case m.Stats().Certificates != 1:
			return fmt.Errorf("%d certificates on the service, want only %d", m.Stats().Certificates, no)
		}
		return nil
	}
}

// A name already in use is an error naming the certificate, with the import command and
// block; nothing is adopted, changed or deleted. With the same material (an apply that was
// interrupted, say), importing it and applying converges with nothing sent.
func TestAccExternalCertificate_nameInUse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		same bool
		says string
	}{
		{"different certificate", false, "It holds a different certificate than this configuration."},
		{"same certificate", true, "It holds the same certificate as this configuration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			ca := testCertificateAuthority(t)
			ours := ca.issue(t, "taken.example.com", nil)
			theirs := ca.issue(t, "taken.example.com", nil)
			if tc.same {
				theirs = ours
			}
			existing := registerOutside(t, m, "acc-taken", theirs, ca.intermediatePEM)
			config := m.providerBlock() + externalConfig("acc-taken", ours, ca.intermediatePEM)
			steps := []resource.TestStep{{
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)Certificate name already in use.*` + wrapped(fmt.Sprintf(`certificate %d named "acc-taken". %s`, existing.No, tc.says)) +
					`.*` + wrapped(fmt.Sprintf(`terraform import ncloudcert_external_certificate.<name> %d`, existing.No)) +
					`.*` + wrapped(fmt.Sprintf(`import { to = ncloudcert_external_certificate.<name> id = "%d" }`, existing.No))),
			}}
			checkDestroy := m.expectOnly(existing.No, theirs.serial())
			if tc.same {
				checkDestroy = m.checkNoCertificates
				steps = append(steps,
					resource.TestStep{
						Config: config, ResourceName: testResource, ImportState: true, ImportStateId: fmt.Sprint(existing.No), ImportStatePersist: true,
					},
					resource.TestStep{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(testResource, at("certificate_no"), knownvalue.Int64Exact(existing.No)),
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							m.expectCertificates(1),
							m.expectRequests("createExternalCertificate", 2), // theirs, and our refused attempt
							m.expectRequests("RegisterExternalCertificate", 0),
							m.expectRequests("deleteCertificate", 0),
						),
					})
			} else {
				steps = append(steps, resource.TestStep{
					// Nothing in state, nothing changed: the plan still wants to create ours.
					Config:             config,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					Check: resource.ComposeAggregateTestCheckFunc(
						m.expectRequests("createExternalCertificate", 2),
						m.expectRequests("deleteCertificate", 0),
					),
				})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy:             checkDestroy,
				Steps:                    steps,
			})
		})
	}
}

// An unconfirmed create (503, and the look-up failed too) finds, on the next plan, the same
// certificate under the name, but registered before the create began (another workspace
// with the same files): it is forgotten, not adopted, and never deleted by a replacement.
func TestAccExternalCertificate_unconfirmedCreateRegisteredBefore(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "before.example.com", nil)
	existing := registerOutside(t, m, "acc-before", leaf, ca.intermediatePEM)
	config := providerFor(m.URL, 0) + externalConfig("acc-before", leaf, ca.intermediatePEM)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.expectOnly(existing.No, leaf.serial()),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Past the clock tolerance the service's Date header allows (2s).
					time.Sleep(3 * time.Second)
					m.AddFault(mockserver.Fault{Operation: "createExternalCertificate", Count: 1, Status: 503})
					m.AddFault(mockserver.Fault{Operation: "getCertificateList", Count: 1, Status: 503})
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`outcome of the request is unknown`),
			},
			{
				// Refresh forgets the name-only state; the create then meets the name in use.
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Certificate name already in use.*` + wrapped(fmt.Sprintf(`certificate %d named "acc-before". It holds the same certificate`, existing.No))),
			},
			{
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests("deleteCertificate", 0),
					m.expectCertificates(1),
				),
			},
		},
	})
}
