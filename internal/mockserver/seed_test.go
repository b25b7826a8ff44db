package mockserver

import (
	"fmt"
	"net/http"
	"testing"
)

// Seeding 10,000 certificates lists them all in exactly 100 full pages (and one empty page
// that ends the listing). Speed is measured by `make bench`, not asserted here.
func TestSeedListsEveryPage(t *testing.T) {
	e := newEnv(t, Options{})
	res, err := e.srv.Seed(10_000, SeedOptions{Statuses: []string{"NORMAL", "EXPIRE", "ONGOING", "REVOKE"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 10_000 || res.Last-res.First != 9_999 {
		t.Fatalf("seed result %+v", res)
	}
	if st := e.srv.Stats(); st.Certificates != 10_000 {
		t.Fatalf("stats: %+v", st)
	}
	seen, pages := 0, 0
	for page := 1; ; page++ {
		r := e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/certificates?page=%d&pageSize=100", page), nil)
		items := r.list("sslCertificateList")
		seen += len(items)
		pages = page
		if len(items) < 100 {
			break
		}
	}
	if seen != 10_000 || pages != 101 || e.srv.Requests(OpListCertificates) != 101 {
		t.Fatalf("listed %d in %d pages (%d requests), want 10000 in 100 full pages and an empty one", seen, pages, e.srv.Requests(OpListCertificates))
	}
	// Every type is there, with the forced statuses, Advanced ones in orders of their own.
	r := e.signed(http.MethodGet, "/api/v2/certificate/certificates?page=1&pageSize=5", nil)
	want := []string{"EXTERNAL", "NCP_FREE_DV_01", "NCP_GLOBAL_EDGE_DEDICATED", "NCP_PAID_DV_01", "NCP_PAID_OV_01"}
	for i, it := range r.list("sslCertificateList") {
		if it["certificateType"] != want[i] {
			t.Errorf("item %d type %v, want %s", i, it["certificateType"], want[i])
		}
	}
	if got := r.list("sslCertificateList")[1]["statusName"]; got != "EXPIRE" {
		t.Errorf("second status %v", got)
	}
	orders := e.signed(http.MethodGet, "/api/v2/certificate/orders", nil)
	if n := len(orders.list("orders")); n != 4_000 {
		t.Errorf("%d orders, want 4000", n)
	}
}

func TestSeedControl(t *testing.T) {
	e := newEnv(t, Options{})
	if res := e.control(http.MethodPost, "/_mock/seed", map[string]any{"count": 3, "types": []string{"external"}}); res.status != http.StatusOK {
		t.Fatalf("seed: HTTP %d %s", res.status, res.raw)
	}
	for _, body := range []map[string]any{
		{"count": 0}, {"count": 1, "types": []string{"x"}}, {"count": 1, "statuses": []string{"x"}}, {"count": 1, "typo": 1},
		{"count": 3, "types": []string{"external"}}, // the names are taken
	} {
		if res := e.control(http.MethodPost, "/_mock/seed", body); res.status != http.StatusBadRequest {
			t.Errorf("%v: HTTP %d, want 400", body, res.status)
		}
	}
	if n := e.srv.Stats().Certificates; n != 3 {
		t.Errorf("%d certificates, want 3", n)
	}
}
