package client

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// testPKI is a root, an intermediate and a leaf with its key, all PEM.
type testPKI struct{ root, intermediate, leaf, key string }

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	mk := func(cn string, ca bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, string) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			IsCA: ca, BasicConstraintsValid: true,
		}
		if !ca {
			tmpl.DNSNames = []string{cn}
		}
		if parent == nil {
			parent, parentKey = tmpl, key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return cert, key, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	root, rootKey, rootPEM := mk("Test Root CA", true, nil, nil)
	inter, interKey, interPEM := mk("Test Intermediate CA", true, root, rootKey)
	_, leafKey, leafPEM := mk("www.example.com", false, inter, interKey)
	der, err := x509.MarshalPKCS8PrivateKey(leafKey)
	if err != nil {
		t.Fatal(err)
	}
	return testPKI{root: rootPEM, intermediate: interPEM, leaf: leafPEM, key: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))}
}

type zipEntry struct{ name, body string }

func makeZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeZip(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/zip")
	w.WriteHeader(200)
	_, _ = w.Write(b)
}

// The mock's ZIP: certificate.pem, chain.pem (intermediate then root), private_key.pem. The
// request is a POST with {} and Accept: application/zip.
func TestDownloadCertificate(t *testing.T) {
	pki := newTestPKI(t)
	archive := makeZip(t, zipEntry{"certificate.pem", pki.leaf}, zipEntry{"chain.pem", pki.intermediate + pki.root}, zipEntry{"private_key.pem", pki.key})
	var n counter
	var got string
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		body, _ := io.ReadAll(r.Body)
		got = fmt.Sprintf("%s %s %s %s %s", r.Method, r.URL.RequestURI(), body, r.Header.Get("Accept"), r.Header.Get("Content-Type"))
		writeZip(w, archive)
	}))
	files, err := c.DownloadCertificate(context.Background(), 1001)
	if err != nil {
		t.Fatal(err)
	}
	if files.CertificatePEM != pki.leaf || files.ChainPEM != pki.intermediate+pki.root || files.PrivateKeyPEM != pki.key {
		t.Errorf("files = %+v", *files)
	}
	if got != "POST /api/v2/certificate/exportCertificate/1001 {} application/zip application/json" || n.get() != 1 {
		t.Errorf("request = %s, %d requests", got, n.get())
	}
	if s := fmt.Sprintf("%v %+v %#v", files, *files, files); strings.Contains(s, "PRIVATE KEY") || !strings.Contains(s, "private key: true") {
		t.Errorf("formatting shows the key: %s", s)
	}
}

// Other file names and orders: blocks are picked by type, the leaf by the chain it ends.
func TestParseCertificateZipOddNames(t *testing.T) {
	pki := newTestPKI(t)
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	ecKey := strings.Replace(strings.Replace(pki.key, "BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY", 1), "END PRIVATE KEY", "END EC PRIVATE KEY", 1)
	tests := []struct {
		name    string
		entries []zipEntry
		key     string
	}{
		{"standard", []zipEntry{{"certificate.pem", pki.leaf}, {"chain.pem", pki.intermediate + pki.root}, {"private_key.pem", pki.key}}, pki.key},
		{"key first, root before intermediate, CRLF", []zipEntry{{"key.txt", crlf(pki.key)}, {"ca-bundle.crt", crlf(pki.root + pki.intermediate)}, {"www_example_com.crt", crlf(pki.leaf)}}, pki.key},
		{"full chain repeating the leaf, in a folder", []zipEntry{{"out/", ""}, {"out/fullchain.pem", pki.leaf + pki.intermediate + pki.root}, {"out/cert.pem", pki.leaf}}, ""},
		{"one file, leaf last, EC key", []zipEntry{{"all.pem", pki.root + "\n" + ecKey + pki.intermediate + pki.leaf}}, ecKey},
		{"no root", []zipEntry{{"a.pem", pki.intermediate}, {"b.pem", pki.leaf}, {"readme.txt", "not PEM"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := parseCertificateZip(makeZip(t, tt.entries...))
			if err != nil {
				t.Fatal(err)
			}
			wantChain := pki.intermediate + pki.root
			if tt.name == "no root" {
				wantChain = pki.intermediate
			}
			if files.CertificatePEM != pki.leaf || files.ChainPEM != wantChain || files.PrivateKeyPEM != tt.key {
				t.Errorf("leaf ok %v, chain ok %v, key ok %v", files.CertificatePEM == pki.leaf, files.ChainPEM == wantChain, files.PrivateKeyPEM == tt.key)
			}
		})
	}
	// Errors name the files, never their contents.
	_, err := parseCertificateZip(makeZip(t, zipEntry{"private_key.pem", pki.key}))
	if err == nil || !strings.Contains(err.Error(), "private_key.pem") || strings.Contains(err.Error(), "PRIVATE KEY-----") {
		t.Errorf("no certificate: %v", err)
	}
	if _, err := parseCertificateZip([]byte("PK but not a zip")); err == nil {
		t.Error("not a ZIP accepted")
	}
}

// Errors are JSON envelopes; the download is a read, so a 503 is retried, not uncertain.
func TestDownloadCertificateErrors(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		writeJSON(w, 400, map[string]any{"returnCode": "2000", "returnMessage": "The certificate has not been issued yet."})
	}))
	_, err := c.DownloadCertificate(context.Background(), 5)
	if e, ok := asAPIError(err); !ok || e.Code != "2000" || e.HTTPStatus != 400 || IsUncertain(err) || n.get() != 1 {
		t.Errorf("err = %v, %d requests", err, n.get())
	}

	pki := newTestPKI(t)
	n = counter{}
	c, _ = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.inc() == 1 {
			writeJSON(w, 503, map[string]any{"error": map[string]any{"errorCode": "500", "message": "Endpoint Error"}})
			return
		}
		writeZip(w, makeZip(t, zipEntry{"certificate.pem", pki.leaf}))
	}))
	files, err := c.DownloadCertificate(context.Background(), 5)
	if err != nil || files.CertificatePEM != pki.leaf || files.ChainPEM != "" || files.PrivateKeyPEM != "" || n.get() != 2 {
		t.Errorf("files=%v err=%v requests=%d", files, err, n.get())
	}

	// A success envelope without the file, and a binary error page: errors, never quoting.
	c, _ = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, success(nil)) }))
	if _, err := c.DownloadCertificate(context.Background(), 5); err == nil {
		t.Error("envelope without file accepted")
	}
	c, _ = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		_, _ = w.Write([]byte(pki.key))
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	if _, err := c.DownloadCertificate(context.Background(), 5); err == nil || strings.Contains(err.Error(), "PRIVATE KEY") || IsUncertain(err) {
		t.Errorf("binary error: %v", err)
	}
}

// A download at TRACE logs nothing of the key.
func TestDownloadNeverLogsTheKey(t *testing.T) {
	pki := newTestPKI(t)
	archive := makeZip(t, zipEntry{"certificate.pem", pki.leaf}, zipEntry{"private_key.pem", pki.key})
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeZip(w, archive) }))
	var out bytes.Buffer
	files, err := c.DownloadCertificate(tflogtest.RootLogger(context.Background(), &out), 1)
	if err != nil || files.PrivateKeyPEM == "" {
		t.Fatal(err)
	}
	log := out.String()
	if !strings.Contains(log, "DownloadCertificate") || strings.Contains(log, "PRIVATE KEY") {
		t.Errorf("log: %s", log)
	}
	for _, line := range strings.Split(pki.key, "\n") {
		if len(line) > 20 && strings.Contains(log, line) {
			t.Error("log contains a key line")
		}
	}
}

// A ZIP without a certificate is an UnreadableDownloadError; a refusal or a gateway error is not.
func TestDownloadCertificateUnreadable(t *testing.T) {
	pki := newTestPKI(t)
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeZip(w, makeZip(t, zipEntry{"private_key.pem", pki.key}))
	}))
	if _, err := c.DownloadCertificate(context.Background(), 5); !IsUnreadableDownload(err) {
		t.Errorf("ZIP without certificate: %v, want an UnreadableDownloadError", err)
	}
	c, _ = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, map[string]any{"returnCode": "2000", "returnMessage": "The certificate has not been issued yet."})
	}))
	if _, err := c.DownloadCertificate(context.Background(), 5); err == nil || IsUnreadableDownload(err) {
		t.Errorf("refusal: %v, want an API error only", err)
	}
}
