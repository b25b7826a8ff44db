package mockserver

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The gateway's timestamp window is exactly 5 minutes either way.
func TestTimestampWindowBoundary(t *testing.T) {
	fixed := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	srv, err := New(Options{Now: func() time.Time { return fixed }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	for _, c := range []struct {
		offset time.Duration
		want   int
	}{
		{-timestampWindow, http.StatusOK},
		{timestampWindow, http.StatusOK},
		{-timestampWindow - time.Millisecond, http.StatusUnauthorized},
		{timestampWindow + time.Millisecond, http.StatusUnauthorized},
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/certificates", nil)
		signHeaders(req, DemoAccessKey, DemoSecretKey, fixed.Add(c.offset))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("timestamp %v from the gateway clock: HTTP %d, want %d", c.offset, resp.StatusCode, c.want)
		}
	}
}

// Certificate numbers in paths must be positive: 0 is a validation error, not "not found".
func TestNonPositiveCertificateNumbers(t *testing.T) {
	e := newEnv(t, Options{})
	for _, uri := range []struct{ method, path string }{
		{http.MethodDelete, "/api/v1/certificate/0?certificateName=some-name"},
		{http.MethodDelete, "/api/v1/certificate/-3?certificateName=some-name"},
		{http.MethodGet, "/api/v2/certificate/exportCertificate/0/chain"},
	} {
		res := e.signed(uri.method, uri.path, nil)
		if res.status != http.StatusBadRequest || res.body["returnCode"] != "2000" {
			t.Errorf("%s %s: HTTP %d %v, want 400 2000", uri.method, uri.path, res.status, res.body)
		}
	}
}
