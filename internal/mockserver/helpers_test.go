package mockserver

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
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
)

func getPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki = buildPKI(t) })
	return &pki
}

func buildPKI(t testing.TB) testPKI {
	ca, err := testcert.NewCA("Mock Test")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	leaf := func(cn string, sans []string, o testcert.LeafOptions) testLeaf {
		o.DNSNames, o.KeyEncoding = sans, testcert.Legacy
		l, err := ca.Issue(cn, o)
		if err != nil {
			t.Fatal(err)
		}
		return testLeaf{certPEM: l.CertPEM, keyPEM: l.KeyPEM, cert: l.Cert}
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ca.Issue("other.example.com", testcert.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := testPKI{
		rootPEM:         ca.RootPEM,
		intermediatePEM: ca.IntermediatePEM,
		rsaLeaf:         leaf("www.example.com", []string{"example.com"}, testcert.LeafOptions{Key: rsaKey}),
		ecLeaf:          leaf("", []string{"api.example.net", "*.api.example.net"}, testcert.LeafOptions{}),
		rsaLeaf2:        leaf("www.example.com", []string{"example.com"}, testcert.LeafOptions{Key: rsaKey, NotBefore: now.Add(-time.Minute), NotAfter: now.Add(180 * 24 * time.Hour)}),
		expiredLeaf:     leaf("old.example.com", nil, testcert.LeafOptions{NotBefore: now.Add(-100 * 24 * time.Hour), NotAfter: now.Add(-10 * 24 * time.Hour)}),
		otherKeyPEM:     other.KeyPEM,
	}
	p.chainPEM = ca.ChainPEM()
	return p
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

// legacyEnv starts a mock whose state file holds l under each of names, numbered from
// firstCertificateNo: the way certificates registered before the 20-character name rule
// (legacy names of up to 30 characters) reach the store.
func legacyEnv(t testing.TB, l testLeaf, names ...string) *testEnv {
	t.Helper()
	now := time.Now()
	st := stateFile{Version: stateVersion}
	for i, name := range names {
		st.Certificates = append(st.Certificates, stateCertificate{
			No: firstCertificateNo + int64(i), Name: name, Type: typeExternal,
			PrivateKeyPEM: l.keyPEM, CertificatePEM: l.certPEM, ChainPEM: getPKI(t).chainPEM,
			InstanceNos: []string{}, RegisteredAt: now, UpdatedAt: now,
		})
	}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return newEnv(t, Options{StateFile: path})
}
