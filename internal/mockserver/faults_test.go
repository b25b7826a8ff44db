package mockserver

import (
	"net/http"
	"testing"
	"time"
)

func TestFaultStatuses(t *testing.T) {
	e := newEnv(t, Options{})
	const uri = "/api/v1/certificates"
	for _, c := range []struct {
		status int
		code   string
	}{
		{http.StatusTooManyRequests, "410"},
		{http.StatusInternalServerError, "900"},
		{http.StatusServiceUnavailable, "500"},
		{0, "500"}, // default 503
	} {
		e.srv.AddFault(Fault{Operation: OpGetCertificateList, Count: 2, Status: c.status, RetryAfter: 3})
		for range 2 {
			res := e.signed(http.MethodGet, uri, nil)
			want := c.status
			if want == 0 {
				want = http.StatusServiceUnavailable
			}
			wantGateway(t, res, want, c.code)
			if res.header.Get("Retry-After") != "3" {
				t.Errorf("status %d: Retry-After %q", c.status, res.header.Get("Retry-After"))
			}
		}
		wantOK(t, e.signed(http.MethodGet, uri, nil)) // the fault is used up
	}
	// Without RetryAfter there is no header.
	e.srv.AddFault(Fault{Operation: OpGetCertificateList, Count: 1, Status: http.StatusTooManyRequests})
	if res := e.signed(http.MethodGet, uri, nil); res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "" {
		t.Errorf("429 without retry-after: HTTP %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	// Faulted requests are counted: 4×3 + 1.
	if got := e.srv.Requests(OpGetCertificateList); got != 13 {
		t.Errorf("requests = %d, want 13", got)
	}
}

func TestFaultScoping(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.AddFault(Fault{Operation: OpCreateExternalCertificate, Count: 1, Status: http.StatusServiceUnavailable})
	wantOK(t, e.signed(http.MethodGet, "/api/v1/certificates", nil)) // another operation: unaffected

	e.srv.AddFault(Fault{Operation: AnyOperation, Count: 2, Status: http.StatusTooManyRequests})
	wantGateway(t, e.signed(http.MethodGet, "/api/v1/certificates", nil), http.StatusTooManyRequests, "410")
	// Faults are used in the order added: the createExternalCertificate one first.
	p := getPKI(t)
	wantGateway(t, e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("f-cert", p.ecLeaf, p.chainPEM)), http.StatusServiceUnavailable, "500")
	wantGateway(t, e.signed(http.MethodGet, "/api/v2/certificate/certificates", nil), http.StatusTooManyRequests, "410")
	wantOK(t, e.signed(http.MethodGet, "/api/v2/certificate/certificates", nil))
	if e.srv.Stats().Certificates != 0 {
		t.Error("a fault before commit registered a certificate")
	}
	// Authentication runs before faults: a bad signature does not use a fault up.
	e.srv.AddFault(Fault{Operation: OpListCertificates, Count: 1, Status: http.StatusInternalServerError})
	wantGateway(t, e.send(http.MethodGet, "/api/v2/certificate/certificates", nil, DemoAccessKey, "bad", e.now()), http.StatusUnauthorized, "200")
	wantGateway(t, e.signed(http.MethodGet, "/api/v2/certificate/certificates", nil), http.StatusInternalServerError, "900")
}

func TestFaultAfterCommit(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	e.srv.AddFault(Fault{Operation: OpCreateExternalCertificate, Count: 1, Status: http.StatusServiceUnavailable, AfterCommit: true})
	wantGateway(t, e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("late-cert", p.ecLeaf, p.chainPEM)), http.StatusServiceUnavailable, "500")
	if info, ok := e.srv.Certificate(firstCertificateNo); !ok || info.Name != "late-cert" {
		t.Fatalf("after-commit fault: certificate missing (%+v)", info)
	}
	// Sending again is a duplicate: the client must look the name up instead.
	wantCode(t, e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("late-cert", p.ecLeaf, p.chainPEM)),
		http.StatusBadRequest, codeValidation, msgNameTaken)
}

func TestFaultDrop(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	create := func(name string) error {
		_, err := e.trySend(http.MethodPost, "/api/v1/certificate/withExternal", v1Body(name, p.ecLeaf, p.chainPEM), DemoAccessKey, DemoSecretKey, e.now())
		return err
	}

	e.srv.AddFault(Fault{Operation: OpCreateExternalCertificate, Count: 1, Drop: true})
	if err := create("drop-before"); err == nil {
		t.Fatal("dropped request got an answer")
	}
	if e.srv.Stats().Certificates != 0 {
		t.Fatal("drop before commit registered a certificate")
	}

	e.srv.AddFault(Fault{Operation: OpCreateExternalCertificate, Count: 1, Drop: true, AfterCommit: true})
	if err := create("drop-after"); err == nil {
		t.Fatal("dropped request got an answer")
	}
	if info, ok := e.srv.Certificate(firstCertificateNo); !ok || info.Name != "drop-after" {
		t.Fatal("drop after commit: the certificate does not exist")
	}

	// Deletes too: committed, then the answer is lost.
	e.srv.AddFault(Fault{Operation: OpDeleteCertificate, Count: 1, Drop: true, AfterCommit: true})
	_, err := e.trySend(http.MethodDelete, "/api/v2/certificate/deleteCertificate/100001?certificateName=drop-after", nil, DemoAccessKey, DemoSecretKey, e.now())
	if err == nil {
		t.Fatal("dropped delete got an answer")
	}
	if e.srv.Stats().Certificates != 0 {
		t.Fatal("drop after commit: the delete did not happen")
	}
	if got := e.srv.Requests(OpCreateExternalCertificate); got != 2 {
		t.Errorf("createExternalCertificate requests = %d, want 2", got)
	}
}

// Latency is applied to the operations it names: a delayed request takes at least the delay
// (a lower bound, true on any machine); which operations are delayed is read from the
// controls, never from an upper bound on the wall clock.
func TestLatency(t *testing.T) {
	e := newEnv(t, Options{})
	const delay = 80 * time.Millisecond
	e.srv.SetLatency(OpListCertificates, delay)
	timed := func(uri string) time.Duration {
		start := time.Now()
		wantOK(t, e.signed(http.MethodGet, uri, nil))
		return time.Since(start)
	}
	if d := timed("/api/v2/certificate/certificates"); d < delay {
		t.Errorf("ListCertificates took %v, want ≥ %v", d, delay)
	}
	if d := e.srv.ctl.latency(OpGetCertificateList); d != 0 {
		t.Errorf("getCertificateList delayed by %v, want no delay", d)
	}
	e.srv.SetLatency(OpListCertificates, 0)
	e.srv.SetLatency("", delay)
	if d := timed("/api/v1/certificates"); d < delay {
		t.Errorf("getCertificateList took %v with a global delay", d)
	}
	wantCtlOK(t, e.control(http.MethodPost, "/_mock/latency", map[string]any{"operation": "", "delay_ms": 0}))
	if d := e.srv.ctl.latency(OpGetCertificateList); d != 0 {
		t.Errorf("getCertificateList delayed by %v after clearing the delay", d)
	}
}

func TestParseFault(t *testing.T) {
	for spec, want := range map[string]Fault{
		"createExternalCertificate:503:2": {Operation: OpCreateExternalCertificate, Status: 503, Count: 2},
		"getCertificateList:drop-after:1": {Operation: OpGetCertificateList, Drop: true, AfterCommit: true, Count: 1},
		"*:429:3":                         {Operation: AnyOperation, Status: 429, Count: 3},
		"*:429:3:2":                       {Operation: AnyOperation, Status: 429, Count: 3, RetryAfter: 2},
		"DeleteCertificate:500-after:1":   {Operation: OpDeleteCertificate, Status: 500, AfterCommit: true, Count: 1},
		"ListCertificates:drop:4":         {Operation: OpListCertificates, Drop: true, Count: 4},
	} {
		got, err := ParseFault(spec)
		if err != nil || got != want {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
	for _, bad := range []string{"", "getCertificateList", "nope:503:1", "getCertificateList:418:1", "getCertificateList:503:0",
		"getCertificateList:503:x", "getCertificateList:drop:1:-1", "getCertificateList:0:1", "a:b:c:d:e"} {
		if _, err := ParseFault(bad); err == nil {
			t.Errorf("ParseFault(%q) accepted", bad)
		}
	}
}
