package client

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testAccessKey = "AK_TEST"
	testSecretKey = "SK_TEST_SECRET_do_not_log"
)

// newTestClient starts handler on a random port and returns a client pointed at it, with
// millisecond waits so retry tests stay fast.
func newTestClient(t *testing.T, handler http.Handler, mod ...func(*Config)) (*Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	cfg := Config{
		AccessKey:    testAccessKey,
		SecretKey:    testSecretKey,
		Endpoint:     srv.URL,
		Version:      "test",
		MaxRetries:   3,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		PollInterval: 5 * time.Millisecond,
		// Waiters grow their interval up to this: keep it short in tests.
		PollIntervalMax: 20 * time.Millisecond,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, srv
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func success(extra map[string]any) map[string]any {
	m := map[string]any{"returnCode": "0", "returnMessage": "Success"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// emptyList is a successful list answer with no certificates.
func emptyList() map[string]any {
	return success(map[string]any{"totalRows": 0, "sslCertificateList": []any{}})
}

// counter counts requests per "METHOD path".
type counter struct{ n atomic.Int64 }

func (c *counter) inc() int64 { return c.n.Add(1) }
func (c *counter) get() int64 { return c.n.Load() }

// verifySignature checks the x-ncp headers the way the gateway does (API doc §2.4).
func verifySignature(r *http.Request, secret string) bool {
	uri := r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		uri += "?" + r.URL.RawQuery
	}
	want := signature(secret, r.Method, uri, r.Header.Get(headerTimestamp), r.Header.Get(headerAccessKey))
	return r.Header.Get(headerSignature) == want
}
