package mockserver

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testPKI is a CA hierarchy and leaves generated once per test binary.
type testPKI struct {
	rootPEM, intermediatePEM string
	chainPEM                 string // intermediate then root

	rsaLeaf, ecLeaf, rsaLeaf2, expiredLeaf testLeaf
	otherKeyPEM                            string // matches none of the leaves
}

type testLeaf struct {
	certPEM, keyPEM string
	cert            *x509.Certificate
}

var (
	pkiOnce sync.Once
	pki     testPKI
	serialN atomic.Int64
)

func getPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki = buildPKI(t) })
	return &pki
}

func buildPKI(t testing.TB) testPKI {
	now := time.Now()
	rootKey := ecKey(t)
	root := issue(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: "Mock Test Root", Organization: []string{"ncloudcert"}},
		IsCA:    true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(10 * 365 * 24 * time.Hour),
	}, nil, rootKey.Public(), rootKey)
	interKey := ecKey(t)
	inter := issue(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: "Mock Test Intermediate", Organization: []string{"ncloudcert"}},
		IsCA:    true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(5 * 365 * 24 * time.Hour),
	}, root, interKey.Public(), rootKey)

	leaf := func(cn string, sans []string, key crypto.Signer, notBefore, notAfter time.Time) testLeaf {
		c := issue(t, &x509.Certificate{
			Subject: pkix.Name{CommonName: cn}, DNSNames: sans,
			NotBefore: notBefore, NotAfter: notAfter,
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}, inter, key.Public(), interKey)
		return testLeaf{certPEM: certPEM(c), keyPEM: keyPEM(t, key), cert: c}
	}
	rsaKey := rsaKey(t)
	p := testPKI{
		rootPEM:         certPEM(root),
		intermediatePEM: certPEM(inter),
		rsaLeaf:         leaf("www.example.com", []string{"www.example.com", "example.com"}, rsaKey, now.Add(-time.Hour), now.Add(90*24*time.Hour)),
		ecLeaf:          leaf("", []string{"api.example.net", "*.api.example.net"}, ecKey(t), now.Add(-time.Hour), now.Add(90*24*time.Hour)),
		rsaLeaf2:        leaf("www.example.com", []string{"www.example.com", "example.com"}, rsaKey, now.Add(-time.Minute), now.Add(180*24*time.Hour)),
		expiredLeaf:     leaf("old.example.com", []string{"old.example.com"}, ecKey(t), now.Add(-100*24*time.Hour), now.Add(-10*24*time.Hour)),
		otherKeyPEM:     keyPEM(t, ecKey(t)),
	}
	p.chainPEM = p.intermediatePEM + p.rootPEM
	return p
}

func rsaKey(t testing.TB) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// issue signs tmpl with signerKey (self-signed when parent is nil).
func issue(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, signerKey crypto.Signer) *x509.Certificate {
	tmpl.SerialNumber = big.NewInt(0xAB0000 + serialN.Add(1))
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func certPEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// keyPEM encodes RSA keys as PKCS#1 and EC keys as SEC1.
func keyPEM(t testing.TB, k crypto.Signer) string {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	case *ecdsa.PrivateKey:
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	}
	t.Fatalf("unsupported key %T", k)
	return ""
}

// testEnv is one mock behind an httptest server with a clock tests can move.
type testEnv struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	offset atomic.Int64 // added to time.Now, in nanoseconds
	client *http.Client
}

func newEnv(t testing.TB, opts Options) *testEnv {
	t.Helper()
	e := &testEnv{t: t}
	opts.Now = e.now
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	e.client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
	return e
}

func (e *testEnv) now() time.Time { return time.Now().Add(time.Duration(e.offset.Load())) }

func (e *testEnv) advance(d time.Duration) { e.offset.Add(int64(d)) }

// result is a decoded answer.
type result struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r result) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

func (r result) num(key string) int64 {
	n, _ := r.body[key].(json.Number)
	v, _ := n.Int64()
	return v
}

func (r result) list(key string) []map[string]any {
	items, _ := r.body[key].([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i], _ = it.(map[string]any)
	}
	return out
}

func (r result) gatewayCode() string {
	errObj, _ := r.body["error"].(map[string]any)
	code, _ := errObj["errorCode"].(string)
	return code
}

// signed sends a request signed with the demo credentials at the server's clock.
func (e *testEnv) signed(method, uri string, body any) result {
	e.t.Helper()
	return e.send(method, uri, body, DemoAccessKey, DemoSecretKey, e.now())
}

// send sends a request signed with accessKey/secretKey at ts ("" keys omit the headers).
func (e *testEnv) send(method, uri string, body any, accessKey, secretKey string, ts time.Time) result {
	e.t.Helper()
	res, err := e.trySend(method, uri, body, accessKey, secretKey, ts)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, uri, err)
	}
	return res
}

func (e *testEnv) trySend(method, uri string, body any, accessKey, secretKey string, ts time.Time) (result, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return result{}, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.ts.URL+uri, rd)
	if err != nil {
		return result{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if accessKey != "" {
		signHeaders(req, accessKey, secretKey, ts)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return result{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return result{}, err
	}
	res := result{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&res.body); err != nil {
			return result{}, err
		}
	}
	return res, nil
}

// raw sends a signed request and decodes the JSON answer into v (a light decode for
// large answers).
func (e *testEnv) raw(method, uri string, v any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+uri, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	signHeaders(req, DemoAccessKey, DemoSecretKey, e.now())
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("%s %s: HTTP %d", method, uri, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		e.t.Fatal(err)
	}
}

// control calls the /_mock/ API (no signature).
func (e *testEnv) control(method, path string, body any) result {
	e.t.Helper()
	return e.send(method, path, body, "", "", time.Time{})
}

// v1Body is a createExternalCertificate body.
func v1Body(name string, l testLeaf, chain string) map[string]string {
	return map[string]string{"certificateName": name, "privateKey": l.keyPEM, "publicKeyCertificate": l.certPEM, "certificateChain": chain}
}

// v2Body is a RegisterExternalCertificate body (no > 0 renews).
func v2Body(name string, no int64, l testLeaf, chain string) map[string]any {
	b := map[string]any{"certificateName": name, "privateKey": l.keyPEM, "certificateBody": l.certPEM, "certificateChain": chain}
	if no != 0 {
		b["certificateNo"] = no
	}
	return b
}

// create registers l through v1 and returns its number.
func (e *testEnv) create(name string, l testLeaf) int64 {
	e.t.Helper()
	res := e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body(name, l, getPKI(e.t).chainPEM))
	wantOK(e.t, res)
	items := res.list("sslCertificateList")
	if len(items) != 1 {
		e.t.Fatalf("create %s: %d items", name, len(items))
	}
	n, _ := items[0]["certificateNo"].(json.Number).Int64()
	return n
}

func wantOK(t testing.TB, res result) {
	t.Helper()
	if res.status != http.StatusOK || res.str("returnCode") != "0" || res.str("returnMessage") != "Success" {
		t.Fatalf("want success, got HTTP %d: %s", res.status, res.raw)
	}
}

func wantCode(t testing.TB, res result, status int, code, message string) {
	t.Helper()
	if res.status != status || res.str("returnCode") != code || (message != "" && res.str("returnMessage") != message) {
		t.Fatalf("want HTTP %d code %s %q, got HTTP %d: %s", status, code, message, res.status, res.raw)
	}
}

func wantGateway(t testing.TB, res result, status int, code string) {
	t.Helper()
	if res.status != status || res.gatewayCode() != code {
		t.Fatalf("want HTTP %d gateway code %s, got HTTP %d: %s", status, code, res.status, res.raw)
	}
}

// pkcs8 re-encodes a PKCS#1 or SEC1 key PEM as PKCS#8.
func pkcs8(t testing.TB, keyText string) string {
	t.Helper()
	b, _ := pem.Decode([]byte(keyText))
	var key any
	var err error
	switch b.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(b.Bytes)
	}
	if err != nil || key == nil {
		t.Fatalf("pkcs8: %v", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func wantCtlOK(t testing.TB, res result) {
	t.Helper()
	if res.status != http.StatusOK || res.body["ok"] != true {
		t.Fatalf("control call failed: HTTP %d: %s", res.status, res.raw)
	}
}
