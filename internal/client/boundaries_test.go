package client

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// A POST answered with any 5xx may have been applied: uncertain, whatever the exact status.
func TestPostServerErrorsAreUncertain(t *testing.T) {
	for _, status := range []int{500, 501, 502, 503, 504} {
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				writeJSON(w, 503, nil)
				return
			}
			writeJSON(w, status, map[string]any{"error": map[string]any{"errorCode": "900", "message": "Unexpected Error"}})
		}), func(cfg *Config) { cfg.MaxRetries = 0 })
		_, err := c.CreateExternalCertificate(context.Background(), input("web", "01"))
		if !IsUncertain(err) {
			t.Errorf("HTTP %d: err = %v, want uncertain", status, err)
		}
	}
	// A 4xx is a definite refusal.
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 413, map[string]any{"error": map[string]any{"errorCode": "430", "message": "Request Entity Too Large"}})
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	if _, err := c.RegisterExternalCertificate(context.Background(), ExternalCertificateInput{No: 5, Name: "web"}); err == nil || IsUncertain(err) {
		t.Errorf("HTTP 413: err = %v, want a definite error", err)
	}
}

// A gateway-shaped error object without a code is not the gateway's: it proves nothing.
func TestGatewayObjectWithoutCode(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, map[string]any{"error": map[string]any{"message": "no such route"}})
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	_, err := c.GetCertificate(context.Background(), 7)
	if e, ok := asAPIError(err); !ok || !e.NotService || IsNotFound(err) {
		t.Fatalf("err = %#v", err)
	}
}

// Zero or inconsistent waits take the documented defaults.
func TestConfigWaitDefaults(t *testing.T) {
	for _, tc := range []struct {
		min, max         time.Duration
		wantMin, wantMax time.Duration
	}{
		{0, 0, DefaultRetryWaitMin, DefaultRetryWaitMax},
		{2 * time.Second, time.Second, 2 * time.Second, 2 * time.Second}, // max below min is raised to it
		{time.Second, time.Second, time.Second, time.Second},
	} {
		c, err := New(Config{AccessKey: "a", SecretKey: "s", RetryWaitMin: tc.min, RetryWaitMax: tc.max})
		if err != nil {
			t.Fatal(err)
		}
		if c.cfg.RetryWaitMin != tc.wantMin || c.cfg.RetryWaitMax != tc.wantMax {
			t.Errorf("min %v max %v: got %v / %v, want %v / %v", tc.min, tc.max, c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, tc.wantMin, tc.wantMax)
		}
	}
}

// Backoff grows with the attempt until the cap, never past it.
func TestBackoffGrowsToCap(t *testing.T) {
	minW, maxW := 10*time.Millisecond, 80*time.Millisecond
	for attempt, floor := range []time.Duration{10, 20, 40, 80, 80} {
		floor *= time.Millisecond
		d := backoff(minW, maxW, attempt, nil)
		if d < floor || d > maxW || (floor < maxW && d > floor*3/2) {
			t.Errorf("attempt %d: %v, want in [%v, %v]", attempt, d, floor, min(floor*3/2, maxW))
		}
	}
}
