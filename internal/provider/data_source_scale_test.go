package provider

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// expectListRequests checks that every read of the data source paged in exactly perRead
// ListCertificates requests (Terraform reads a data source several times per step).
func expectListRequests(m *testMock, perRead int) resource.TestCheckFunc {
	return func(*terraformState) error {
		got := m.Requests("ListCertificates")
		if got == 0 || got%perRead != 0 {
			return fmt.Errorf("ListCertificates received %d requests, want a multiple of %d (one per read)", got, perRead)
		}
		return nil
	}
}

func TestAccCertificatesDataSource_scale(t *testing.T) {
	const n = 3_000
	m := newTestMock(t)
	res, err := m.Seed(n, mockserver.SeedOptions{Types: []string{"external", "cloud_basic", "global_edge"},
		Statuses: []string{"NORMAL", "EXPIRE", "NORMAL", "REVOKE", "ONGOING", "NORMAL", "VALIDATION_EXPIRE"}})
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config: m.providerBlock() + `data "ncloudcert_certificates" "all" {}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.#", strconv.Itoa(n)),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.0.certificate_no", strconv.FormatInt(res.First, 10)),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", fmt.Sprintf("certificates.%d.certificate_no", n-1), strconv.FormatInt(res.Last, 10)),
				expectListRequests(m, (n+99)/100),
			),
		}},
	})
}

// pagingHandler serves the v2 certificate list with another page size than asked: pageSize
// is replaced by size (0: every certificate on every page).
func pagingHandler(next http.Handler, size int) http.Handler {
	return pagingHandlerFor(next, size, "/api/v2/certificate/certificates")
}

// pagingHandlerFor is pagingHandler over the lists at paths.
func pagingHandlerFor(next http.Handler, size int, paths ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(paths, r.URL.Path) && r.URL.Query().Has("pageSize") {
			// The signature covers the URI, so the rewritten request is signed again (API doc §2.2).
			q := r.URL.Query()
			q.Set("pageSize", strconv.Itoa(size))
			r2 := r.Clone(r.Context())
			r2.URL.RawQuery = q.Encode()
			r2.RequestURI = r2.URL.RequestURI()
			mac := hmac.New(sha256.New, []byte(mockserver.DemoSecretKey))
			mac.Write([]byte(r2.Method + " " + r2.URL.RequestURI() + "\n" + r2.Header.Get("x-ncp-apigw-timestamp") + "\n" + mockserver.DemoAccessKey))
			r2.Header.Set("x-ncp-apigw-signature-v2", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

func TestAccCertificatesDataSource_otherPaging(t *testing.T) {
	const n = 500
	for _, tc := range []struct {
		name    string
		size    int
		perRead int
		variant wireVariant
	}{
		{"pages of 20", 20, n / 20, wireVariants[0]},
		{"pageSize 0 returns everything", 0, 1, wireVariants[2]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if liveMode() {
				t.Skip("mock only")
			}
			mock, err := mockserver.New(mockserver.Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := mock.Seed(n, mockserver.SeedOptions{Types: []string{"external", "cloud_basic"}})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(rewritingHandler(pagingHandler(mock, tc.size), tc.variant))
			t.Cleanup(srv.Close)
			m := &testMock{Server: mock, URL: srv.URL}
			d := "data.ncloudcert_certificates.x"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				Steps: []resource.TestStep{{
					Config: m.providerBlock() + `
data "ncloudcert_certificates" "x" {}
data "ncloudcert_certificates" "cb" {
  types  = ["cloud_basic"]
  domain = "*.cloud-basic.seed.example.com"
}`,
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr(d, "certificates.#", strconv.Itoa(n)),
						resource.TestCheckResourceAttr(d, "certificates.0.certificate_no", strconv.FormatInt(res.First, 10)),
						resource.TestCheckResourceAttr(d, fmt.Sprintf("certificates.%d.certificate_no", n-1), strconv.FormatInt(res.Last, 10)),
						resource.TestCheckResourceAttr(d, "certificates.0.type", "external"),
						resource.TestCheckResourceAttr(d, "certificates.1.type", "cloud_basic"),
						resource.TestCheckResourceAttr(d, "certificates.0.common_name", "external.seed.example.com"),
						resource.TestCheckResourceAttrSet(d, "certificates.0.not_after"),
						resource.TestCheckResourceAttr(d, "certificates.0.dns_names.#", "2"),
						resource.TestCheckResourceAttr("data.ncloudcert_certificates.cb", "certificates.#", strconv.Itoa(n/2)),
						expectListRequests(m, tc.perRead),
					),
				}},
			})
		})
	}
}
