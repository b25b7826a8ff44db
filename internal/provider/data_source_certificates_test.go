package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

// dsFixture is a small account with every kind of certificate the filters tell apart.
type dsFixture struct {
	extA, extB, extC, extExpired, cloudBasic, globalEdge, advanced int64
}

func newDSFixture(t *testing.T, m *testMock) dsFixture {
	t.Helper()
	ca := testCertificateAuthority(t)
	chain := ca.intermediatePEM + ca.rootPEM
	var f dsFixture
	f.extA = registerOutside(t, m, "ds-ext-a", ca.issue(t, "a.example.com", []string{"www.example.com"}), chain).No
	f.extB = registerOutside(t, m, "ds-ext-b", ca.issue(t, "*.example.com", nil, leafOptions{notAfter: time.Now().Add(10 * 24 * time.Hour)}), chain).No
	f.extC = registerOutside(t, m, "ds-ext-c", ca.issue(t, "other.test", []string{"example.com"}), chain).No
	f.extExpired = registerOutside(t, m, "ds-old", ca.issue(t, "old.example.org", nil), chain).No
	if err := m.SetStatus(f.extExpired, client.StatusExpire); err != nil {
		t.Fatal(err)
	}
	if err := m.SetInUse(f.extA, "1001"); err != nil {
		t.Fatal(err)
	}
	c := m.client(t)
	ctx := context.Background()
	cb, err := c.RequestCertificate(ctx, client.CertificateRequest{Type: client.CloudBasic, Name: "ds-cb", CommonName: "x.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ValidateCertificate(cb.No); err != nil {
		t.Fatal(err)
	}
	f.cloudBasic = cb.No
	ge, err := c.RequestCertificate(ctx, client.CertificateRequest{Type: client.GlobalEdge, Name: "ds-ge", CommonName: "y.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	f.globalEdge = ge.No
	f.advanced, _ = testAdvancedCertificate(t, m, "ds-adv", false)
	return f
}

func dsNo(n int64) string { return strconv.FormatInt(n, 10) }

// checkNumbers checks the certificate numbers of a list data source, in order.
func checkNumbers(name string, nos ...int64) resource.TestCheckFunc {
	checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr(name, "certificates.#", strconv.Itoa(len(nos)))}
	for i, n := range nos {
		checks = append(checks, resource.TestCheckResourceAttr(name, fmt.Sprintf("certificates.%d.certificate_no", i), dsNo(n)))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

func TestAccCertificatesDataSource_filters(t *testing.T) {
	m := newTestMock(t)
	f := newDSFixture(t, m)
	cfg := m.providerBlock() + `
data "ncloudcert_certificates" "all" {}
data "ncloudcert_certificates" "by_name" { name = "ds-ext-b" }
data "ncloudcert_certificates" "regex" { name_regex = "^ds-ext-[ab]$" }
data "ncloudcert_certificates" "types" { types = ["cloud_basic", "global_edge"] }
data "ncloudcert_certificates" "statuses" { statuses = ["EXPIRE", "ONGOING"] }
data "ncloudcert_certificates" "wild" { domain = "*.example.com" }
data "ncloudcert_certificates" "leaf" { domain = "A.Example.com." }
data "ncloudcert_certificates" "deep" { domain = "a.b.example.com" }
data "ncloudcert_certificates" "apex" { domain = "example.com" }
data "ncloudcert_certificates" "used" { in_use = true }
data "ncloudcert_certificates" "unused_ext" {
  in_use = false
  types  = ["external"]
}
data "ncloudcert_certificates" "expiring" {
  expiring_within_days = 30
  statuses             = ["NORMAL"]
}
data "ncloudcert_certificates" "none" { name = "ds-nothing" }
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				// The Cloud certificate list: Advanced certificates have their own data source.
				checkNumbers("data.ncloudcert_certificates.all", f.extA, f.extB, f.extC, f.extExpired, f.cloudBasic, f.globalEdge),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.0.name", "ds-ext-a"),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.0.type", "external"),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.0.common_name", "a.example.com"),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.0.in_use", "true"),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.0.used_instance_nos.0", "1001"),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.0.status", "NORMAL"),
				resource.TestCheckResourceAttrSet("data.ncloudcert_certificates.all", "certificates.0.not_after"),
				resource.TestCheckResourceAttrSet("data.ncloudcert_certificates.all", "certificates.0.serial_number"),
				resource.TestCheckNoResourceAttr("data.ncloudcert_certificates.all", "certificates.0.private_key_registered"),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.4.type", "cloud_basic"),
				resource.TestCheckResourceAttr("data.ncloudcert_certificates.all", "certificates.5.type", "global_edge"),
				checkNumbers("data.ncloudcert_certificates.by_name", f.extB),
				checkNumbers("data.ncloudcert_certificates.regex", f.extA, f.extB),
				checkNumbers("data.ncloudcert_certificates.types", f.cloudBasic, f.globalEdge),
				checkNumbers("data.ncloudcert_certificates.statuses", f.extExpired, f.globalEdge),
				checkNumbers("data.ncloudcert_certificates.wild", f.extA, f.extB),
				checkNumbers("data.ncloudcert_certificates.leaf", f.extA, f.extB),
				checkNumbers("data.ncloudcert_certificates.deep"),
				checkNumbers("data.ncloudcert_certificates.apex", f.extC),
				checkNumbers("data.ncloudcert_certificates.used", f.extA),
				checkNumbers("data.ncloudcert_certificates.unused_ext", f.extB, f.extC, f.extExpired),
				checkNumbers("data.ncloudcert_certificates.expiring", f.extB),
				checkNumbers("data.ncloudcert_certificates.none"),
				func(*terraformState) error {
					// The name filter went to the server: one request with certificateName.
					if got := m.Requests("ListCertificates"); got == 0 {
						return fmt.Errorf("no ListCertificates request")
					}
					return nil
				},
			),
		}},
	})
}

func TestAccCertificatesDataSource_planTimeErrors(t *testing.T) {
	m := newTestMock(t)
	step := func(body string, want string) resource.TestStep {
		return resource.TestStep{Config: m.providerBlock() + body, ExpectError: regexp.MustCompile(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			step(`data "ncloudcert_certificates" "x" { name_regex = "ds-(" }`, `(?s)name_regex.*Invalid regular expression|Invalid regular expression.*name_regex`),
			step(`data "ncloudcert_certificates" "x" { types = ["external", "cloudbasic"] }`, `(?s)types.*cloudbasic`),
			step(`data "ncloudcert_certificates" "x" { types = ["advanced_dv"] }`, `(?s)types.*advanced_dv`),
			step(`data "ncloudcert_certificates" "x" { statuses = ["NORMAL", "GOOD"] }`, `(?s)statuses.*GOOD`),
			step(`data "ncloudcert_certificates" "x" { expiring_within_days = -1 }`, `(?s)expiring_within_days`),
			step(`data "ncloudcert_certificate" "x" { types = ["external"] }`, `(?s)certificate_no.*name.*domain`),
			step(`data "ncloudcert_certificate" "x" { name_regex = "x" }`, `(?s)name_regex`),
			step(`data "ncloudcert_advanced_certificates" "x" { types = ["advanced"] }`, `(?s)types.*advanced`),
		},
		CheckDestroy: m.expectNoRequests,
	})
}

func TestAccCertificateDataSource(t *testing.T) {
	m := newTestMock(t)
	f := newDSFixture(t, m)
	ca := testCertificateAuthority(t)
	// A second NORMAL certificate for *.example.com, issued later than ds-ext-b.
	time.Sleep(1100 * time.Millisecond)
	later := registerOutside(t, m, "ds-ext-b2", ca.issue(t, "*.example.com", nil), ca.intermediatePEM+ca.rootPEM).No
	// A healthy Global Edge certificate (NORMAL_GLOBAL_EDGE_DEDICATED) is found by name.
	if err := m.ValidateCertificate(f.globalEdge); err != nil {
		t.Fatal(err)
	}
	d := "data.ncloudcert_certificate."
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock() + fmt.Sprintf(`
data "ncloudcert_certificate" "by_no" { certificate_no = %d }
data "ncloudcert_certificate" "by_no_expired" { certificate_no = %d }
data "ncloudcert_certificate" "by_name" { name = "ds-ext-a" }
data "ncloudcert_certificate" "by_domain" {
  domain = "other.test"
}
data "ncloudcert_certificate" "recent" {
  domain      = "*.example.com"
  types       = ["external"]
  most_recent = true
  name        = null
}
data "ncloudcert_certificate" "wild_exact" {
  domain   = "b.example.com"
  statuses = ["NORMAL"]
  most_recent = true
}
data "ncloudcert_certificate" "cb" {
  domain = "x.example.net"
  types  = ["cloud_basic"]
}
data "ncloudcert_certificate" "ge" { name = "ds-ge" }
`, f.extA, f.extExpired),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(d+"by_no", "name", "ds-ext-a"),
					resource.TestCheckResourceAttr(d+"by_no", "id", dsNo(f.extA)),
					resource.TestCheckResourceAttr(d+"by_no", "type", "external"),
					resource.TestMatchResourceAttr(d+"by_no", "certificate_pem", regexp.MustCompile(`^-----BEGIN CERTIFICATE-----`)),
					resource.TestMatchResourceAttr(d+"by_no", "certificate_chain_pem", regexp.MustCompile(`(?s)BEGIN CERTIFICATE.*BEGIN CERTIFICATE`)),
					resource.TestCheckResourceAttr(d+"by_no_expired", "status", "EXPIRE"),
					resource.TestCheckResourceAttr(d+"by_name", "certificate_no", dsNo(f.extA)),
					resource.TestCheckResourceAttr(d+"by_name", "in_use", "true"),
					resource.TestCheckResourceAttr(d+"by_domain", "certificate_no", dsNo(f.extC)),
					resource.TestCheckResourceAttr(d+"recent", "certificate_no", dsNo(later)),
					resource.TestCheckResourceAttr(d+"wild_exact", "certificate_no", dsNo(later)),
					resource.TestCheckResourceAttr(d+"cb", "certificate_no", dsNo(f.cloudBasic)),
					resource.TestCheckResourceAttr(d+"cb", "type", "cloud_basic"),
					resource.TestMatchResourceAttr(d+"cb", "certificate_pem", regexp.MustCompile(`BEGIN CERTIFICATE`)),
					resource.TestCheckResourceAttr(d+"ge", "certificate_no", dsNo(f.globalEdge)),
					resource.TestCheckResourceAttr(d+"ge", "status", "NORMAL_GLOBAL_EDGE_DEDICATED"),
				),
			},
			{
				// Several NORMAL certificates for *.example.com and no most_recent: the error lists them.
				Config:      m.providerBlock() + `data "ncloudcert_certificate" "x" { domain = "*.example.com" }`,
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)3 certificates match.*number, name, status, not_after.*%d\s+ds-ext-a\s+NORMAL\s+20\d\d-.*%d\s+ds-ext-b\s+NORMAL.*%d\s+ds-ext-b2`, f.extA, f.extB, later)),
			},
			{
				// The default statuses (the usable ones) leave out the expired certificate, and the error says so.
				Config:      m.providerBlock() + `data "ncloudcert_certificate" "x" { name = "ds-old" }`,
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)No certificate matches.*Left out only by statuses:\s+- certificate %d "ds-old" matched but\s+is EXPIRE; add "EXPIRE" to statuses.*name = "ds-old", statuses =\s+\[NORMAL, NORMAL_GLOBAL_EDGE_DEDICATED\]`, f.extExpired)),
			},
			{
				Config:      m.providerBlock() + `data "ncloudcert_certificate" "x" { certificate_no = 999999 }`,
				ExpectError: regexp.MustCompile(`No certificate matches`),
			},
			{
				Config:      m.providerBlock() + `data "ncloudcert_certificate" "x" { domain = "a.b.example.com" }`,
				ExpectError: regexp.MustCompile(`No certificate matches`),
			},
			{
				Config: m.providerBlock() + `
data "ncloudcert_certificate" "x" {
  domain = "y.example.net"
  types  = ["external"]
  statuses = ["ONGOING"]
}`,
				ExpectError: regexp.MustCompile(`(?s)No certificate matches.*types = \[external\]`),
			},
		},
	})
}

// Orders A (its first certificate expired validation, then reissued: ONGOING), B (issued,
// key not registered) and C (issued, key registered): private_key_registered is set only for
// issued certificates, and the orders keep their index (order id) after A's reissue.
func TestAccAdvancedDataSources(t *testing.T) {
	m := newTestMock(t)
	f := newDSFixture(t, m)
	second, _ := testAdvancedCertificate(t, m, "ds-adv2", true)
	third, key := testAdvancedCertificate(t, m, "ds-adv3", true)
	ctx := context.Background()
	c := m.client(t)
	if err := c.RegisterPrivateKey(ctx, third, key); err != nil {
		t.Fatal(err)
	}
	if err := m.SetStatus(f.advanced, client.StatusValidationExpire); err != nil {
		t.Fatal(err)
	}
	csr, _, err := testcert.CSR("ds-adv.example.com")
	if err != nil {
		t.Fatal(err)
	}
	reissued, err := c.ReissueCertificate(ctx, f.advanced, client.ReissueRequest{CSR: csr, Name: "ds-adv-r", CommonName: "ds-adv.example.com", ValidationMethod: "D"})
	if err != nil {
		t.Fatal(err)
	}
	certs, orders := "data.ncloudcert_advanced_certificates.all", "data.ncloudcert_advanced_orders.all"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config: m.providerBlock() + `
data "ncloudcert_advanced_certificates" "all" {}
data "ncloudcert_advanced_certificates" "issued" { statuses = ["NORMAL_UNREGISTERED_PRIVATE_KEY"] }
data "ncloudcert_advanced_orders" "all" {}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkNumbers(certs, f.advanced, second, third, reissued.No),
				resource.TestCheckResourceAttr(certs, "certificates.0.type", "advanced_dv"),
				resource.TestCheckResourceAttr(certs, "certificates.0.name", "ds-adv"),
				resource.TestCheckResourceAttrSet(certs, "certificates.0.order_id"),
				resource.TestCheckResourceAttr(certs, "certificates.0.status", "VALIDATION_EXPIRE"),
				resource.TestCheckNoResourceAttr(certs, "certificates.0.private_key_registered"),
				resource.TestCheckResourceAttr(certs, "certificates.1.private_key_registered", "false"),
				resource.TestCheckResourceAttr(certs, "certificates.2.private_key_registered", "true"),
				resource.TestCheckResourceAttr(certs, "certificates.3.status", "ONGOING"),
				resource.TestCheckNoResourceAttr(certs, "certificates.3.private_key_registered"),
				checkNumbers("data.ncloudcert_advanced_certificates.issued", second),
				resource.TestCheckResourceAttr(orders, "orders.#", "3"),
				// Order A stays first after its reissue; its representative is the new certificate.
				resource.TestCheckResourceAttrPair(orders, "orders.0.order_id", certs, "certificates.0.order_id"),
				resource.TestCheckResourceAttrPair(orders, "orders.0.order_id", certs, "certificates.3.order_id"),
				resource.TestCheckResourceAttr(orders, "orders.0.certificates.#", "2"),
				resource.TestCheckResourceAttr(orders, "orders.0.certificates.0.certificate_no", dsNo(f.advanced)),
				resource.TestCheckResourceAttr(orders, "orders.0.certificate.certificate_no", dsNo(reissued.No)),
				resource.TestCheckResourceAttr(orders, "orders.0.certificate.name", "ds-adv-r"),
				resource.TestCheckResourceAttr(orders, "orders.0.certificate.common_name", "ds-adv.example.com"),
				resource.TestCheckNoResourceAttr(orders, "orders.0.certificate.private_key_registered"),
				resource.TestCheckResourceAttrPair(orders, "orders.1.order_id", certs, "certificates.1.order_id"),
				resource.TestCheckResourceAttr(orders, "orders.1.certificate.status", "NORMAL_UNREGISTERED_PRIVATE_KEY"),
				resource.TestCheckResourceAttr(orders, "orders.1.certificate.private_key_registered", "false"),
				resource.TestCheckResourceAttrSet(orders, "orders.1.subscription_start"),
				resource.TestCheckResourceAttrSet(orders, "orders.1.subscription_years"),
				resource.TestCheckResourceAttrPair(orders, "orders.2.order_id", certs, "certificates.2.order_id"),
				resource.TestCheckResourceAttr(orders, "orders.2.certificate.private_key_registered", "true"),
				// The certificates come from one Advanced listing, not one GetOrder per order.
				func(*terraformState) error {
					if n := m.Requests("GetOrder"); n != 0 {
						return fmt.Errorf("%d GetOrder requests", n)
					}
					return nil
				},
			),
		}},
	})
}
