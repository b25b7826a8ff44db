package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// statusServer answers v1 getCertificateList for certificate 7 with answer(n), n counting
// the requests from 1.
func statusServer(t *testing.T, answer func(n int64, w http.ResponseWriter), mod ...func(*Config)) (*Client, *counter) {
	t.Helper()
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/certificates" || r.URL.Query().Get("certificateNo") != "7" {
			t.Errorf("unexpected request %s", r.URL)
		}
		answer(n.inc(), w)
	}), mod...)
	return c, &n
}

func certAnswer(w http.ResponseWriter, fields map[string]any) {
	item := map[string]any{"certificateNo": 7, "certificateName": "web"}
	for k, v := range fields {
		item[k] = v
	}
	writeJSON(w, 200, success(map[string]any{"totalRows": 1, "sslCertificateList": []any{item}}))
}

func TestWaitForCertificateReachesTarget(t *testing.T) {
	c, n := statusServer(t, func(n int64, w http.ResponseWriter) {
		if n < 4 {
			certAnswer(w, map[string]any{"statusCode": "0", "statusName": "ONGOING"})
			return
		}
		certAnswer(w, map[string]any{"statusCode": 3}) // Global Edge, numeric code, no label
	})
	cert, err := c.WaitForIssued(context.Background(), 7)
	if err != nil || cert.Status() != StatusNormalGlobalEdgeDedicated || n.get() != 4 {
		t.Fatalf("cert=%+v err=%v polls=%d", cert, err, n.get())
	}
	// done decides: here the caller waits for a plain NORMAL only, then gives up with its own error.
	boom := errors.New("not the status wanted")
	_, err = c.WaitForCertificate(context.Background(), 7, func(c *Certificate) (bool, error) {
		if c.Issued() {
			return false, boom
		}
		return false, nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("done error: %v", err)
	}
}

// The interval starts at PollInterval and grows ×1.5 up to PollIntervalMax.
func TestPollerGrowsToCap(t *testing.T) {
	c, _ := newTestClient(t, http.NotFoundHandler(), func(cfg *Config) {
		cfg.PollInterval, cfg.PollIntervalMax = 10*time.Millisecond, 40*time.Millisecond
	})
	p := c.newPoller(c.cfg.PollIntervalMax)
	var got []time.Duration
	for range 7 {
		got = append(got, p.advance()) // what wait sleeps
	}
	want := []time.Duration{10000, 15000, 22500, 33750, 40000, 40000, 40000}
	for i := range want {
		if got[i] != want[i]*time.Microsecond {
			t.Fatalf("intervals = %v", got)
		}
	}
	// A constant poller (in-use delete, WaitFor) stays at PollInterval.
	p = c.newPoller(c.cfg.PollInterval)
	_ = p.wait(context.Background())
	if p.interval() != 10*time.Millisecond {
		t.Errorf("constant poller grew to %v", p.interval())
	}
	// PollIntervalMax defaults to a minute and never sits below PollInterval.
	for _, tc := range []struct{ interval, maxInterval, want time.Duration }{
		{0, 0, DefaultPollIntervalMax}, {2 * time.Minute, 0, 2 * time.Minute}, {time.Second, 5 * time.Second, 5 * time.Second},
	} {
		cl, err := New(Config{AccessKey: "a", SecretKey: "s", PollInterval: tc.interval, PollIntervalMax: tc.maxInterval})
		if err != nil || cl.cfg.PollIntervalMax != tc.want {
			t.Errorf("%+v: %v %v", tc, cl.cfg.PollIntervalMax, err)
		}
	}
}

// The waiter backs off: the interval before each read grows ×1.5 from PollInterval and stops
// at PollIntervalMax. Read from the waiter's own log of each interval, and ended by the
// server after a fixed number of reads: no wall-clock bound.
func TestWaitForCertificateBackoffBounded(t *testing.T) {
	const reads = 8
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	ctx = tflogtest.RootLogger(ctx, &out)
	c, n := statusServer(t, func(n int64, w http.ResponseWriter) {
		if n == reads {
			cancel()
		}
		certAnswer(w, map[string]any{"statusCode": "0", "statusName": "ONGOING"})
	}, func(cfg *Config) { cfg.PollInterval, cfg.PollIntervalMax = 2*time.Millisecond, 10*time.Millisecond })
	cert, err := c.WaitForIssued(ctx, 7)
	if !errors.Is(err, context.Canceled) || cert == nil || cert.Status() != StatusOngoing ||
		!strings.Contains(err.Error(), "gave up waiting for certificate 7 (last status ONGOING)") {
		t.Fatalf("cert=%+v err=%v", cert, err)
	}
	if got := n.get(); got != reads {
		t.Errorf("%d reads, want %d", got, reads)
	}
	var intervals []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) == nil && entry["@message"] == "Waiting for the certificate" {
			intervals = append(intervals, fmt.Sprint(entry["poll_interval"]))
		}
	}
	if got, want := strings.Join(intervals, " "), "2ms 3ms 4.5ms 6.75ms 10ms 10ms 10ms"; got != want {
		t.Errorf("intervals before each read: %s, want %s", got, want)
	}
}

func TestWaitForCertificateTerminal(t *testing.T) {
	c, n := statusServer(t, func(n int64, w http.ResponseWriter) {
		if n == 1 {
			certAnswer(w, map[string]any{"statusCode": "0", "statusName": "ONGOING"})
			return
		}
		certAnswer(w, map[string]any{"statusCode": "-1", "statusName": "FAILED", "failReason": "CAA record forbids issuance"})
	})
	cert, err := c.WaitForIssued(context.Background(), 7)
	var term *TerminalStatusError
	if !errors.As(err, &term) || term.No != 7 || term.Status != StatusFailed || term.Code != "-1" || term.Reason != "CAA record forbids issuance" ||
		!IsTerminalStatusError(err) || cert == nil || n.get() != 2 {
		t.Fatalf("cert=%+v err=%#v polls=%d", cert, err, n.get())
	}
	if err.Error() != "certificate 7 reached status FAILED: CAA record forbids issuance" {
		t.Errorf("Error() = %s", err)
	}
	// A numeric code without a label, no reason.
	c, _ = statusServer(t, func(_ int64, w http.ResponseWriter) { certAnswer(w, map[string]any{"statusCode": -4}) })
	_, err = c.WaitForIssued(context.Background(), 7)
	if !errors.As(err, &term) || term.Status != StatusValidationExpire || err.Error() != "certificate 7 reached status VALIDATION_EXPIRE" {
		t.Errorf("err = %v", err)
	}
}

// Gone is terminal: a certificate deleted meanwhile never turns up.
func TestWaitForCertificateNotFound(t *testing.T) {
	c, n := statusServer(t, func(_ int64, w http.ResponseWriter) {
		writeJSON(w, 200, map[string]any{"returnCode": "2200", "returnMessage": "No certificate was found."})
	})
	cert, err := c.WaitForCertificateRef(context.Background(), CertificateRef{No: 7, Kind: KindExternal}, nil)
	if !IsNotFound(err) || cert != nil || n.get() != 1 {
		t.Errorf("cert=%v err=%v polls=%d", cert, err, n.get())
	}
}

// Transient read errors (after the transport's own retries) are waited out; others are not.
func TestWaitForCertificateTransientErrors(t *testing.T) {
	noRetries := func(cfg *Config) { cfg.MaxRetries = 0 }
	c, n := statusServer(t, func(n int64, w http.ResponseWriter) {
		switch n {
		case 1:
			writeJSON(w, 503, map[string]any{"error": map[string]any{"errorCode": "500", "message": "Endpoint Error"}})
		case 2:
			writeJSON(w, 429, map[string]any{"error": map[string]any{"errorCode": "410", "message": "Throttle Limited"}})
		case 3:
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
		default:
			certAnswer(w, map[string]any{"statusCode": "1", "statusName": "NORMAL"})
		}
	}, noRetries)
	cert, err := c.WaitForIssued(context.Background(), 7)
	if err != nil || !cert.Issued() || n.get() != 4 {
		t.Fatalf("cert=%+v err=%v polls=%d", cert, err, n.get())
	}

	c, n = statusServer(t, func(_ int64, w http.ResponseWriter) {
		writeJSON(w, 401, map[string]any{"error": map[string]any{"errorCode": "200", "message": "Authentication Failed"}})
	}, noRetries)
	if _, err := c.WaitForIssued(context.Background(), 7); !IsAuth(err) || n.get() != 1 {
		t.Errorf("auth: err=%v polls=%d", err, n.get())
	}
}

// When the deadline comes during transient errors, the last one is returned with it.
func TestWaitForCertificateDeadlineReturnsLastError(t *testing.T) {
	c, n := statusServer(t, func(_ int64, w http.ResponseWriter) {
		writeJSON(w, 503, map[string]any{"error": map[string]any{"errorCode": "500", "message": "Endpoint Error"}})
	}, func(cfg *Config) { cfg.MaxRetries = 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	cert, err := c.WaitForIssued(ctx, 7)
	var apiErr *APIError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &apiErr) || apiErr.HTTPStatus != 503 || cert != nil ||
		!strings.Contains(err.Error(), "gave up waiting for certificate 7: context deadline exceeded (last error: getCertificateList: HTTP 503") {
		t.Fatalf("cert=%v err=%v", cert, err)
	}
	if n.get() < 2 {
		t.Errorf("%d polls, want at least 2 (the last error is one of several)", n.get())
	}
}
