package provider

import (
	"crypto"
	"crypto/x509"
	"sync"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

// Real X.509 material for tests, in the shape the tests use it.

type testCA struct {
	*testcert.CA
	intermediatePEM, rootPEM string
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
	sharedCAErr  error
)

// testCertificateAuthority returns one CA per test binary: key generation is the slow part.
func testCertificateAuthority(t *testing.T) *testCA {
	t.Helper()
	sharedCAOnce.Do(func() {
		ca, err := testcert.NewCA("ncloudcert tests")
		sharedCA, sharedCAErr = &testCA{CA: ca}, err
		if err == nil {
			sharedCA.intermediatePEM, sharedCA.rootPEM = ca.IntermediatePEM, ca.RootPEM
		}
	})
	if sharedCAErr != nil {
		t.Fatal(sharedCAErr)
	}
	return sharedCA
}

// leafOptions adjust an issued leaf.
type leafOptions struct {
	notBefore, notAfter time.Time
	rsa                 bool
}

func (ca *testCA) issue(t *testing.T, commonName string, dnsNames []string, opts ...leafOptions) testLeaf {
	t.Helper()
	var o leafOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	l, err := ca.Issue(commonName, testcert.LeafOptions{DNSNames: dnsNames, NotBefore: o.notBefore, NotAfter: o.notAfter, RSA: o.rsa})
	if err != nil {
		t.Fatal(err)
	}
	return testLeaf{cert: l.Cert, certPEM: l.CertPEM, keyPEM: l.KeyPEM, key: l.Key}
}

func (l testLeaf) serial() string { return certificateSerial(l.cert) }
