package mockserver

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestConcurrentCreatesAndLists(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			res, err := e.trySend(http.MethodPost, "/api/v1/certificate/withExternal",
				v1Body(fmt.Sprintf("conc-%d", i), p.ecLeaf, p.chainPEM), DemoAccessKey, DemoSecretKey, e.now())
			if err == nil && res.str("returnCode") != "0" {
				err = fmt.Errorf("create %d: %s", i, res.raw)
			}
			errs <- err
		}()
		go func() {
			defer wg.Done()
			uri := "/api/v1/certificates"
			if i%2 == 0 {
				uri = "/api/v2/certificate/certificates?page=1&pageSize=10"
			}
			res, err := e.trySend(http.MethodGet, uri, nil, DemoAccessKey, DemoSecretKey, e.now())
			if err == nil && res.str("returnCode") != "0" {
				err = fmt.Errorf("list: %s", res.raw)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	st := e.srv.Stats()
	if st.Certificates != n || st.Requests[OpCreateExternalCertificate] != n {
		t.Fatalf("stats: %+v", st)
	}
	// Numbers are unique and contiguous.
	res := e.signed(http.MethodGet, "/api/v2/certificate/certificates", nil)
	for i, it := range res.list("sslCertificateList") {
		if fmt.Sprint(it["certificateNo"]) != fmt.Sprint(firstCertificateNo+i) {
			t.Fatalf("item %d has number %v", i, it["certificateNo"])
		}
	}
}

// fill stores n certificates directly (the upload path is covered elsewhere).
func fill(t testing.TB, s *Server, n int) {
	t.Helper()
	p := getPKI(t)
	m, meta, err := parseUpload(p.ecLeaf.keyPEM, p.ecLeaf.certPEM, p.chainPEM)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := range n {
		if _, err := s.store.add(certificate{Name: fmt.Sprintf("bulk-%05d", i), Type: typeExternal, Material: m, Meta: meta,
			RegisteredAt: now, UpdatedAt: now, InstanceNos: []string{}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestList10000(t *testing.T) {
	e := newEnv(t, Options{})
	const n = 10000
	fill(t, e.srv, n)

	// The full v1 list is served in-process: decoding 15 MB of JSON in the test would
	// measure the test, not the mock.
	start := time.Now()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/certificates", nil)
	signHeaders(req, DemoAccessKey, DemoSecretKey, e.now())
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	if rec.Code != http.StatusOK || !bytes.Contains(body, []byte(`"totalRows":10000,`)) ||
		bytes.Count(body, []byte(`"certificateNo":`)) != n {
		t.Fatalf("v1 list: HTTP %d, %d bytes", rec.Code, len(body))
	}
	v1Took := time.Since(start)

	start = time.Now()
	seen := 0
	for page := 1; ; page++ {
		var v2 struct {
			TotalCount         int
			SslCertificateList []struct{ CertificateNo int64 }
		}
		e.raw(http.MethodGet, fmt.Sprintf("/api/v2/certificate/certificates?page=%d&pageSize=100", page), &v2)
		if v2.TotalCount != n {
			t.Fatalf("totalCount = %d", v2.TotalCount)
		}
		seen += len(v2.SslCertificateList)
		if len(v2.SslCertificateList) < 100 {
			break
		}
	}
	if seen != n {
		t.Fatalf("paged %d certificates", seen)
	}
	v2Took := time.Since(start)

	start = time.Now()
	for i := range 100 {
		res := e.signed(http.MethodGet, fmt.Sprintf("/api/v1/certificates?certificateNo=%d", firstCertificateNo+i*100), nil)
		if res.num("totalRows") != 1 {
			t.Fatalf("lookup: %s", res.raw)
		}
	}
	lookupTook := time.Since(start)
	// Timings are logged, never asserted (a loaded machine is slow, not wrong): speed is
	// measured by `make bench` and BenchmarkListCertificates10000.
	t.Logf("10,000 certificates: v1 full list %v, v2 100 pages %v, 100 lookups by number %v", v1Took, v2Took, lookupTook)
	if got := e.srv.Requests(OpListCertificates); got != 101 {
		t.Errorf("ListCertificates requests = %d, want 101 (100 full pages and an empty one)", got)
	}
}

func BenchmarkListCertificates10000(b *testing.B) {
	e := newEnv(b, Options{})
	fill(b, e.srv, 10000)
	b.Run("v2 page of 100", func(b *testing.B) {
		for range b.N {
			var v2 struct {
				SslCertificateList []struct{ CertificateNo int64 }
			}
			e.raw(http.MethodGet, "/api/v2/certificate/certificates?page=50&pageSize=100", &v2)
			if len(v2.SslCertificateList) != 100 {
				b.Fatal("short page")
			}
		}
	})
	b.Run("v1 all 10000", func(b *testing.B) {
		for range b.N {
			var v1 struct{ TotalRows int }
			e.raw(http.MethodGet, "/api/v1/certificates", &v1)
			if v1.TotalRows != 10000 {
				b.Fatal("short list")
			}
		}
	})
}
