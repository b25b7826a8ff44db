package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestGetRetriedOn503ThenSuccess(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.inc() == 1 {
			writeJSON(w, 503, map[string]any{"error": map[string]any{"errorCode": "500", "message": "Endpoint Error"}})
			return
		}
		writeJSON(w, 200, success(map[string]any{"sslCertificateList": []any{map[string]any{"certificateNo": 1}}}))
	}))
	certs, err := c.GetCertificateList(context.Background(), ListFilter{})
	if err != nil || len(certs) != 1 {
		t.Fatalf("certs=%v err=%v", certs, err)
	}
	if n.get() != 2 {
		t.Errorf("%d requests, want 2", n.get())
	}
}

func TestGetRetriedOnStatusesUntilExhausted(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		var n counter
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.inc()
			w.WriteHeader(status)
		}))
		_, err := c.GetCertificateList(context.Background(), ListFilter{})
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatus != status || IsUncertain(err) {
			t.Errorf("%d: err = %v", status, err)
		}
		if n.get() != 4 { // MaxRetries 3
			t.Errorf("%d: %d requests, want 4", status, n.get())
		}
	}
}

func TestNotRetried(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"400 service code", 400, `{"returnCode":"2000","returnMessage":"bad"}`},
		{"200 service code", 200, `{"returnCode":"1002","returnMessage":"Unable to load certificate."}`},
		{"500", 500, `{"error":{"errorCode":"900","message":"Unexpected Error"}}`},
		{"401", 401, `{"error":{"errorCode":"200","message":"Authentication Failed"}}`},
		{"403", 403, ``},
		{"404", 404, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n counter
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.inc()
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			if _, err := c.getListRaw(context.Background()); err == nil {
				t.Fatal("no error")
			}
			if n.get() != 1 {
				t.Errorf("%d requests, want 1", n.get())
			}
		})
	}
}

func TestAuthFailureOneRequestClearError(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		writeJSON(w, 401, map[string]any{"error": map[string]any{"errorCode": "200", "message": "Authentication Failed"}})
	}), func(cfg *Config) { cfg.AccessKey = "MY-ACCESS-KEY-ID" })
	_, err := c.CreateExternalCertificate(context.Background(), ExternalCertificateInput{Name: "x", PrivateKey: "k", Certificate: "c"})
	if !IsAuth(err) || IsUncertain(err) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "MY-ACCESS-KEY-ID") || strings.Contains(msg, testSecretKey) || !strings.Contains(msg, "clock") {
		t.Errorf("message: %s", msg)
	}
	if n.get() != 1 {
		t.Errorf("%d requests, want 1", n.get())
	}
}

func TestMaxRetriesZeroOneRequest(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		w.WriteHeader(503)
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	if _, err := c.GetCertificateList(context.Background(), ListFilter{}); err == nil {
		t.Fatal("no error")
	}
	if n.get() != 1 {
		t.Errorf("%d requests, want 1", n.get())
	}
}

// Retry-After is honoured in full, above RetryWaitMax (5ms in tests).
func TestRetryAfterHonoured(t *testing.T) {
	var n counter
	var first, second time.Time
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.inc() == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, map[string]any{"error": map[string]any{"errorCode": "420", "message": "Rate Limited"}})
			return
		}
		second = time.Now()
		writeJSON(w, 200, emptyList())
	}))
	if _, err := c.GetCertificateList(context.Background(), ListFilter{}); err != nil {
		t.Fatal(err)
	}
	if n.get() != 2 {
		t.Fatalf("%d requests, want 2", n.get())
	}
	if d := second.Sub(first); d < 900*time.Millisecond {
		t.Errorf("retried after %v, want about 1s (Retry-After), not RetryWaitMax", d)
	}
}

// A Retry-After later than the operation's deadline is not waited for in vain: the
// throttling error comes at once and says why.
func TestRetryAfterBeyondDeadline(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		w.Header().Set("Retry-After", "45")
		writeJSON(w, 429, map[string]any{"error": map[string]any{"errorCode": "410", "message": "Throttle Limited"}})
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.GetCertificateList(ctx, ListFilter{})
	if !IsThrottled(err) {
		t.Fatalf("err = %v, want throttled", err)
	}
	if ctx.Err() != nil {
		t.Error("waited until the deadline")
	}
	if e, _ := asAPIError(err); e.RetryAfter != 45*time.Second || !strings.Contains(err.Error(), "retry after 45s") {
		t.Errorf("RetryAfter = %v, error %q", e.RetryAfter, err)
	}
	if n.get() != 1 {
		t.Errorf("%d requests, want 1", n.get())
	}
}

func TestBackoffRetryAfter(t *testing.T) {
	resp := func(status int, v string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {v}}}
	}
	tests := []struct {
		resp *http.Response
		want time.Duration
	}{
		{resp(429, "45"), 45 * time.Second}, // above RetryWaitMax: honoured
		{resp(503, "2"), 2 * time.Second},
		{resp(429, "999999"), maxRetryAfter},
	}
	for _, tt := range tests {
		if got := backoff(time.Second, 30*time.Second, 0, tt.resp); got != tt.want {
			t.Errorf("backoff(Retry-After %s) = %v, want %v", tt.resp.Header.Get("Retry-After"), got, tt.want)
		}
	}
	// Not on other statuses: the exponential curve, capped by max.
	if got := backoff(time.Second, 30*time.Second, 0, resp(500, "45")); got > 30*time.Second || got < time.Second {
		t.Errorf("500 with Retry-After: %v", got)
	}
}

func TestBackoff(t *testing.T) {
	minW, maxW := 100*time.Millisecond, time.Second
	for attempt := 0; attempt < 10; attempt++ {
		for i := 0; i < 50; i++ {
			d := backoff(minW, maxW, attempt, nil)
			if d < minW || d > maxW {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, minW, maxW)
			}
		}
	}
	resp := &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"0"}}}
	if d := backoff(minW, maxW, 3, resp); d != 0 {
		t.Errorf("Retry-After 0 on 503: %v", d)
	}
	resp.Header.Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	if d := backoff(minW, maxW, 0, resp); d < 59*time.Minute || d > time.Hour {
		t.Errorf("HTTP-date Retry-After: %v, want about an hour", d)
	}
	resp.Header.Set("Retry-After", "soon")
	if d := backoff(minW, maxW, 0, resp); d < minW || d > minW*3/2 {
		t.Errorf("bad Retry-After falls back to backoff: %v", d)
	}
}

// A GET whose connection drops is retried; so is a truncated body.
func TestGetRetriedOnDroppedConnection(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.inc() {
		case 1:
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
		case 2:
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"returnCode":"0"`))
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
		default:
			writeJSON(w, 200, emptyList())
		}
	}))
	if _, err := c.GetCertificateList(context.Background(), ListFilter{}); err != nil {
		t.Fatal(err)
	}
	if n.get() != 3 {
		t.Errorf("%d requests, want 3", n.get())
	}
}

// dialFailingTransport makes the first `fail` dials hit a closed port (a real "connection
// refused"), then dials the test server.
func dialFailingTransport(t *testing.T, fail int64) (*http.Transport, *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	_ = l.Close()
	var dials atomic.Int64
	d := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) <= fail {
			addr = closed
		}
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return tr, &dials
}

func TestPostRetriedOnDialError(t *testing.T) {
	fs := newFakeService(t)
	tr, dials := dialFailingTransport(t, 2)
	c, _ := newTestClient(t, fs, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: tr} })
	cert, err := c.CreateExternalCertificate(context.Background(), ExternalCertificateInput{Name: "dial", PrivateKey: "k", Certificate: "0A:01", SerialNumber: "a01"})
	if err != nil {
		t.Fatal(err)
	}
	if cert.No == 0 || fs.count(opCreateExternalCertificate) != 1 || fs.count(opGetCertificateList) != 0 {
		t.Errorf("cert=%+v creates=%d lists=%d", cert, fs.count(opCreateExternalCertificate), fs.count(opGetCertificateList))
	}
	if dials.Load() != 3 {
		t.Errorf("%d dials, want 3", dials.Load())
	}
}

// A POST that never connects is a definite failure, not an uncertain one.
func TestPostDialErrorsExhausted(t *testing.T) {
	fs := newFakeService(t)
	tr, dials := dialFailingTransport(t, 100)
	c, _ := newTestClient(t, fs, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: tr} })
	_, err := c.CreateExternalCertificate(context.Background(), ExternalCertificateInput{Name: "dial", PrivateKey: "k", Certificate: "c"})
	var op *net.OpError
	if err == nil || IsUncertain(err) || !errors.As(err, &op) {
		t.Fatalf("err = %v", err)
	}
	if dials.Load() != 4 {
		t.Errorf("%d dials, want 4", dials.Load())
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		w.WriteHeader(503)
	}), func(cfg *Config) {
		cfg.MaxRetries = 100
		// A client that slept through the deadline would hang here for an hour (until
		// go test's timeout): no wall-clock bound needed.
		cfg.RetryWaitMin, cfg.RetryWaitMax = time.Hour, 2*time.Hour
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.GetCertificateList(ctx, ListFilter{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if n.get() != 1 {
		t.Errorf("%d requests, want 1 (no retry after the deadline)", n.get())
	}
}

func TestContextCancelDuringRequest(t *testing.T) {
	release := make(chan struct{})
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.CreateExternalCertificate(ctx, ExternalCertificateInput{Name: "slow", PrivateKey: "k", Certificate: "c"})
	// The POST was sent: its outcome is unknown, and ctx's error is still visible.
	if !errors.Is(err, context.DeadlineExceeded) || !IsUncertain(err) {
		t.Fatalf("err = %v", err)
	}
}

// Sites without API 2.0 (gov, fin) never send an /api/v2 request.
func TestV2NotSentOnSitesWithoutIt(t *testing.T) {
	for _, site := range []string{"gov", "fin"} {
		var n counter
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.inc()
			writeJSON(w, 200, emptyList())
		}), func(cfg *Config) { cfg.Site = site })
		if c.SupportsV2() {
			t.Errorf("%s: SupportsV2", site)
		}
		_, err := c.GetCertificateChain(context.Background(), 1)
		if !errors.Is(err, ErrV2Unavailable) || n.get() != 0 {
			t.Errorf("%s: err = %v, %d requests", site, err, n.get())
		}
		if _, err := c.GetCertificateList(context.Background(), ListFilter{}); err != nil || n.get() != 1 {
			t.Errorf("%s: v1: err = %v, %d requests", site, err, n.get())
		}
	}
}

// A 2xx answer to a POST that is not the service's (a misrouted endpoint) may hide a
// registration that happened: uncertain, never success.
func TestPostAnsweredByAnotherServer(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"status": "ok"})
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	_, err := c.RegisterExternalCertificate(context.Background(), ExternalCertificateInput{No: 5, Name: "web", SerialNumber: "01"})
	if !IsUncertain(err) || IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
}

// Only a 403 on an API 2.0 call is the sub-account answer.
func TestForbiddenByVersion(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	_, v1 := c.GetCertificateList(context.Background(), ListFilter{})
	_, v2 := c.GetCertificateChain(context.Background(), 1)
	if !IsForbidden(v1) || IsV2Forbidden(v1) || strings.Contains(v1.Error(), "main-account") {
		t.Errorf("v1: %v", v1)
	}
	if !IsV2Forbidden(v2) || !strings.Contains(v2.Error(), "main-account") {
		t.Errorf("v2: %v", v2)
	}
}
