package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

// ListOrders items documented by API doc §6.2: no certificates (only GetOrder and
// ListAdvancedCertificates carry them).
var documentedOrderFields = []string{"orderId", "subscriptionStartDt", "subscriptionEndDt", "subscriptionYears", "remainingDays", "extendableYears"}

// documentedOrdersHandler answers ListOrders with items holding only their documented fields,
// and both order lists with the §8 alternatives: no totals, numbers as strings (and the order
// id as a number in ListOrders), the orderId spelling in ListAdvancedCertificates, stringly
// typed certificate items.
func documentedOrdersHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		path := r.URL.Path
		if path == "/api/v2/certificate/orders" || path == "/api/v2/certificate/getPaidCertificates" {
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.UseNumber()
			var body map[string]any
			if err := dec.Decode(&body); err == nil {
				delete(body, "totalCount")
				delete(body, "totalRows")
				orders, _ := body["orders"].([]any)
				for _, it := range orders {
					o, _ := it.(map[string]any)
					if path == "/api/v2/certificate/orders" {
						for k := range o {
							if !slices.Contains(documentedOrderFields, k) {
								delete(o, k)
							}
						}
						o["orderId"] = json.Number(fmt.Sprint(o["orderId"])) // a number here, a string in the other list
						for _, k := range []string{"subscriptionYears", "remainingDays", "extendableYears"} {
							if v, ok := o[k]; ok && v != nil {
								o[k] = fmt.Sprint(v)
							}
						}
						continue
					}
					o["orderId"] = o["orderID"]
					delete(o, "orderID")
					certs, _ := o["certificates"].([]any)
					for _, c := range certs {
						if m, ok := c.(map[string]any); ok {
							wireVariants[0].item(m)
						}
					}
				}
				out, _ = json.Marshal(body)
			}
		}
		for k, vals := range rec.Header() {
			w.Header()[k] = vals
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	})
}

// Against a service whose ListOrders items hold only their documented fields, served in
// short pages without totals, every order still has its certificates and representative
// (from one paged ListAdvancedCertificates listing, never one GetOrder per order), ordered
// by order id.
func TestAccAdvancedOrdersDataSource_documentedListOrders(t *testing.T) {
	t.Parallel()
	if liveMode() {
		t.Skip("mock only")
	}
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 5
	res, err := mock.Seed(n, mockserver.SeedOptions{Types: []string{"advanced_dv", "advanced_ov"}, Prefix: "ord"})
	if err != nil {
		t.Fatal(err)
	}
	direct := httptest.NewServer(mock)
	t.Cleanup(direct.Close)
	setup := &testMock{Server: mock, URL: direct.URL}
	c := setup.client(t)
	ctx := context.Background()
	first, err := c.GetCertificate(ctx, res.First)
	if err != nil {
		t.Fatal(err)
	}
	csr, _, err := testcert.CSR(first.CommonName)
	if err != nil {
		t.Fatal(err)
	}
	// Reissuing the first order makes its representative the newest certificate of all.
	reissued, err := c.ReissueCertificate(ctx, res.First, client.ReissueRequest{CSR: csr, Name: "ord-reissued", CommonName: first.CommonName, ValidationMethod: "D"})
	if err != nil {
		t.Fatal(err)
	}
	// Two orders per page whatever is asked: short pages, and no totals to stop on.
	srv := httptest.NewServer(documentedOrdersHandler(pagingHandlerFor(mock, 2, "/api/v2/certificate/orders", "/api/v2/certificate/getPaidCertificates")))
	t.Cleanup(srv.Close)
	m := &testMock{Server: mock, URL: srv.URL}
	d := "data.ncloudcert_advanced_orders.all"
	checks := []resource.TestCheckFunc{
		resource.TestCheckResourceAttr(d, "orders.#", strconv.Itoa(n)),
		resource.TestCheckResourceAttr(d, "orders.0.certificates.#", "2"),
		resource.TestCheckResourceAttr(d, "orders.0.certificates.0.certificate_no", dsNo(res.First)),
		resource.TestCheckResourceAttr(d, "orders.0.certificate.certificate_no", dsNo(reissued.No)),
		resource.TestCheckResourceAttr(d, "orders.0.certificate.name", "ord-reissued"),
		resource.TestCheckResourceAttr(d, "orders.1.certificate.type", "advanced_ov"),
		resource.TestCheckResourceAttrSet(d, "orders.0.subscription_start"),
		resource.TestCheckResourceAttrSet(d, "orders.0.subscription_years"),
	}
	for i := range n {
		no := res.First + int64(i)
		checks = append(checks,
			resource.TestCheckResourceAttr(d, fmt.Sprintf("orders.%d.certificates.0.certificate_no", i), dsNo(no)),
			resource.TestCheckResourceAttrPair(d, fmt.Sprintf("orders.%d.order_id", i), d, fmt.Sprintf("orders.%d.certificates.0.order_id", i)),
		)
		if i > 0 {
			checks = append(checks,
				resource.TestCheckResourceAttr(d, fmt.Sprintf("orders.%d.certificates.#", i), "1"),
				resource.TestCheckResourceAttr(d, fmt.Sprintf("orders.%d.certificate.certificate_no", i), dsNo(no)))
		}
	}
	checks = append(checks, func(*terraformState) error {
		if got := m.Requests("GetOrder"); got != 0 {
			return fmt.Errorf("%d GetOrder requests: the certificates must come from one listing", got)
		}
		return nil
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{{
			Config: m.providerBlock() + `data "ncloudcert_advanced_orders" "all" {}`,
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
		}},
	})
}
