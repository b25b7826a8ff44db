package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// Batched reads against the real mock, counted through its stats (never timed).

func newBatchMock(t *testing.T, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	opts.Credentials = map[string]string{testAccessKey: testSecretKey}
	m, err := mockserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func seed(t *testing.T, m *mockserver.Server, n int, typ, prefix string) mockserver.SeedResult {
	t.Helper()
	res, err := m.Seed(n, mockserver.SeedOptions{Types: []string{typ}, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func totalRequests(m *mockserver.Server) int {
	n := 0
	for _, v := range m.Stats().Requests {
		n += v
	}
	return n
}

// refresh reads refs with ReadCertificateBatched, `parallel` at a time (Terraform's
// -parallelism), and fails on any error.
func refresh(t *testing.T, c *Client, refs []CertificateRef, parallel int) {
	t.Helper()
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for _, ref := range refs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			got, err := c.ReadCertificateBatched(context.Background(), ref)
			if err != nil || got.No != ref.No {
				failed.Add(1)
				t.Errorf("read %d: %+v %v", ref.No, got, err)
			}
		}()
	}
	wg.Wait()
}

// setQuery rewrites a request's query and signs it again, as the gateway would have seen it.
func setQuery(r *http.Request, q url.Values) {
	r.URL.RawQuery = q.Encode()
	uri := r.URL.EscapedPath() + "?" + r.URL.RawQuery
	r.Header.Set(headerSignature, signature(testSecretKey, r.Method, uri, r.Header.Get(headerTimestamp), r.Header.Get(headerAccessKey)))
}

func batchClient(t *testing.T, m *mockserver.Server, mod ...func(*Config)) *Client {
	c, _ := newTestClient(t, m, append([]func(*Config){func(cfg *Config) { cfg.BatchReads = true }}, mod...)...)
	return c
}

// refsOf lists the certificates of a kind (through the client, before counting).
func refsOf(t *testing.T, c *Client, op string) []CertificateRef {
	t.Helper()
	var certs []Certificate
	var err error
	if op == opListCloudCertificates {
		certs, err = c.ListCloudCertificates(context.Background(), "")
	} else {
		certs, err = c.ListCertificates(context.Background(), "")
	}
	if err != nil {
		t.Fatal(err)
	}
	refs := make([]CertificateRef, len(certs))
	for i := range certs {
		refs[i] = certs[i].Ref()
	}
	return refs
}

func externalRefs(res mockserver.SeedResult) []CertificateRef {
	var refs []CertificateRef
	for no := res.First; no <= res.Last; no++ {
		refs = append(refs, CertificateRef{No: no, Kind: KindExternal})
	}
	return refs
}

func TestBatchedExternalsThousandInTwoRequests(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	refs := externalRefs(seed(t, m, 1000, "external", "b"))
	c := batchClient(t, m)
	refresh(t, c, refs, 10)
	// The first read alone, then one unfiltered v1 list for the other 999.
	if got := totalRequests(m); got != 2 {
		t.Errorf("requests for 1,000 externals = %d, want 2 (%v)", got, m.Stats().Requests)
	}
}

func TestBatchedOneExternalAmongTenThousandIsOneRequest(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	seed(t, m, 10000, "external", "other")
	refs := externalRefs(seed(t, m, 1, "external", "mine"))
	c := batchClient(t, m)
	refresh(t, c, refs, 10)
	if got := totalRequests(m); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}

func TestBatchedOffReadsEachCertificate(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	refs := externalRefs(seed(t, m, 30, "external", "b"))
	c := batchClient(t, m, func(cfg *Config) { cfg.BatchReads = false })
	refresh(t, c, refs, 10)
	if got := totalRequests(m); got != 30 {
		t.Errorf("requests with batching off = %d, want 30", got)
	}
}

// API 2.0 kinds: page 1 tells the total; the listing goes on when the reads pay for it.
func TestBatchedCloudListsWhenPagesPayOff(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	seed(t, m, 1000, "cloud_basic", "cb")
	c := batchClient(t, m)
	refs := refsOf(t, c, opListCloudCertificates)
	before := totalRequests(m)
	refresh(t, c, refs, 10)
	// 1 per-certificate read + 10 pages (+ the few reads that started before page 1 said
	// the listing pays off, fewer than -parallelism).
	got := totalRequests(m) - before
	t.Logf("1,000 Cloud Basic refreshed in %d requests", got)
	if got > 20 {
		t.Errorf("requests for 1,000 Cloud Basic = %d, want <= 20 (%v)", got, m.Stats().Requests)
	}
}

func TestBatchedCloudFewAmongManyStaysPerCertificate(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	seed(t, m, 2000, "cloud_basic", "other")
	seed(t, m, 5, "cloud_basic", "mine")
	c := batchClient(t, m)
	var refs []CertificateRef
	for _, ref := range refsOf(t, c, opListCloudCertificates) {
		if len(ref.Name) > 4 && ref.Name[:4] == "mine" {
			refs = append(refs, ref)
		}
	}
	before := totalRequests(m)
	refresh(t, c, refs, 1)
	// 5 reads and one probe page: 20 pages would cost more than the reads they replace.
	if got := totalRequests(m) - before; got != 6 {
		t.Errorf("requests = %d, want 6 (5 reads + 1 probe page) (%v)", got, m.Stats().Requests)
	}
}

func TestBatchedNotFoundFromCompleteListing(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	refs := externalRefs(seed(t, m, 20, "external", "b"))
	c := batchClient(t, m)
	refresh(t, c, refs[:2], 1) // the second read takes the listing
	gone := CertificateRef{No: refs[19].No + 1000, Kind: KindExternal}
	before := totalRequests(m)
	if _, err := c.ReadCertificateBatched(context.Background(), gone); !IsNotFound(err) {
		t.Fatalf("want not found, got %v", err)
	}
	if got := totalRequests(m) - before; got != 0 {
		t.Errorf("requests = %d, want 0: the complete listing is the evidence", got)
	}
}

// A v2 list whose server ignores `page` (a full page repeated) is incomplete: an absence
// from it is asked again, per certificate.
func TestBatchedNotFoundNeedsCompleteListing(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	seed(t, m, 150, "cloud_basic", "cb")
	ignorePage := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("page") != "" {
			q.Set("page", "1")
			setQuery(r, q)
		}
		m.ServeHTTP(w, r)
	})
	c, _ := newTestClient(t, ignorePage, func(cfg *Config) { cfg.BatchReads = true })
	refs := refsOf(t, batchClient(t, m), opListCloudCertificates)[:100]
	first := m.Stats().Requests[opListCloudCertificates]
	refresh(t, c, refs, 10)
	before := m.Stats().Requests[opListCloudCertificates]
	if before-first > 15 {
		t.Errorf("the listing served nothing: %d requests for 100 reads", before-first)
	}
	gone := CertificateRef{No: 999999, Name: "cb-cloud-basic-149", Kind: KindCloud}
	if _, err := c.ReadCertificateBatched(context.Background(), gone); !IsNotFound(err) {
		t.Fatalf("want not found from the per-certificate read, got %v", err)
	}
	if got := m.Stats().Requests[opListCloudCertificates] - before; got != 1 {
		t.Errorf("per-certificate reads after an incomplete listing = %d, want 1", got)
	}
}

// A write of this client makes every older listing useless, also one running meanwhile.
func TestBatchedWriteOutdatesListing(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	refs := externalRefs(seed(t, m, 10, "external", "b"))
	c := batchClient(t, m)
	ctx := context.Background()
	refresh(t, c, refs[:2], 1) // a snapshot holding every certificate

	// Delete one, then read it: not from the older snapshot, which still holds it.
	if err := c.DeleteCertificate(ctx, refs[3].No, "b-external-3"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadCertificateBatched(ctx, refs[3]); !IsNotFound(err) {
		t.Fatalf("after delete: want not found, got %v", err)
	}

	// A listing that starts while a delete runs serves nothing after it.
	m.SetLatency(mockserver.OpDeleteCertificateV1, 300*time.Millisecond)
	deleted := make(chan error, 1)
	go func() { deleted <- c.DeleteCertificate(ctx, refs[4].No, "b-external-4") }()
	for m.Stats().Requests[mockserver.OpDeleteCertificateV1] < 2 {
		time.Sleep(time.Millisecond) // until the delete reached the mock (ordering, not timing)
	}
	refresh(t, c, refs[5:7], 1)
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadCertificateBatched(ctx, refs[4]); !IsNotFound(err) {
		t.Fatalf("after a delete concurrent with a listing: want not found, got %v", err)
	}
}

// A listing older than snapshotMaxAge (by the client's clock) is taken again.
func TestBatchedListingAges(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	refs := externalRefs(seed(t, m, 10, "external", "b"))
	var offset atomic.Int64
	c := batchClient(t, m, func(cfg *Config) {
		cfg.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	})
	refresh(t, c, refs[:5], 1)
	list := m.Stats().Requests[mockserver.OpGetCertificateList]
	offset.Store(int64(snapshotMaxAge + time.Minute))
	refresh(t, c, refs[5:], 1)
	if got := m.Stats().Requests[mockserver.OpGetCertificateList] - list; got != 1 {
		t.Errorf("requests after the listing aged = %d, want 1 (a new listing)", got)
	}
}

func TestBatchedOrders(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	seed(t, m, 150, "advanced_dv", "adv")
	c := batchClient(t, m)
	orders, err := c.ListOrders(context.Background())
	if err != nil || len(orders) != 150 {
		t.Fatalf("orders: %d %v", len(orders), err)
	}
	before := totalRequests(m)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 10)
	for _, o := range orders {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			got, err := c.ReadOrderBatched(context.Background(), o.ID)
			if err != nil || got.ID != o.ID || len(got.Certificates) != 1 {
				t.Errorf("order %s: %+v %v", o.ID, got, err)
			}
		}()
	}
	wg.Wait()
	if got := totalRequests(m) - before; got > 13 {
		t.Errorf("requests for 150 orders = %d, want <= 13 (%v)", got, m.Stats().Requests)
	}
	// An order missing from the listing is asked by GetOrder: its word only.
	gets := m.Stats().Requests[mockserver.OpGetOrder]
	if _, err := c.ReadOrderBatched(context.Background(), "424242"); !IsNotFound(err) {
		t.Errorf("unknown order: %v", err)
	}
	if m.Stats().Requests[mockserver.OpGetOrder]-gets != 1 {
		t.Error("an order missing from a listing must be read with GetOrder")
	}
}

// The API doc §8 alternatives: pages shorter than asked, no totals, numbers as strings.
// Batched reads still find every certificate, and an absence from a listing read to its
// end (an empty page) is still evidence.
func TestBatchedWireAlternatives(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	seed(t, m, 230, "cloud_basic", "cb")
	refs := refsOf(t, batchClient(t, m), opListCloudCertificates)
	alt := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("pageSize") == "100" {
			q.Set("pageSize", "40")
			setQuery(r, q)
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		var body map[string]any
		out := rec.Body.Bytes()
		if json.Unmarshal(out, &body) == nil {
			delete(body, "totalCount")
			delete(body, "totalRows")
			if list, ok := body["sslCertificateList"].([]any); ok {
				for _, it := range list {
					if item, ok := it.(map[string]any); ok {
						item["certificateNo"] = fmt.Sprint(item["certificateNo"])
					}
				}
			}
			out, _ = json.Marshal(body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	})
	c, _ := newTestClient(t, alt, func(cfg *Config) { cfg.BatchReads = true })
	before := totalRequests(m)
	refresh(t, c, refs, 10)
	got := totalRequests(m) - before
	// Without a total, pages are taken one at a time while the reads pay for them.
	if got >= len(refs)/2 {
		t.Errorf("requests for %d certificates = %d, want far fewer", len(refs), got)
	}
	lists := m.Stats().Requests[opListCloudCertificates]
	gone := CertificateRef{No: 999999, Name: "cb-cloud-basic-0", Kind: KindCloud}
	if _, err := c.ReadCertificateBatched(context.Background(), gone); !IsNotFound(err) {
		t.Fatalf("want not found, got %v", err)
	}
	if n := m.Stats().Requests[opListCloudCertificates] - lists; n != 0 {
		t.Errorf("an absence from a complete listing cost %d more requests, want 0", n)
	}
}
