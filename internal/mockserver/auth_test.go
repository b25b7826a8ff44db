package mockserver

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// The vectors of API doc §2.3.
func TestSignVectors(t *testing.T) {
	for _, v := range []struct{ method, uri, want string }{
		{"POST", "/vserver/v2/createServerInstances?regionCode=KR", "xBcE26XFU55BMjppdPT7ZY3oDrqoOedfPyAn3Cq4lUw="},
		{"GET", "/api/v1/certificates?certificateNo=65655", "lYuQ+NBinWVAZUxUIfbXdTeJSZP2jqMREHRzrXYNbQM="},
		{"DELETE", "/api/v1/certificate/30728?certificateName=zero-certi", "uIjA1euuTRSzoq3IBcySEmqlvZZg/0JV68gCELAFRVc="},
		{"POST", "/api/v2/certificate/requestCertificateIssuance", "OIeZL9wb1UuILw6IL10HTnXfERYCtbAZFQCO1v2MZKU="},
	} {
		if got := sign(v.method, v.uri, "1700000000000", "AK_TEST", "SK_TEST"); got != v.want {
			t.Errorf("%s %s: %s, want %s", v.method, v.uri, got, v.want)
		}
	}
}

func TestAuthFailures(t *testing.T) {
	e := newEnv(t, Options{})
	const uri = "/api/v1/certificates?certificateName=a%20b"

	// Signed over the URI as sent (escaped path and raw query): accepted.
	wantOK(t, e.signed(http.MethodGet, uri, nil))

	now := e.now()
	for _, c := range []struct {
		name string
		send func() result
	}{
		{"no headers", func() result { return e.send(http.MethodGet, uri, nil, "", "", now) }},
		{"unknown key", func() result { return e.send(http.MethodGet, uri, nil, "who", DemoSecretKey, now) }},
		{"bad signature", func() result { return e.send(http.MethodGet, uri, nil, DemoAccessKey, "wrong-secret", now) }},
		{"stale timestamp", func() result {
			return e.send(http.MethodGet, uri, nil, DemoAccessKey, DemoSecretKey, now.Add(-6*time.Minute))
		}},
		{"future timestamp", func() result {
			return e.send(http.MethodGet, uri, nil, DemoAccessKey, DemoSecretKey, now.Add(6*time.Minute))
		}},
	} {
		res := c.send()
		wantGateway(t, res, http.StatusUnauthorized, "200")
		if msg, _ := res.body["error"].(map[string]any)["message"].(string); msg != "Authentication Failed" {
			t.Errorf("%s: message %q", c.name, msg)
		}
	}
	// Within the window is fine.
	wantOK(t, e.send(http.MethodGet, uri, nil, DemoAccessKey, DemoSecretKey, now.Add(-4*time.Minute)))

	// Each missing header alone, and a signature over another URI.
	for _, drop := range []string{headerTimestamp, headerAccessKey, headerSignature} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+uri, nil)
		signHeaders(req, DemoAccessKey, DemoSecretKey, e.now())
		req.Header.Del(drop)
		resp, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("without %s: HTTP %d", drop, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+uri, nil)
	signHeaders(req, DemoAccessKey, DemoSecretKey, e.now())
	req.URL.RawQuery = "certificateName=a+b" // same meaning, different bytes on the wire
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("re-encoded query: HTTP %d, want 401", resp.StatusCode)
	}

	// Authentication failures count under the operation.
	if got := e.srv.Requests(OpGetCertificateList); got != 11 {
		t.Errorf("getCertificateList requests = %d, want 11", got)
	}
}

func signHeaders(req *http.Request, accessKey, secretKey string, ts time.Time) {
	stamp := strconv.FormatInt(ts.UnixMilli(), 10)
	req.Header.Set(headerTimestamp, stamp)
	req.Header.Set(headerAccessKey, accessKey)
	req.Header.Set(headerSignature, sign(req.Method, req.URL.RequestURI(), stamp, accessKey, secretKey))
}

func TestUnknownRoute(t *testing.T) {
	e := newEnv(t, Options{})
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/api/v2/certificate/nothingHere"},
		{http.MethodPost, "/api/v1/certificates"},
		{http.MethodGet, "/api/v3/certificates"},
		{http.MethodGet, "/"},
	} {
		wantGateway(t, e.signed(c.method, c.path, nil), http.StatusNotFound, "300")
	}
	if res := e.control(http.MethodGet, "/_mock/nothing", nil); res.status != http.StatusNotFound || res.body["error"] == nil {
		t.Errorf("unknown control endpoint: HTTP %d %s", res.status, res.raw)
	}
}
