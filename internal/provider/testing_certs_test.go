package provider

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"
)

// Real X.509 material for tests: a root, an intermediate and leaves issued by it.

type testCA struct {
	root, intermediate       *x509.Certificate
	rootKey, intermediateKey crypto.Signer
	rootPEM, intermediatePEM string
}

type testLeaf struct {
	cert    *x509.Certificate
	certPEM string
	keyPEM  string // PKCS#8
	key     crypto.Signer
}

var (
	sharedCAOnce sync.Once
	sharedCA     *testCA
)

// testCertificateAuthority returns one CA per test binary: key generation is the slow part.
func testCertificateAuthority(t *testing.T) *testCA {
	t.Helper()
	sharedCAOnce.Do(func() {
		rootKey := mustECKey(t)
		root := mustCreate(t, &x509.Certificate{
			SerialNumber:          randomSerial(t),
			Subject:               pkix.Name{CommonName: "ncloudcert Test Root", Organization: []string{"ncloudcert tests"}},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}, nil, rootKey.Public(), rootKey)
		intKey := mustECKey(t)
		intermediate := mustCreate(t, &x509.Certificate{
			SerialNumber:          randomSerial(t),
			Subject:               pkix.Name{CommonName: "ncloudcert Test Intermediate", Organization: []string{"ncloudcert tests"}},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(5 * 365 * 24 * time.Hour),
			IsCA:                  true,
			BasicConstraintsValid: true,
			MaxPathLenZero:        true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}, root, intKey.Public(), rootKey)
		sharedCA = &testCA{
			root: root, intermediate: intermediate, rootKey: rootKey, intermediateKey: intKey,
			rootPEM: certPEM(root), intermediatePEM: certPEM(intermediate),
		}
	})
	return sharedCA
}

// leafOptions adjust an issued leaf.
type leafOptions struct {
	notBefore, notAfter time.Time
	rsa                 bool
}

func (ca *testCA) issue(t *testing.T, commonName string, dnsNames []string, opts ...leafOptions) testLeaf {
	t.Helper()
	o := leafOptions{notBefore: time.Now().Add(-time.Hour), notAfter: time.Now().Add(90 * 24 * time.Hour)}
	if len(opts) > 0 {
		if !opts[0].notBefore.IsZero() {
			o.notBefore = opts[0].notBefore
		}
		if !opts[0].notAfter.IsZero() {
			o.notAfter = opts[0].notAfter
		}
		o.rsa = opts[0].rsa
	}
	var key crypto.Signer = mustECKey(t)
	if o.rsa {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		key = k
	}
	leaf := mustCreate(t, &x509.Certificate{
		SerialNumber: randomSerial(t),
		Subject:      pkix.Name{CommonName: commonName},
		DNSNames:     append([]string{commonName}, dnsNames...),
		NotBefore:    o.notBefore,
		NotAfter:     o.notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca.intermediate, key.Public(), ca.intermediateKey)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return testLeaf{
		cert:    leaf,
		certPEM: certPEM(leaf),
		keyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		key:     key,
	}
}

func (l testLeaf) serial() string { return certificateSerial(l.cert) }

func mustECKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustCreate(t *testing.T, tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	t.Helper()
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func randomSerial(t *testing.T) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		t.Fatal(err)
	}
	return n.Add(n, big.NewInt(1))
}

func certPEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}
