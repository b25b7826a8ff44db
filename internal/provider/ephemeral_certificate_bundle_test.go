package provider

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// skipOpenTofuEmptyPlanCheck: OpenTofu lists an ephemeral resource in the plan's
// resource_changes with the action "open", which terraform-plugin-testing's post-apply
// empty-plan check counts as a change. Under OpenTofu (TF_ACC_PROVIDER_HOST names its registry,
// as `make test TERRAFORM=tofu` sets it) the bundle is tested by TestAccCLI_certificateBundleExample.
func skipOpenTofuEmptyPlanCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		t.Skip("OpenTofu plans ephemeral resources as \"open\", which terraform-plugin-testing reads as a non-empty plan")
	}
}

func testProviderFactoriesWithEcho() map[string]func() (tfprotov6.ProviderServer, error) {
	f := testProviderFactories()
	f["echo"] = echoprovider.NewProviderServer()
	return f
}

// testIssuedCloudCertificate requests a Cloud Basic (or Global Edge) certificate through the
// client and has the mock issue it: the mock generated its key.
func testIssuedCloudCertificate(t *testing.T, m *testMock, typ client.CertificateType, name string) int64 {
	t.Helper()
	cert, err := m.client(t).RequestCertificate(context.Background(), client.CertificateRequest{Type: typ, Name: name, CommonName: name + ".example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ValidateCertificate(cert.No); err != nil {
		t.Fatal(err)
	}
	return cert.No
}

// The bundle of a Cloud Basic certificate holds its certificate, chain and key; the one of an
// Advanced certificate issued from a CSR holds no key. Values reach state only through the echo
// provider here (the key never: only whether there is one).
func TestAccCertificateBundle_values(t *testing.T) {
	t.Parallel()
	skipOpenTofuEmptyPlanCheck(t)
	m := newTestMock(t)
	basic := testIssuedCloudCertificate(t, m, client.CloudBasic, "bundle-basic")
	advanced, _ := testAdvancedCertificate(t, m, "bundle-adv", true)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testProviderFactoriesWithEcho(),
		Steps: []resource.TestStep{{
			Config: m.providerBlock() + fmt.Sprintf(`
ephemeral "ncloudcert_certificate_bundle" "basic" {
  certificate_no = %d
}

ephemeral "ncloudcert_certificate_bundle" "advanced" {
  certificate_no = %d
}

data "ncloudcert_certificate" "basic" {
  certificate_no = %[1]d
}

provider "echo" {
  data = {
    certificate_pem       = ephemeral.ncloudcert_certificate_bundle.basic.certificate_pem
    certificate_chain_pem = ephemeral.ncloudcert_certificate_bundle.basic.certificate_chain_pem
    not_after             = ephemeral.ncloudcert_certificate_bundle.basic.not_after
    has_key               = ephemeral.ncloudcert_certificate_bundle.basic.private_key_pem != null
    key_is_pem            = startswith(ephemeral.ncloudcert_certificate_bundle.basic.private_key_pem, "-----BEGIN ")
    advanced_has_key      = ephemeral.ncloudcert_certificate_bundle.advanced.private_key_pem != null
    same_as_data_source   = ephemeral.ncloudcert_certificate_bundle.basic.certificate_pem == data.ncloudcert_certificate.basic.certificate_pem
    same_chain            = ephemeral.ncloudcert_certificate_bundle.basic.certificate_chain_pem == data.ncloudcert_certificate.basic.certificate_chain_pem
    same_not_after        = ephemeral.ncloudcert_certificate_bundle.basic.not_after == data.ncloudcert_certificate.basic.not_after
  }
}

resource "echo" "bundle" {}
`, basic, advanced),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.bundle", tfjsonpath.New("data"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"certificate_pem":       knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----\n`)),
					"certificate_chain_pem": knownvalue.StringRegexp(regexp.MustCompile(`(?s)^-----BEGIN CERTIFICATE-----.*-----BEGIN CERTIFICATE-----`)),
					"has_key":               knownvalue.Bool(true),
					"key_is_pem":            knownvalue.Bool(true),
					"advanced_has_key":      knownvalue.Bool(false),
					"same_as_data_source":   knownvalue.Bool(true),
					"same_chain":            knownvalue.Bool(true),
					"same_not_after":        knownvalue.Bool(true),
				})),
				noSecretsInState{},
			},
		}},
	})
}

// Failures name the certificate and what to do: a number the service says does not exist, a
// certificate still being validated, a failed request, a gateway 404 (not evidence of
// absence) and a download holding no certificate.
func TestAccCertificateBundle_errors(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	pending, err := m.client(t).RequestCertificate(context.Background(), client.CertificateRequest{Type: client.CloudBasic, Name: "bundle-pending", CommonName: "pending.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	failed, err := m.client(t).RequestCertificate(context.Background(), client.CertificateRequest{Type: client.CloudBasic, Name: "bundle-failed", CommonName: "failed.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.FailCertificate(failed.No, "CAA record forbids issuance"); err != nil {
		t.Fatal(err)
	}
	issued := testIssuedCloudCertificate(t, m, client.CloudBasic, "bundle-issued")

	// Downloads through this server answer a ZIP without any certificate; the rest is the mock.
	var emptyZipDownloads atomic.Int32
	emptyZip := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/exportCertificate/") {
			emptyZipDownloads.Add(1)
			w.Header().Set("Content-Type", "application/zip")
			_, _ = w.Write(zipOf(t, "readme.txt", "no certificate here"))
			return
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(emptyZip.Close)
	emptyZipMock := &testMock{Server: m.Server, URL: emptyZip.URL}

	config := func(target *testMock, no int64) string {
		return target.providerBlock() + fmt.Sprintf(`
ephemeral "ncloudcert_certificate_bundle" "test" {
  certificate_no = %d
}

provider "echo" {
  data = ephemeral.ncloudcert_certificate_bundle.test.not_after
}

resource "echo" "test" {}
`, no)
	}
	step := func(target *testMock, no int64, want string) resource.TestStep {
		return resource.TestStep{Config: config(target, no), ExpectError: regexp.MustCompile(want)}
	}
	m.AddFault(mockserver.Fault{Operation: mockserver.OpDownloadCertificate, Count: 1, Status: http.StatusNotFound})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testProviderFactoriesWithEcho(),
		Steps: []resource.TestStep{
			// The gateway's 404 (the fault above) says nothing about the certificate.
			step(m, issued, `(?s)Error downloading certificate \d+.*Not Found Exception`),
			step(m, 987654, `(?s)Certificate not found.*no\s+certificate\s+987654`),
			step(m, pending.No, `(?s)Certificate not issued.*status ONGOING.*ncloudcert_certificate_validation`),
			step(m, failed.No, `(?s)Certificate not issued.*status FAILED.*request the certificate again`),
			step(emptyZipMock, issued, `(?s)Unreadable certificate download.*readme\.txt.*holds\s+no\s+PEM\s+certificate`),
			step(m, 0, `(?s)certificate_no.*at least 1`),
		},
	})
	// Each open is one download: the gateway 404 (not retried), the missing number, the two
	// not issued, and the empty ZIP (served beside the mock); the invalid 0 sent nothing.
	if got, empty := m.Requests(mockserver.OpDownloadCertificate), emptyZipDownloads.Load(); got != 4 || empty != 1 {
		t.Errorf("%d DownloadCertificate requests to the mock and %d for the empty ZIP, want 4 and 1 (one per open)", got, empty)
	}
}

func zipOf(t *testing.T, name, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// expectDownloads is a plan check on the number of downloads so far.
type expectDownloads struct {
	m    *testMock
	want int
}

func (c expectDownloads) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if got := c.m.Requests(mockserver.OpDownloadCertificate); got != c.want {
		resp.Error = fmt.Errorf("%d DownloadCertificate requests when the plan was made, want %d", got, c.want)
	}
}

// One apply requests a certificate, publishes its records, waits for issuance and only then
// opens the bundle (its certificate_no, from the validation, is unknown while planning, so
// nothing is downloaded then), handing the key to a write-only argument.
func TestAccCertificateBundle_afterValidationInOneApply(t *testing.T) {
	t.Parallel()
	skipOpenTofuEmptyPlanCheck(t)
	m := newTestMock(t)
	config := m.providerBlock() + issuedBlock(`  name        = "acc-bundle-flow"`, `  common_name = "bundle.example.com"`) +
		dnsRecordsBlock + validationBlock() + `
ephemeral "ncloudcert_certificate_bundle" "test" {
  certificate_no = ncloudcert_certificate_validation.test.certificate_no
}

resource "ncloudcert_external_certificate" "copy" {
  name                       = "acc-bundle-copy"
  certificate_pem            = ncloudcert_certificate_validation.test.certificate_pem
  certificate_chain_pem      = ncloudcert_certificate_validation.test.certificate_chain_pem
  private_key_pem_wo         = ephemeral.ncloudcert_certificate_bundle.test.private_key_pem
  private_key_pem_wo_version = 1
}
`
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{expectDownloads{m, 0}},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("ncloudcert_external_certificate.copy", tfjsonpath.New("type"), knownvalue.StringExact("external")),
				statecheck.ExpectKnownValue("ncloudcert_external_certificate.copy", tfjsonpath.New("private_key_pem_wo"), knownvalue.Null()),
				noSecretsInState{},
			},
			Check: m.expectRequests(mockserver.OpCreateExternalCertificate, 1),
		}},
	})
}
