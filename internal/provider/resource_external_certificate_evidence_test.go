package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
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

// Only the service's own envelope is evidence (API doc §8): answers from anything else are
// errors naming the endpoint, never "gone" and never "done". Plus: type-checked and
// validated imports, sites without API 2.0, and the in-use wait on delete.

// evText matches text however the CLI wraps it: each space may be any whitespace.
func evText(s string) string { return strings.Join(strings.Fields(regexp.QuoteMeta(s)), `\s+`) }

// evProvider is a provider block for url; extra lines (e.g. site) go inside.
func evProvider(url string, extra ...string) string {
	return fmt.Sprintf(`
provider "ncloudcert" {
  endpoint    = %q
  access_key  = %q
  secret_key  = %q
  max_retries = 4
%s
}
`, url, mockserver.DemoAccessKey, mockserver.DemoSecretKey, strings.Join(extra, "\n"))
}

// evStandIn serves the mock, except that requests for which intercept holds get answer.
type evStandIn struct {
	URL  string
	hits atomic.Int64 // intercepted requests
}

func newEvStandIn(t *testing.T, mock http.Handler, intercept func(*http.Request) bool, answer http.HandlerFunc) *evStandIn {
	t.Helper()
	s := &evStandIn{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if intercept(r) {
			s.hits.Add(1)
			answer(w, r)
			return
		}
		mock.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *evStandIn) expectHits(what string) resource.TestCheckFunc {
	return func(*terraformState) error {
		if s.hits.Load() == 0 {
			return fmt.Errorf("the stand-in answered no %s request: the step did not test it", what)
		}
		return nil
	}
}

func isListRequest(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/api/v1/certificates"
}

func isDeleteRequest(r *http.Request) bool {
	return r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/api/v1/certificate/")
}

func evReply(status int, contentType, body string) func(http.Handler) http.HandlerFunc {
	return func(http.Handler) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(strings.ReplaceAll(body, "{path}", r.URL.Path)))
		}
	}
}

// evStateNo reads the certificate number from state and checks that the mock holds it.
func evStateNo(m *testMock, no *int64) resource.TestCheckFunc {
	return func(s *terraformState) error {
		rs, ok := s.RootModule().Resources[testResource]
		if !ok {
			return fmt.Errorf("%s is not in state", testResource)
		}
		n, err := strconv.ParseInt(rs.Primary.ID, 10, 64)
		if _, found := m.Certificate(n); err != nil || !found {
			return fmt.Errorf("certificate %q of state is not on the service (%v)", rs.Primary.ID, err)
		}
		*no = n
		return nil
	}
}

// 1. An answer that is not the service's envelope is not "not found": a refresh through it
// fails naming the endpoint and keeps the resource; a delete answered by it fails and the
// certificate stays.
func TestAccEvidence_notFoundOnlyOnEvidence(t *testing.T) {
	t.Parallel()
	variants := []struct {
		name   string
		answer func(mock http.Handler) http.HandlerFunc
		// wrongBase: the refresh goes to mock URL + "/wrong" itself, the delete to the mock's
		// answer for that path.
		wrongBase bool
		// deleteSuccess: a returnCode "0" envelope is the service's own success answer to
		// deleteCertificate (API doc §5.3 documents no list field there), so no delete check.
		deleteSuccess bool
	}{
		{name: "spring 404", answer: evReply(404, "application/json", `{"timestamp":"2026-11-29T09:00:00.000+00:00","status":404,"error":"Not Found","path":"{path}"}`)},
		{name: "empty 200", answer: evReply(200, "application/json", "")},
		{name: "status ok", answer: evReply(200, "application/json", `{"status":"ok"}`)},
		{name: "html 404", answer: evReply(404, "text/html", "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>")},
		{name: "envelope without list", answer: evReply(200, "application/json;charset=UTF-8", `{"returnCode":"0","returnMessage":"Success"}`), deleteSuccess: true},
		{name: "wrong base path", wrongBase: true, answer: func(mock http.Handler) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				r2 := r.Clone(r.Context())
				r2.URL.Path = "/wrong" + r.URL.Path
				mock.ServeHTTP(w, r2)
			}
		}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			ca := testCertificateAuthority(t)
			leaf := ca.issue(t, "evidence.example.com", nil)
			res := externalConfig("acc-evidence", leaf, ca.intermediatePEM)
			list := newEvStandIn(t, m.Server, isListRequest, v.answer(m.Server))
			del := newEvStandIn(t, m.Server, isDeleteRequest, v.answer(m.Server))
			refreshAt := list.URL
			if v.wrongBase {
				refreshAt = m.URL + "/wrong"
			}
			sameID := statecheck.CompareValue(compare.ValuesSame())
			var no int64
			kept := func(extra ...resource.TestCheckFunc) resource.TestStep {
				return resource.TestStep{
					Config: evProvider(m.URL) + res,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testResource, at("id"))},
					Check: resource.ComposeAggregateTestCheckFunc(append(extra,
						m.expectCertificates(1),
						m.expectRequests("createExternalCertificate", 1),
						m.expectRequests("deleteCertificate", 0),
						func(*terraformState) error {
							if _, ok := m.Certificate(no); !ok {
								return fmt.Errorf("certificate %d is gone from the service", no)
							}
							return nil
						})...),
				}
			}
			steps := []resource.TestStep{
				{
					Config:            evProvider(m.URL) + res,
					ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testResource, at("id"))},
					Check:             evStateNo(m, &no),
				},
				{
					Config: evProvider(refreshAt) + res,
					ExpectError: regexp.MustCompile(`(?s)Error reading certificate acc-evidence.*` +
						regexp.QuoteMeta(refreshAt+"/api/v1/certificates?") + `.*` + evText("not a Certificate Manager answer")),
				},
				kept(),
			}
			if !v.wrongBase {
				steps[2].Check = resource.ComposeAggregateTestCheckFunc(steps[2].Check, list.expectHits("getCertificateList"))
			}
			if !v.deleteSuccess {
				steps = append(steps,
					resource.TestStep{
						Config:  evProvider(del.URL) + res,
						Destroy: true,
						ExpectError: regexp.MustCompile(`(?s)Error deleting certificate \d+.*` +
							regexp.QuoteMeta(del.URL+"/api/v1/certificate/") + `\d+\?certificateName=acc-evidence.*` + evText("not a Certificate Manager answer")),
					},
					kept(del.expectHits("deleteCertificate")),
				)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy: resource.ComposeAggregateTestCheckFunc(
					m.checkNoCertificates, m.expectRequests("deleteCertificate", 1)),
				Steps: steps,
			})
		})
	}
}

// 2a. A certificate of another type is not imported: the error names its type, and nothing
// on the service changes.
func TestAccEvidence_importTypeCheck(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "cloudbasic.example.com", nil)
	existing := registerOutside(t, m, "acc-cloud-basic", leaf, ca.intermediatePEM)
	var rewritten atomic.Int64
	asCloudBasic := wireVariant{name: "cloud basic", item: func(it map[string]any) {
		rewritten.Add(1)
		it["certificateType"], it["externalYn"] = "NCP_FREE_DV_01", "N"
	}}
	srv := httptest.NewServer(rewritingHandler(m.Server, asCloudBasic))
	t.Cleanup(srv.Close)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config:        evProvider(srv.URL) + externalConfig("acc-cloud-basic", leaf, ca.intermediatePEM),
			ResourceName:  testResource,
			ImportState:   true,
			ImportStateId: fmt.Sprint(existing.No),
			ExpectError: regexp.MustCompile(`(?s)` + evText("Not a certificate this resource manages") + `.*` +
				evText(fmt.Sprintf(`Certificate %d ("acc-cloud-basic") is a cloud_basic certificate;`, existing.No)) + `.*` +
				evText("Import it into ncloudcert_issued_certificate instead.")),
		}},
		CheckDestroy: func(*terraformState) error {
			info, ok := m.Certificate(existing.No)
			switch {
			case rewritten.Load() == 0:
				return fmt.Errorf("no list item was presented as Cloud Basic: the import did not read through the stand-in")
			case !ok || client.NormalizeSerial(info.SerialNumber) != leaf.serial():
				return fmt.Errorf("certificate %d was deleted or changed: %+v", existing.No, info)
			}
			return resource.ComposeAggregateTestCheckFunc(
				m.expectCertificates(1),
				m.expectRequests("createExternalCertificate", 1), // the registration outside Terraform
				m.expectRequests("deleteCertificate", 0),
				m.expectRequests("RegisterExternalCertificate", 0),
				m.expectRequests("DeleteCertificate", 0),
			)(nil)
		},
	})
}

// 2b. Import ids that are not positive numbers are refused before any request.
func TestAccEvidence_invalidImportIDs(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "importid.example.com", nil)
	var steps []resource.TestStep
	for _, id := range []string{"0", "-5", "abc", "", "12x", " "} {
		step := resource.TestStep{
			Config:       m.providerBlock() + externalConfig("acc-import-id", leaf, ca.intermediatePEM),
			ResourceName: testResource,
			ImportState:  true,
			ExpectError: regexp.MustCompile(`(?s)Invalid import id.*` + evText("a positive integer") + `.*got\s+` +
				regexp.QuoteMeta(strconv.Quote(id))),
		}
		// An empty ImportStateId means "the id from state" to the framework.
		step.ImportStateIdFunc = func(*terraform.State) (string, error) { return id, nil }
		steps = append(steps, step)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps:                    steps,
		CheckDestroy:             m.expectNoRequests,
	})
}

// evGovConfig: site "gov" (API 1.0 only), name_prefix and create_before_destroy.
func evGovConfig(m *testMock, prefix string, leaf testLeaf, chain string) string {
	return evProvider(m.URL, `  site        = "gov"`) + fmt.Sprintf(`
resource "ncloudcert_external_certificate" "test" {
  name_prefix           = %q
  certificate_pem       = %s
  certificate_chain_pem = %s
  private_key_pem       = %s
  lifecycle {
    create_before_destroy = true
  }
}
`, prefix, hcl(leaf.certPEM), hcl(chain), hcl(leaf.keyPEM))
}

// 3. On a site without API 2.0: create and import work through v1 only, new material with
// the same name is refused at plan time, and a new prefix replaces the certificate.
func TestAccEvidence_siteWithoutV2(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	first := ca.issue(t, "gov.example.com", nil)
	second := ca.issue(t, "gov.example.com", nil)
	otherID := statecheck.CompareValue(compare.ValuesDiffer())
	v2Untouched := resource.ComposeAggregateTestCheckFunc(
		m.expectRequests("GetCertificateChain", 0),
		m.expectRequests("RegisterExternalCertificate", 0),
		m.expectRequests("ListCertificates", 0),
		m.expectRequests("DeleteCertificate", 0),
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(m.checkNoCertificates, v2Untouched),
		Steps: []resource.TestStep{
			{
				Config: evGovConfig(m, "gov-", first, ca.intermediatePEM),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					otherID.AddStateValue(testResource, at("id")),
					statecheck.ExpectKnownValue(testResource, at("name"), knownvalue.StringRegexp(regexp.MustCompile(`^gov-[a-z0-9]{8}$`))),
					statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(first.serial())),
				},
				Check: resource.ComposeAggregateTestCheckFunc(m.expectRequests("createExternalCertificate", 1), v2Untouched),
			},
			{
				Config: evGovConfig(m, "gov-", second, ca.intermediatePEM),
				ExpectError: regexp.MustCompile(`(?s)In-place renewal is not available on this site.*` +
					`with ncloudcert_external_certificate\.test.*certificate_pem\s+=.*` + evText(`site "gov" does not offer`) + `.*Nothing\s+was\s+sent`),
			},
			{
				Config:                  evGovConfig(m, "gov-", first, ca.intermediatePEM),
				ResourceName:            testResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"certificate_pem", "certificate_chain_pem", "private_key_pem", "name_prefix"},
			},
			{
				// Nothing was sent by the refused plan or the import: still one registration.
				Config: evGovConfig(m, "gov-", first, ca.intermediatePEM),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests("createExternalCertificate", 1), m.expectRequests("deleteCertificate", 0), v2Untouched),
			},
			{
				Config: evGovConfig(m, "new-", second, ca.intermediatePEM),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreateBeforeDestroy)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					otherID.AddStateValue(testResource, at("id")),
					statecheck.ExpectKnownValue(testResource, at("name"), knownvalue.StringRegexp(regexp.MustCompile(`^new-[a-z0-9]{8}$`))),
					statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(second.serial())),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectCertificates(1),
					m.expectRequests("createExternalCertificate", 2),
					m.expectRequests("deleteCertificate", 1),
					v2Untouched,
				),
			},
		},
	})
}

// 4. Delete waits while the certificate is in use, whether or not the service names the
// instances, and goes through once they let go.
func TestAccEvidence_inUseDelete(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "inuse.example.com", nil)
	res := externalConfig("acc-evidence-use", leaf, ca.intermediatePEM, "  timeouts {\n    delete = \"1s\"\n  }")
	noList := wireVariant{name: "no instance list", item: func(it map[string]any) { delete(it, "usedInstanceNoList") }}
	srv := httptest.NewServer(rewritingHandler(m.Server, noList))
	t.Cleanup(srv.Close)
	var no int64
	var before int
	mark := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
		before = m.Requests("deleteCertificate")
	}
	// waited checks the deleteCertificate requests of the last destroy: at least one retry,
	// at most one per poll interval (50ms) within the 1s timeout, plus two.
	waited := func(*terraformState) error {
		n := m.Requests("deleteCertificate") - before
		if n < 2 || n > 22 {
			return fmt.Errorf("the destroy sent %d deleteCertificate requests, want 2 to 22", n)
		}
		if _, ok := m.Certificate(no); !ok {
			return fmt.Errorf("certificate %d was deleted while in use", no)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{Config: m.providerBlock() + res, Check: evStateNo(m, &no)},
			{
				PreConfig:   func() { mark(m.SetInUse(no, "3456701")) },
				Config:      m.providerBlock() + res,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Error deleting certificate \d+.*` + evText("is still in use by instance(s) 3456701: detach")),
			},
			{
				Config:           m.providerBlock() + res,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, at("used_instance_nos"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("3456701")})),
				},
				Check: waited,
			},
			{
				// The service omits usedInstanceNoList (API doc §8): delete still waits.
				PreConfig:   func() { mark(nil) },
				Config:      evProvider(srv.URL) + res,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Error deleting certificate \d+.*` + evText("is still in use, but the service did not say by which instances")),
			},
			{
				Config:           m.providerBlock() + res,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            waited,
			},
			{
				PreConfig: func() { mark(m.SetInUse(no)) },
				Config:    m.providerBlock() + res,
				Destroy:   true,
				Check: resource.ComposeAggregateTestCheckFunc(m.expectCertificates(0), func(*terraformState) error {
					if n := m.Requests("deleteCertificate") - before; n != 1 {
						return fmt.Errorf("the destroy of a released certificate sent %d deleteCertificate requests, want 1", n)
					}
					return nil
				}),
			},
		},
	})
}
