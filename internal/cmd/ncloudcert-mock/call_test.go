package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

// callEnv is the environment `call` reads, pointing at url with the demo keys.
func callEnv(url string, extra map[string]string) func(string) string {
	env := map[string]string{"NCLOUD_CERTIFICATE_MANAGER_ENDPOINT": url}
	for k, v := range extra {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

func startMock(t *testing.T) (*mockserver.Server, string) {
	t.Helper()
	srv, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts.URL
}

// TestCallCreatesAndListsACertificate: a certificate created with `call` (signed as the
// provider signs) is then listed by `call`, as a user practising an import would do.
func TestCallCreatesAndListsACertificate(t *testing.T) {
	_, url := startMock(t)
	ca, err := testcert.NewCA("call-test")
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue("call.example.com", testcert.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{
		"certificateName": "practice", "privateKey": leaf.KeyPEM, "publicKeyCertificate": leaf.CertPEM, "certificateChain": ca.ChainPEM(),
	})
	var out, errOut bytes.Buffer
	if code := runCall(context.Background(), []string{"POST", "/api/v1/certificate/withExternal", "-"}, callEnv(url, nil), bytes.NewReader(body), &out, &errOut); code != 0 {
		t.Fatalf("create: exit %d\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if code := runCall(context.Background(), []string{"get", "/api/v1/certificates?certificateName=practice"}, callEnv(url, nil), nil, &out, &errOut); code != 0 {
		t.Fatalf("list: exit %d\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), `"certificateName": "practice"`) || !strings.Contains(errOut.String(), "HTTP 200") {
		t.Errorf("list answer:\n%s\nstderr: %s", out.String(), errOut.String())
	}
	if strings.Contains(errOut.String()+out.String(), mockserver.DemoSecretKey) {
		t.Error("the secret key was printed")
	}
}

// TestCallFailures: a wrong secret is the gateway's 401, a service error a non-zero
// returnCode; both exit 1. Bad usage exits 2 and sends nothing.
func TestCallFailures(t *testing.T) {
	srv, url := startMock(t)
	var out, errOut bytes.Buffer
	env := callEnv(url, map[string]string{"NCLOUD_SECRET_KEY": "wrong"})
	if code := runCall(context.Background(), []string{"GET", "/api/v1/certificates"}, env, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "401") {
		t.Errorf("wrong secret: exit %d, stderr %q", code, errOut.String())
	}
	out.Reset()
	if code := runCall(context.Background(), []string{"GET", "/api/v1/certificates?certificateNo=999999"}, callEnv(url, nil), nil, &out, &errOut); code != 1 || !strings.Contains(out.String(), `"2200"`) {
		t.Errorf("missing certificate: exit %d, stdout %q", code, out.String())
	}
	total := func() (n int) {
		for _, c := range srv.Stats().Requests {
			n += c
		}
		return n
	}
	before := total()
	for _, args := range [][]string{{}, {"GET"}, {"GET", "api/v1/certificates"}, {"POST", "/api/v1/certificate/withExternal", "{not json"}, {"-x", "/a"}} {
		if code := runCall(context.Background(), args, callEnv(url, nil), nil, &out, &errOut); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	if after := total(); after != before {
		t.Errorf("bad usage sent %d request(s)", after-before)
	}
}
