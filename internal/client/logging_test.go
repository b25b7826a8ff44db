package client

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func testKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// At TRACE, across a create with a private key (whose answer is lost), a 401 and a retried
// call, neither the secret key, any signature, nor the private key appears in the log.
func TestLogsNeverCarrySecrets(t *testing.T) {
	var mu sync.Mutex
	var signatures []string
	fs := newFakeService(t)
	fs.addFault(opCreateExternalCertificate, fault{status: 503})
	fs.addFault(opGetCertificateList, fault{status: 503})
	c, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		signatures = append(signatures, r.Header.Get(headerSignature))
		mu.Unlock()
		fs.ServeHTTP(w, r)
	}))
	const wrongSecret = "WRONG-SECRET-also-never-logged"
	bad, err := New(Config{AccessKey: "AK_BAD", SecretKey: wrongSecret, Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	key := testKeyPEM(t)

	in := ExternalCertificateInput{Name: "logged", PrivateKey: key, Certificate: "0A:01", Chain: "CHAIN", SerialNumber: "0a01"}
	if _, err := c.CreateExternalCertificate(ctx, in); err != nil {
		t.Fatal(err)
	}
	in.No = 1001
	if _, err := c.RegisterExternalCertificate(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := bad.GetCertificateList(ctx, ListFilter{}); !IsAuth(err) {
		t.Fatalf("want 401, got %v", err)
	}
	if _, err := c.GetCertificateList(ctx, ListFilter{}); err != nil { // retried after a 503
		t.Fatal(err)
	}

	log := out.String()
	if testing.Verbose() {
		t.Log(log)
	}
	for _, must := range []string{"createExternalCertificate", "RegisterExternalCertificate", "getCertificateList",
		`"http_status":503`, `"http_status":401`, `"return_code":"0"`, `"attempt":2`, "duration_ms", "retrying request"} {
		if !strings.Contains(log, must) {
			t.Errorf("log lacks %s", must)
		}
	}
	forbidden := map[string]string{"secret key": testSecretKey, "wrong secret key": wrongSecret, "private key PEM": key,
		"private key header": "PRIVATE KEY"}
	for _, line := range strings.Split(key, "\n") {
		if len(line) > 20 && !strings.HasPrefix(line, "-----") {
			forbidden["private key line "+line[:8]] = line
		}
	}
	mu.Lock()
	if len(signatures) < 6 {
		t.Errorf("only %d requests", len(signatures))
	}
	for _, s := range signatures {
		forbidden["signature "+s] = s
	}
	mu.Unlock()
	for what, s := range forbidden {
		if strings.Contains(log, s) {
			t.Errorf("log contains the %s", what)
		}
	}
	// Response bodies (of register calls above all) are not logged: the fake's bodies carry
	// the certificate text as its serial.
	if strings.Contains(log, "CHAIN") || strings.Contains(log, `"serialNumber"`) {
		t.Error("log contains a request or response body")
	}
}

// Masking is defence in depth: even a message that carried the secret would be masked.
func TestLogContextMasks(t *testing.T) {
	var out bytes.Buffer
	c, err := New(Config{AccessKey: "a", SecretKey: "S3CR3T-VALUE"})
	if err != nil {
		t.Fatal(err)
	}
	key := testKeyPEM(t)
	ctx := c.logContext(tflogtest.RootLogger(context.Background(), &out), secretMasks(key)...)
	line := strings.Split(key, "\n")[1]
	leveledLogger{ctx: ctx}.Error("oops S3CR3T-VALUE", "err", errString("x S3CR3T-VALUE "+line), "n", 1)
	if strings.Contains(out.String(), "S3CR3T-VALUE") || strings.Contains(out.String(), line) || !strings.Contains(out.String(), "***") {
		t.Errorf("not masked: %s", out.String())
	}
}

type errString string

func (e errString) Error() string { return string(e) }
