package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// seedTestOrganizations adds three organizations (1001 verified, 1002 at the phone-number
// check, 1003 with a code the provider does not know).
func seedTestOrganizations(t *testing.T, m *testMock) {
	t.Helper()
	for _, o := range []mockserver.Organization{
		{NameKor: "예시 주식회사", NameEng: "Example Corp", BusinessRegistrationNo: "123-45-67890", VerificationCode: 7},
		{NameKor: "다른 회사", NameEng: "Example Holdings", BusinessRegistrationNo: "222-33-44444", VerificationCode: 2},
		{NameEng: "Strange Inc", BusinessRegistrationNo: "999-99-99999", VerificationCode: 55},
	} {
		if _, err := m.AddOrganization(o); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAccDataSourceOrganizations(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedTestOrganizations(t, m)
	const ds = "data.ncloudcert_organizations.x"
	step := func(args string, checks ...resource.TestCheckFunc) resource.TestStep {
		return resource.TestStep{
			Config: m.providerBlock() + `data "ncloudcert_organizations" "x" {` + "\n" + args + "\n}\n",
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{ // plan-time: nothing sent (the next step counts one request in all)
				Config:      m.providerBlock() + `data "ncloudcert_organizations" "x" { verification_status = "done" }`,
				ExpectError: regexp.MustCompile(`(?s)verification_status.*waiting, documents`),
			},
			step(``,
				resource.TestCheckResourceAttr(ds, "organizations.#", "3"),
				resource.TestCheckResourceAttr(ds, "organizations.0.organization_no", "1001"),
				resource.TestCheckResourceAttr(ds, "organizations.0.name_kor", "예시 주식회사"),
				resource.TestCheckResourceAttr(ds, "organizations.0.name_eng", "Example Corp"),
				resource.TestCheckResourceAttr(ds, "organizations.0.business_registration_no", "123-45-67890"),
				resource.TestCheckResourceAttr(ds, "organizations.0.verification_type", "BUSINESS_REGISTRATION"),
				resource.TestCheckResourceAttr(ds, "organizations.0.verification_status", "verified"),
				resource.TestCheckResourceAttr(ds, "organizations.0.verified", "true"),
				resource.TestCheckResourceAttr(ds, "organizations.1.verification_status", "phone_number_check"),
				resource.TestCheckResourceAttr(ds, "organizations.1.verified", "false"),
				resource.TestCheckResourceAttr(ds, "organizations.2.verification_status", "55"),
				resource.TestCheckNoResourceAttr(ds, "organizations.2.name_kor"),
				m.expectRequests(mockserver.OpListOrganizations, 1),
			),
			// Substring of either name, any case; AND with the status.
			step(`name = "example"`, resource.TestCheckResourceAttr(ds, "organizations.#", "2")),
			step(`name = "회사"`, resource.TestCheckResourceAttr(ds, "organizations.#", "2")),
			step(`
  name                = "EXAMPLE"
  verification_status = "verified"`,
				resource.TestCheckResourceAttr(ds, "organizations.#", "1"),
				resource.TestCheckResourceAttr(ds, "organizations.0.organization_no", "1001")),
			step(`business_registration_no = "2223344444"`,
				resource.TestCheckResourceAttr(ds, "organizations.#", "1"),
				resource.TestCheckResourceAttr(ds, "organizations.0.organization_no", "1002")),
			step(`verification_status = "55"`,
				resource.TestCheckResourceAttr(ds, "organizations.#", "1"),
				resource.TestCheckResourceAttr(ds, "organizations.0.organization_no", "1003")),
			step(`verification_status = "failed"`, resource.TestCheckResourceAttr(ds, "organizations.#", "0")),
		},
	})
}

// Whatever envelope the service answers in, the same organizations come out.
func TestOrganizations_envelopeVariantsThroughTheMock(t *testing.T) {
	t.Parallel()
	for _, v := range mockserver.OrganizationsEnvelopes {
		m := newTestMock(t, mockserver.Options{OrganizationsEnvelope: v})
		seedTestOrganizations(t, m)
		orgs, err := m.client(t).ListOrganizations(context.Background(), organizationFilter("example", "verified"))
		if err != nil || len(orgs) != 1 || orgs[0].No != 1001 || orgs[0].NameEng != "Example Corp" {
			t.Errorf("%s: %+v %v", v, orgs, err)
		}
	}
}

// A proxy answering the organizations path with an HTML page is an error naming the
// endpoint, never zero organizations; a failing service is an error too.
func TestAccDataSourceOrganizations_notAnAnswer(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedTestOrganizations(t, m)
	target, _ := url.Parse(m.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v2/organization/getOrganizationInfoList" {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>Maintenance</body></html>"))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	behind := &testMock{Server: m.Server, URL: front.URL}
	m.AddFault(mockserver.Fault{Operation: mockserver.OpListOrganizations, Count: 100, Status: http.StatusInternalServerError})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      behind.providerBlock() + `data "ncloudcert_organizations" "x" {}`,
				ExpectError: regexp.MustCompile(`(?s)Cannot list organizations.*getOrganizationInfoList.*not\s+a\s+Certificate\s+Manager\s+answer`),
			},
			{
				Config:      m.providerBlock() + `data "ncloudcert_organizations" "x" {}`,
				ExpectError: regexp.MustCompile(`(?s)Cannot list organizations.*ListOrganizations: HTTP 500`),
			},
			{Config: m.providerBlock()},
		},
	})
}

func TestAccDataSourceCertificateTypes(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	const ds = "data.ncloudcert_certificate_types.x"
	step := func(args string, checks ...resource.TestCheckFunc) resource.TestStep {
		return resource.TestStep{
			Config: m.providerBlock() + `data "ncloudcert_certificate_types" "x" {` + "\n" + args + "\n}\n",
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      m.providerBlock() + `data "ncloudcert_certificate_types" "x" { types = ["external"] }`,
				ExpectError: regexp.MustCompile(`(?s)value must be one of.*cloud_basic`),
			},
			step(``,
				resource.TestCheckResourceAttr(ds, "certificate_types.#", "4"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.type", "cloud_basic"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.code", "NCP_FREE_DV_01"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.pricing_plan", "FREE"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.validation_level", "DV"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.validity_days", "90"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.csr_required", "false"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.ca", "ncloudcert-mock Intermediate CA"),
				resource.TestCheckResourceAttr(ds, "certificate_types.2.type", "advanced_ov"),
				resource.TestCheckResourceAttr(ds, "certificate_types.2.validation_level", "OV"),
				resource.TestCheckResourceAttr(ds, "certificate_types.2.csr_required", "true"),
				resource.TestCheckResourceAttr(ds, "certificate_types.3.type", "global_edge"),
				m.expectRequests(mockserver.OpListCertificateTypes, 1),
			),
			step(`pricing_plan = "paid"`,
				resource.TestCheckResourceAttr(ds, "certificate_types.#", "2"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.type", "advanced_dv"),
				resource.TestCheckResourceAttr(ds, "certificate_types.1.type", "advanced_ov")),
			step(`types = ["global_edge", "advanced_ov"]`,
				resource.TestCheckResourceAttr(ds, "certificate_types.#", "2"),
				resource.TestCheckResourceAttr(ds, "certificate_types.0.type", "advanced_ov"),
				resource.TestCheckResourceAttr(ds, "certificate_types.1.type", "global_edge")),
			step(`
  types        = ["cloud_basic"]
  pricing_plan = "PAID"`, resource.TestCheckResourceAttr(ds, "certificate_types.#", "0")),
		},
	})
}

// Unknown codes keep their code and a null type.
func TestCertificateTypeValues_unknownCode(t *testing.T) {
	if got := requestableTypeOf("NCP_PRIVATE"); got != "" {
		t.Errorf("NCP_PRIVATE → %q", got)
	}
	if got := requestableTypeOf("EXTERNAL"); got != "" {
		t.Errorf("EXTERNAL → %q", got)
	}
	if got := requestableTypeOf("ncp_paid_dv_01"); got != "advanced_dv" {
		t.Errorf("ncp_paid_dv_01 → %q", got)
	}
}

func organizationFilter(name, status string) client.OrganizationFilter {
	return client.OrganizationFilter{Name: name, VerificationStatus: status}
}

// What the service leaves out stays null; a level label the provider does not know is kept.
func TestCertificateTypeValues_sparse(t *testing.T) {
	v := certificateTypeValues(client.CertificateTypeInfo{Code: "NCP_PRIVATE", ValidationLevel: "Private Certificate"}, "")
	if !v["type"].IsNull() || !v["validity_days"].IsNull() || !v["csr_required"].IsNull() || !v["ca"].IsNull() ||
		v["validation_level"].(types.String).ValueString() != "Private Certificate" || v["code"].(types.String).ValueString() != "NCP_PRIVATE" {
		t.Errorf("values = %v", v)
	}
}
