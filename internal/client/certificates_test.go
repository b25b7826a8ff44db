package client

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pagingServer serves n certificates through ListCertificates with configurable misbehaviour.
type pagingServer struct {
	n           int
	maxPage     int  // server-side cap on pageSize (0 = none)
	ignorePage  bool // always serve page 1
	ignoreSize  bool // serve everything at once
	noTotal     bool // omit totalCount
	stringTotal bool // totalCount as a string
	requests    *counter
	path        string // "" is ListCertificates' path
}

func (p *pagingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.requests.inc()
	if want := cmp.Or(p.path, "/api/v2/certificate/certificates"); r.URL.Path != want {
		w.WriteHeader(404)
		return
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	size, _ := strconv.Atoi(q.Get("pageSize"))
	if p.maxPage > 0 && size > p.maxPage {
		size = p.maxPage
	}
	if p.ignorePage {
		page = 1
	}
	start, end := (page-1)*size, page*size
	if p.ignoreSize {
		start, end = 0, p.n
	}
	items := []any{}
	for i := start; i < end && i < p.n; i++ {
		items = append(items, map[string]any{"certificateNo": i + 1, "certificateName": fmt.Sprintf("c%d", i+1), "commonName": "example.com"})
	}
	resp := success(map[string]any{"sslCertificateList": items})
	switch {
	case p.noTotal:
	case p.stringTotal:
		resp["totalCount"] = strconv.Itoa(p.n)
	default:
		resp["totalCount"] = p.n
	}
	writeJSON(w, 200, resp)
}

func TestListCertificatesPaging(t *testing.T) {
	tests := []struct {
		name     string
		srv      pagingServer
		requests int64
	}{
		{"empty", pagingServer{n: 0}, 1},
		{"one", pagingServer{n: 1}, 1},
		{"exactly one page", pagingServer{n: 100}, 1},
		{"250", pagingServer{n: 250}, 3},
		{"1000", pagingServer{n: 1000}, 10},
		{"string total", pagingServer{n: 250, stringTotal: true}, 3},
		{"no total, stops on short page", pagingServer{n: 250, noTotal: true}, 3},
		{"no total, full last page", pagingServer{n: 200, noTotal: true}, 3},
		{"smaller pages than asked", pagingServer{n: 250, maxPage: 30}, 9},
		{"larger page than asked", pagingServer{n: 250, ignoreSize: true}, 1},
		{"server ignores page", pagingServer{n: 250, ignorePage: true}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.srv
			srv.requests = &counter{}
			c, _ := newTestClient(t, &srv)
			certs, err := c.ListCertificates(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			want := srv.n
			if srv.ignorePage {
				want = 100
			}
			if len(certs) != want || srv.requests.get() != tt.requests {
				t.Errorf("%d certificates in %d requests, want %d in %d", len(certs), srv.requests.get(), want, tt.requests)
			}
			seen := map[int64]bool{}
			for _, c := range certs {
				if seen[c.No] {
					t.Fatalf("duplicate %d", c.No)
				}
				seen[c.No] = true
			}
		})
	}
}

// ListCloudCertificates pages like ListCertificates (one pager) at its own path, and its
// items carry the request fields (renewalYn, failReason).
func TestListCloudCertificates(t *testing.T) {
	srv := pagingServer{n: 250, path: "/api/v2/certificate/getCertificates", requests: &counter{}}
	c, _ := newTestClient(t, &srv)
	certs, err := c.ListCloudCertificates(context.Background(), "")
	if err != nil || len(certs) != 250 || srv.requests.get() != 3 {
		t.Fatalf("%d certificates in %d requests: %v", len(certs), srv.requests.get(), err)
	}

	fs := newFakeService(t)
	fs.noCount = true
	ok := fs.addRequested("cb", string(CloudBasic), kstNow(), "example.com")
	failed := fs.addRequested("cb2", string(CloudBasic), kstNow(), "example.org")
	fs.mu.Lock()
	fs.certs[ok]["renewalYn"] = "Y"
	fs.certs[failed]["statusCode"], fs.certs[failed]["statusName"], fs.certs[failed]["failReason"] = "-1", "FAILED", "CAA forbids issuance"
	fs.mu.Unlock()
	c, _ = newTestClient(t, fs)
	certs, err = c.ListCloudCertificates(context.Background(), "cb")
	if err != nil || len(certs) != 1 || !certs[0].AutoRenewal || !certs[0].AutoRenewalKnown || certs[0].FailReason != "" {
		t.Fatalf("certs=%+v err=%v", certs, err)
	}
	// The fake sends no totalCount: a short first page proves nothing, so page 2 is asked.
	if q := fs.queriesOf(opListCloudCertificates); !reflect.DeepEqual(q, []string{"certificateName=cb&page=1&pageSize=100", "certificateName=cb&page=2&pageSize=100"}) {
		t.Errorf("queries = %v", q)
	}
	certs, err = c.ListCloudCertificates(context.Background(), "cb2")
	if err != nil || len(certs) != 1 || certs[0].FailReason != "CAA forbids issuance" || !certs[0].Terminal() || certs[0].AutoRenewal {
		t.Fatalf("certs=%+v err=%v", certs, err)
	}
}

func TestListCertificatesNameFilter(t *testing.T) {
	var query string
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		query = r.URL.RawQuery
		// A server that matches loosely: the client keeps the exact name only.
		writeJSON(w, 200, success(map[string]any{"totalCount": 2, "sslCertificateList": []any{
			map[string]any{"certificateNo": 1, "certificateName": "web"},
			map[string]any{"certificateNo": 2, "certificateName": "web-2"},
		}}))
	}))
	certs, err := c.ListCertificates(context.Background(), "web")
	if err != nil {
		t.Fatal(err)
	}
	// One page holds the whole count: one request, the filter sent to the server.
	if len(certs) != 1 || certs[0].No != 1 || query != "certificateName=web&page=1&pageSize=100" || n.get() != 1 {
		t.Errorf("certs=%v query=%s requests=%d", certs, query, n.get())
	}
}

func TestGetCertificateAndFind(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "01", []string{"9"})
	fs.addCert("web-2", "02", nil)
	c, _ := newTestClient(t, fs)
	ctx := context.Background()

	cert, err := c.GetCertificate(ctx, no)
	if err != nil || cert.Name != "web" || !cert.InUse() {
		t.Fatalf("cert=%+v err=%v", cert, err)
	}
	if _, err := c.GetCertificate(ctx, 1); !IsNotFound(err) { // fake answers 2200
		t.Errorf("missing: %v", err)
	}
	found, err := c.FindCertificateByName(ctx, "web-2")
	if err != nil || found == nil || found.SerialNumber != "2" {
		t.Errorf("found=%+v err=%v", found, err)
	}
	if found, err := c.FindCertificateByName(ctx, "nope"); err != nil || found != nil {
		t.Errorf("absent: %+v %v", found, err)
	}
	list, err := c.GetCertificateList(ctx, ListFilter{No: 1})
	if err != nil || list == nil || len(list) != 0 {
		t.Errorf("2200 → empty list: %v %v", list, err)
	}
}

// "0" with an empty list also means not found, and so does a server that ignored the filter.
func TestGetCertificateEmptySuccess(t *testing.T) {
	var query string
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		writeJSON(w, 200, success(map[string]any{"totalRows": 1, "sslCertificateList": []any{map[string]any{"certificateNo": 8}}}))
	}))
	_, err := c.ReadCertificate(context.Background(), CertificateRef{No: 7, Kind: KindExternal})
	var apiErr *APIError
	if !IsNotFound(err) || !errors.As(err, &apiErr) || apiErr.Operation != "getCertificateList" {
		t.Errorf("err = %v", err)
	}
	if query != "certificateNo=7" {
		t.Errorf("query = %s", query)
	}
	if _, err := c.GetCertificateList(context.Background(), ListFilter{Name: "n", No: 1, InstanceNo: 2}); err != nil {
		t.Fatal(err)
	}
	if query != "certificateName=n&certificateNo=1&instanceNo=2" {
		t.Errorf("query = %s", query)
	}
}

func TestGetCertificateChain(t *testing.T) {
	var path string
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		writeJSON(w, 200, success(map[string]any{"totalRows": 0, "subjectCommonName": 42,
			"certificate":      "-----BEGIN CERTIFICATE-----\r\nMIIG\r\n-----END CERTIFICATE-----\r\n",
			"subCaCertificate": "SUB", "rootCaCertificate": "ROOT"}))
	}))
	chain, err := c.GetCertificateChain(context.Background(), 55)
	if err != nil {
		t.Fatal(err)
	}
	want := CertificateChain{SubjectCommonName: "42", Certificate: "-----BEGIN CERTIFICATE-----\r\nMIIG\r\n-----END CERTIFICATE-----\r\n", SubCACertificate: "SUB", RootCACertificate: "ROOT"}
	if *chain != want || path != "/api/v2/certificate/exportCertificate/55/chain" {
		t.Errorf("chain=%+v path=%s", chain, path)
	}
}

func TestDeleteCertificate(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "01", nil)
	no2 := fs.addCert("web2", "02", nil)
	c, _ := newTestClient(t, fs)
	ctx := context.Background()
	if err := c.DeleteCertificate(ctx, no, "web"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCertificate(ctx, no, "web"); !IsNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
	if err := c.DeleteCertificateV2(ctx, no2, "web2"); err != nil || fs.numCerts() != 0 {
		t.Errorf("v2 delete: %v", err)
	}
	if fs.count(opDeleteCertificateV2) != 1 {
		t.Errorf("calls = %v", fs.snapshot())
	}
}

// A delete whose answer was lost is retried; "gone" on the retry is success.
func TestDeleteRetriedGoneIsSuccess(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "01", nil)
	fs.addFault(opDeleteCertificate, fault{status: 503, afterApply: true})
	c, _ := newTestClient(t, fs)
	if err := c.DeleteCertificate(context.Background(), no, "web"); err != nil {
		t.Fatal(err)
	}
	if fs.count(opDeleteCertificate) != 2 {
		t.Errorf("calls = %v", fs.snapshot())
	}
	fs.addFault(opDeleteCertificate, fault{drop: true})
	no = fs.addCert("web", "01", nil)
	if err := c.DeleteCertificate(context.Background(), no, "web"); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteCertificateWhenUnused(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "01", []string{"111", "222"})
	c, _ := newTestClient(t, fs)

	// Still in use when the deadline comes: an InUseError naming the instances.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	err := c.DeleteCertificateWhenUnused(ctx, no, "web")
	var iu *InUseError
	if !errors.As(err, &iu) || !reflect.DeepEqual(iu.InstanceNos, []string{"111", "222"}) || iu.CertificateNo != no || !IsInUse(err) {
		t.Fatalf("err = %v", err)
	}
	if !hasCode(iu.Err, codeInUse) {
		t.Errorf("wrapped = %v", iu.Err)
	}
	if err.Error() != fmt.Sprintf("certificate %d is still in use by instance(s) 111, 222: detach it from them (or replace it there) and retry", no) {
		t.Errorf("Error() = %s", err)
	}
	// Several attempts, one per poll interval (5ms over 60ms), never a busy loop.
	if n := fs.count(opDeleteCertificate); n < 2 || n > 60/5+2 {
		t.Errorf("deletes = %d, want several, at most one per poll interval", n)
	}

	// Detached while waiting: the delete goes through.
	go func() {
		time.Sleep(30 * time.Millisecond)
		fs.setUsed(no, []string{})
	}()
	if err := c.DeleteCertificateWhenUnused(context.Background(), no, "web"); err != nil {
		t.Fatal(err)
	}
	if fs.numCerts() != 0 {
		t.Error("not deleted")
	}
	// Already gone.
	if err := c.DeleteCertificateWhenUnused(context.Background(), no, "web"); err != nil {
		t.Errorf("gone: %v", err)
	}
}

// 1004 for a name/number mismatch (the certificate exists under another name) is
// returned at once, without waiting.
func TestDeleteCertificateWhenUnusedMismatch(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "01", nil)
	c, _ := newTestClient(t, fs)
	err := c.DeleteCertificateWhenUnused(context.Background(), no, "other")
	var iu *InUseError
	if !hasCode(err, codeInUse) || errors.As(err, &iu) {
		t.Fatalf("err = %v", err)
	}
	if fs.count(opDeleteCertificate) != 1 || fs.count(opGetCertificateList) != 1 || fs.numCerts() != 1 {
		t.Errorf("calls = %v", fs.snapshot())
	}
}

// A list without usedInstanceNoList: a 1004 on the certificate of our name is still "in
// use" and waited out; the final error says the instances are unknown.
func TestDeleteCertificateWhenUnusedInstancesUnknown(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "01", []string{"111"})
	fs.mu.Lock()
	fs.omitUsed = true
	fs.mu.Unlock()
	c, _ := newTestClient(t, fs)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	err := c.DeleteCertificateWhenUnused(ctx, no, "web")
	var iu *InUseError
	if !errors.As(err, &iu) || len(iu.InstanceNos) != 0 || !strings.Contains(err.Error(), "did not say by which instances") {
		t.Fatalf("err = %v", err)
	}
	if n := fs.count(opDeleteCertificate); n < 2 || n > 60/5+2 {
		t.Errorf("deletes = %d, want several, at most one per poll interval", n)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		fs.setUsed(no, []string{})
	}()
	if err := c.DeleteCertificateWhenUnused(context.Background(), no, "web"); err != nil || fs.numCerts() != 0 {
		t.Fatalf("err = %v, certs = %d", err, fs.numCerts())
	}
}

func TestWaitFor(t *testing.T) {
	c, _ := newTestClient(t, http.NotFoundHandler())
	n := 0
	err := c.WaitFor(context.Background(), "three polls", func(context.Context) (bool, error) {
		n++
		return n == 3, nil
	})
	if err != nil || n != 3 {
		t.Errorf("err=%v n=%d", err, n)
	}

	boom := errors.New("terminal state FAILED")
	if err := c.WaitFor(context.Background(), "x", func(context.Context) (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("check error: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	// A waiter that ignored the deadline would never return (go test's timeout fails it).
	err = c.WaitFor(ctx, "certificate 5 to be NORMAL", func(context.Context) (bool, error) { return false, nil })
	if !errors.Is(err, context.DeadlineExceeded) || err.Error() != "gave up waiting for certificate 5 to be NORMAL: context deadline exceeded" {
		t.Errorf("deadline: %v", err)
	}

	// A check cut short by the deadline: its error is the one reported.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	err = c.WaitFor(ctx2, "y", func(ctx context.Context) (bool, error) {
		<-ctx.Done()
		return false, fmt.Errorf("last check: %w", ctx.Err())
	})
	if err == nil || err.Error() != "gave up waiting for y: last check: context deadline exceeded" {
		t.Errorf("interrupted check: %v", err)
	}
}

// A server that serves smaller pages than asked and gives no count: every page is read,
// and a short page (against the server's own page size) ends the walk.
func TestListCertificatesSmallPagesWithoutCount(t *testing.T) {
	for _, tc := range []struct {
		total, served, wantRequests int
	}{
		{45, 20, 3}, // 20, 20, 5
		{40, 20, 3}, // 20, 20, then an empty page
		{15, 20, 2}, // a short first page proves nothing: page 2 is empty
		{0, 20, 1},
	} {
		var n counter
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.inc()
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			items := []any{}
			for no := (page-1)*tc.served + 1; no <= min(page*tc.served, tc.total); no++ {
				items = append(items, map[string]any{"certificateNo": no, "certificateName": fmt.Sprintf("c%d", no)})
			}
			writeJSON(w, 200, success(map[string]any{"sslCertificateList": items}))
		}))
		certs, err := c.ListCertificates(context.Background(), "")
		if err != nil || len(certs) != tc.total || int(n.get()) != tc.wantRequests {
			t.Errorf("total %d in pages of %d: got %d certificates in %d requests (err %v), want %d in %d",
				tc.total, tc.served, len(certs), n.get(), err, tc.total, tc.wantRequests)
		}
	}
}
