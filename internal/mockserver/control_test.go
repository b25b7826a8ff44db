package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestControlStatsFaultsReset(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	e.create("stat-cert", p.ecLeaf)
	e.signed(http.MethodGet, "/api/v1/certificates", nil)
	e.signed(http.MethodGet, "/api/v1/certificates", nil)

	res := e.control(http.MethodGet, "/_mock/stats", nil)
	if res.status != http.StatusOK {
		t.Fatalf("stats: HTTP %d", res.status)
	}
	var stats Stats
	if err := json.Unmarshal(res.raw, &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Certificates != 1 || stats.Requests[OpGetCertificateList] != 2 || stats.Requests[OpCreateExternalCertificate] != 1 {
		t.Fatalf("stats: %s", res.raw)
	}
	for _, op := range operationNames() {
		if _, ok := stats.Requests[op]; !ok {
			t.Errorf("stats lack %s", op)
		}
	}

	wantCtlOK(t, e.control(http.MethodPost, "/_mock/faults", map[string]any{
		"operation": "createExternalCertificate", "count": 2, "status": 503, "drop": false, "after_commit": false, "retry_after": 1,
	}))
	for range 2 {
		res := e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("second", p.ecLeaf, p.chainPEM))
		wantGateway(t, res, http.StatusServiceUnavailable, "500")
		if res.header.Get("Retry-After") != "1" {
			t.Errorf("Retry-After = %q", res.header.Get("Retry-After"))
		}
	}
	wantOK(t, e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("second", p.ecLeaf, p.chainPEM)))

	for _, bad := range []map[string]any{
		{"operation": "nope", "count": 1, "status": 503},
		{"operation": "*", "count": 0, "status": 503},
		{"operation": "*", "count": 1, "status": 418},
		{"operation": "*", "count": 1, "stauts": 503},
	} {
		if res := e.control(http.MethodPost, "/_mock/faults", bad); res.status != http.StatusBadRequest {
			t.Errorf("fault %v: HTTP %d", bad, res.status)
		}
	}
	if res := e.control(http.MethodPost, "/_mock/latency", map[string]any{"operation": "nope", "delay_ms": 5}); res.status != http.StatusBadRequest {
		t.Errorf("latency for unknown operation: HTTP %d", res.status)
	}

	e.srv.AddFault(Fault{Operation: AnyOperation, Count: 5, Status: 500})
	wantCtlOK(t, e.control(http.MethodPost, "/_mock/reset", nil))
	if st := e.srv.Stats(); st.Certificates != 0 || st.Requests[OpGetCertificateList] != 0 {
		t.Fatalf("after reset: %+v", st)
	}
	wantOK(t, e.signed(http.MethodGet, "/api/v1/certificates", nil)) // faults cleared
	if no := e.create("again", p.ecLeaf); no != firstCertificateNo {
		t.Errorf("numbering after reset starts at %d", no)
	}
}

func TestControlStatus(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	no := e.create("status-cert", p.rsaLeaf)
	status := func() (string, string) {
		res := e.signed(http.MethodGet, fmt.Sprintf("/api/v1/certificates?certificateNo=%d", no), nil)
		item := res.list("sslCertificateList")[0]
		return fmt.Sprint(item["statusCode"]), fmt.Sprint(item["statusName"])
	}
	statusURL := fmt.Sprintf("/_mock/certificates/%d/status", no)
	for name, code := range map[string]string{"EXPIRE": "-2", "REVOKE": "-5", "VALIDATION_EXPIRE": "-4", "ONGOING": "0", "NORMAL": "1"} {
		wantCtlOK(t, e.control(http.MethodPost, statusURL, map[string]string{"status": name}))
		if c, n := status(); c != code || n != name {
			t.Errorf("forced %s: got %s/%s", name, c, n)
		}
	}
	if res := e.control(http.MethodPost, statusURL, map[string]string{"status": "BROKEN"}); res.status != http.StatusBadRequest {
		t.Errorf("unknown status: HTTP %d", res.status)
	}
	if res := e.control(http.MethodPost, "/_mock/certificates/999/status", map[string]string{"status": "EXPIRE"}); res.status != http.StatusNotFound {
		t.Errorf("missing certificate: HTTP %d", res.status)
	}
	if res := e.control(http.MethodPost, "/_mock/certificates/x/status", map[string]string{"status": "EXPIRE"}); res.status != http.StatusBadRequest {
		t.Errorf("bad number: HTTP %d", res.status)
	}

	// "" returns to the derived status, which turns EXPIRE once notAfter has passed.
	wantCtlOK(t, e.control(http.MethodPost, statusURL, map[string]string{"status": ""}))
	if c, n := status(); c != "1" || n != "NORMAL" {
		t.Errorf("derived: %s/%s", c, n)
	}
	e.advance(time.Until(p.rsaLeaf.cert.NotAfter) + time.Hour)
	if c, n := status(); c != "-2" || n != "EXPIRE" {
		t.Errorf("after notAfter: %s/%s", c, n)
	}
	if info, _ := e.srv.Certificate(no); info.StatusName != "EXPIRE" {
		t.Errorf("Certificate().StatusName = %s", info.StatusName)
	}
}

// SetName stands for a legacy name the API no longer accepts; the name index follows.
func TestControlSetName(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	no := e.create("short-name", p.rsaLeaf)
	other := e.create("other-name", p.ecLeaf)
	legacy := "a-legacy-name-of-27-letters"
	if err := e.srv.SetName(no, legacy); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetName(other, legacy); err == nil {
		t.Error("a second certificate took the same name")
	}
	if err := e.srv.SetName(999, "x-name"); err == nil {
		t.Error("renamed a missing certificate")
	}
	for name, want := range map[string]int{legacy: 1, "short-name": 0} {
		res := e.signed(http.MethodGet, "/api/v1/certificates?certificateName="+name, nil)
		if got := len(res.list("sslCertificateList")); got != want {
			t.Errorf("list by %q: %d items, want %d", name, got, want)
		}
	}
	if info, _ := e.srv.Certificate(no); info.Name != legacy {
		t.Errorf("name = %q", info.Name)
	}
}
