package provider

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

// messyVariants are what real PEM goes through between a CA and a Terraform variable.
func messyVariants(s string) map[string]string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	indented := make([]string, len(lines))
	for i, l := range lines {
		indented[i] = "    " + l
	}
	return map[string]string{
		"crlf":             strings.ReplaceAll(s, "\n", "\r\n"),
		"no final newline": strings.TrimSpace(s),
		"surrounding":      "\n\n  " + s + "\n\t\n",
		"indented heredoc": strings.Join(indented, "\n") + "\n",
		"escaped newlines": strings.ReplaceAll(strings.TrimSpace(s), "\n", `\n`),
		"bom":              "\ufeff" + s,
		"bag attributes":   "Bag Attributes\n    localKeyID: 01 02 03\nsubject=/CN=example\nissuer=/CN=ca\n" + s,
	}
}

func TestParseMessyCertificates(t *testing.T) {
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "messy.example.com", nil)
	for name, v := range messyVariants(leaf.certPEM) {
		t.Run(name, func(t *testing.T) {
			c, err := parseLeafCertificate(v)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if certificateSerial(c) != leaf.serial() {
				t.Fatalf("serial %s, want %s", certificateSerial(c), leaf.serial())
			}
			if !pemSemanticallyEqual(pemCertificate, leaf.certPEM, v) {
				t.Fatal("not semantically equal to the clean PEM")
			}
			if canonicalPEM(v) != leaf.certPEM {
				t.Fatalf("canonical form differs:\n%s", canonicalPEM(v))
			}
		})
	}
	for name, v := range messyVariants(leaf.keyPEM) {
		t.Run("key "+name, func(t *testing.T) {
			k, err := parsePrivateKey(v)
			if err != nil {
				t.Fatalf("parse key: %v", err)
			}
			if !keyMatchesCertificate(k, leaf.cert) {
				t.Fatal("key should match")
			}
		})
	}
}

func TestParsePrivateKeyEncodings(t *testing.T) {
	ca := testCertificateAuthority(t)
	ecLeaf := ca.issue(t, "ec.example.com", nil)
	rsaLeaf := ca.issue(t, "rsa.example.com", nil, leafOptions{rsa: true})

	sec1, err := x509.MarshalECPrivateKey(ecLeaf.key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	ecParams := "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
	sec1PEM := ecParams + string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}))
	pkcs1PEM := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaLeaf.key.(*rsa.PrivateKey))}))

	for name, tc := range map[string]struct {
		key  string
		leaf testLeaf
	}{
		"sec1 with parameters": {sec1PEM, ecLeaf},
		"pkcs1":                {pkcs1PEM, rsaLeaf},
		"pkcs8 rsa":            {rsaLeaf.keyPEM, rsaLeaf},
	} {
		t.Run(name, func(t *testing.T) {
			k, err := parsePrivateKey(tc.key)
			if err != nil {
				t.Fatal(err)
			}
			if !keyMatchesCertificate(k, tc.leaf.cert) {
				t.Fatal("key should match its certificate")
			}
			if !pemSemanticallyEqual(pemPrivateKey, tc.key, tc.leaf.keyPEM) {
				t.Fatal("the same key in another encoding must compare equal")
			}
		})
	}
	if pemSemanticallyEqual(pemPrivateKey, ecLeaf.keyPEM, rsaLeaf.keyPEM) {
		t.Fatal("different keys compared equal")
	}
}

func TestParseErrors(t *testing.T) {
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "err.example.com", nil)
	other := ca.issue(t, "other.example.com", nil)

	cases := []struct {
		name, cert, chain, key, attr, want string
	}{
		{"garbage certificate", "not a pem", ca.intermediatePEM, leaf.keyPEM, "certificate_pem", "no PEM block"},
		{"truncated certificate", leaf.certPEM[:len(leaf.certPEM)/2] + "\n-----END CERTIFICATE-----\n", ca.intermediatePEM, leaf.keyPEM, "certificate_pem", "certificate"},
		{"two certificates as leaf", leaf.certPEM + ca.intermediatePEM, ca.intermediatePEM, leaf.keyPEM, "certificate_pem", "found 2 certificates"},
		{"key in certificate_pem", leaf.keyPEM, ca.intermediatePEM, leaf.keyPEM, "certificate_pem", `"PRIVATE KEY"`},
		{"key in chain", leaf.certPEM, ca.intermediatePEM + leaf.keyPEM, leaf.keyPEM, "certificate_chain_pem", `only CERTIFICATE blocks`},
		{"mismatched key", leaf.certPEM, ca.intermediatePEM, other.keyPEM, "private_key_pem", "does not match"},
		{"certificate as key", leaf.certPEM, ca.intermediatePEM, leaf.certPEM, "private_key_pem", "where a private key belongs"},
		{"encrypted key", leaf.certPEM, ca.intermediatePEM, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n", "private_key_pem", "encrypted"},
		{"legacy encrypted key", leaf.certPEM, ca.intermediatePEM, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIB\n-----END RSA PRIVATE KEY-----\n", "private_key_pem", "encrypted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, problems := checkMaterial(tc.cert, tc.chain, tc.key, "private_key_pem")
			if m != nil || len(problems) == 0 {
				t.Fatal("expected a problem")
			}
			p := problems[0]
			if p.attribute != tc.attr || !strings.Contains(p.summary+" "+p.detail, tc.want) {
				t.Fatalf("got %s: %s: %s; want attribute %s mentioning %q", p.attribute, p.summary, p.detail, tc.attr, tc.want)
			}
		})
	}
}

func TestChainSemanticEquality(t *testing.T) {
	ca := testCertificateAuthority(t)
	// The root is optional on either side.
	if !pemSemanticallyEqual(pemChain, ca.intermediatePEM, ca.intermediatePEM+ca.rootPEM) ||
		!pemSemanticallyEqual(pemChain, ca.intermediatePEM+ca.rootPEM, ca.intermediatePEM) {
		t.Fatal("a trailing root must not make a difference, on either side")
	}
	if pemSemanticallyEqual(pemChain, ca.intermediatePEM, ca.rootPEM) || pemSemanticallyEqual(pemChain, ca.rootPEM, ca.intermediatePEM) {
		t.Fatal("different chains compared equal")
	}
	renewed, err := ca.RenewedIntermediatePEM()
	if err != nil {
		t.Fatal(err)
	}
	if pemSemanticallyEqual(pemChain, ca.intermediatePEM, renewed) || pemSemanticallyEqual(pemChain, renewed+ca.rootPEM, ca.intermediatePEM+ca.rootPEM) {
		t.Fatal("a renewed intermediate compared equal to the old one")
	}
	if pemSemanticallyEqual(pemCertificate, ca.intermediatePEM, ca.intermediatePEM+ca.rootPEM) {
		t.Fatal("certificates are compared exactly")
	}
}

// What the service refuses in a chain is caught before anything is sent (API doc §8).
func TestChainProblem(t *testing.T) {
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "chain.example.com", nil)
	other, err := testcert.NewCA("Unrelated")
	if err != nil {
		t.Fatal(err)
	}
	certs := func(pems ...string) []*x509.Certificate {
		out, err := parseCertificates(strings.Join(pems, ""))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		chain []*x509.Certificate
		want  string // "" = accepted
	}{
		{"intermediate", certs(ca.intermediatePEM), ""},
		{"intermediate and root", certs(ca.intermediatePEM, ca.rootPEM), ""},
		{"intermediate twice", certs(ca.intermediatePEM, ca.intermediatePEM), "Certificates 1 and 2 of the chain are the same certificate"},
		{"root repeated", certs(ca.intermediatePEM, ca.rootPEM, ca.rootPEM), "Certificates 2 and 3 of the chain are the same certificate"},
		{"the leaf itself", certs(leaf.certPEM, ca.intermediatePEM), "is the server certificate itself"},
		{"the leaf after the intermediate", certs(ca.intermediatePEM, leaf.certPEM), "Certificate 2 of the chain is the server certificate itself"},
		{"unrelated CA", certs(other.IntermediatePEM), "did not issue the server certificate"},
		{"root first", certs(ca.rootPEM, ca.intermediatePEM), "did not issue the server certificate"},
	} {
		if got := chainProblem(leaf.cert, tc.chain); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: chainProblem = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestValidityProblem(t *testing.T) {
	ca := testCertificateAuthority(t)
	now := time.Now()
	for _, tc := range []struct {
		name string
		leaf testLeaf
		want validity
		says string
	}{
		{"expired", ca.issue(t, "old.example.com", nil, leafOptions{notBefore: now.Add(-48 * time.Hour), notAfter: now.Add(-time.Hour)}), expired, "expired at"},
		{"soon", ca.issue(t, "soon.example.com", nil, leafOptions{notAfter: now.Add(10*24*time.Hour + time.Hour)}), expiresSoon, "(in 10 days)"},
		{"not valid yet", ca.issue(t, "future.example.com", nil, leafOptions{notBefore: now.Add(48 * time.Hour)}), notValidYet, "is valid only from " + now.Add(48 * time.Hour).UTC().Format(time.RFC3339)[:13]},
		{"fine", ca.issue(t, "fine.example.com", nil), validNow, ""},
	} {
		if v, d := validityProblem(tc.leaf.cert, now); v != tc.want || !strings.Contains(d, tc.says) {
			t.Errorf("%s: %v %q, want %v with %q", tc.name, v, d, tc.want, tc.says)
		}
	}
}

func TestGenerateName(t *testing.T) {
	for _, prefix := range []string{"", "web-", "a", "abcdefghijkl", "abcdefghijklm", "abcdefghijklmnop"} {
		n := generateName(prefix)
		if !nameRegexp.MatchString(n) {
			t.Fatalf("generated name %q breaks the name rule", n)
		}
		want := prefix
		if want == "" {
			want = defaultNamePrefix
		}
		// The whole suffix while it fits, else as much as the name rule leaves.
		wantLen := min(len(want)+generatedSuffixLen, nameMaxLength)
		if !strings.HasPrefix(n, want) || len(n) != wantLen {
			t.Fatalf("generated name %q for prefix %q: want %d characters", n, prefix, wantLen)
		}
	}
	if a, b := generateName("x"), generateName("x"); a == b {
		t.Fatal("generated names must differ")
	}
}

// The framework logs values through String(): a PEM must never show there, whatever the
// kind, and however the value was built (the framework builds it from Terraform's value).
func TestPEMValueStringHidesContent(t *testing.T) {
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "log.example.com", nil)
	for _, tc := range []struct {
		typ     pemType
		text    string
		secrets []string
	}{
		{privateKeyPEMType, leaf.keyPEM, []string{"PRIVATE KEY", keyBody(leaf.keyPEM)}},
		{certificatePEMType, leaf.certPEM, []string{"CERTIFICATE", keyBody(leaf.certPEM)}},
		{chainPEMType, ca.intermediatePEM, []string{"CERTIFICATE", keyBody(ca.intermediatePEM)}},
	} {
		v, err := tc.typ.ValueFromTerraform(context.Background(), tftypes.NewValue(tftypes.String, tc.text))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{v.String(), fmt.Sprint(v), fmt.Sprintf("%v", v)} {
			for _, secret := range tc.secrets {
				if strings.Contains(s, secret[:min(len(secret), 40)]) {
					t.Errorf("%s: String() shows %q: %s", tc.typ, secret[:min(len(secret), 40)], s)
				}
			}
		}
		if strings.TrimSpace(v.String()) == "" || v.String() == newPEMValue(tc.typ.kind, "").String() {
			t.Errorf("%s: String() %q does not tell a set value from an empty one", tc.typ, v.String())
		}
	}
}

// The external certificate's warnings at their limits, one second either side: expired
// strictly after not_after, not valid yet strictly before not_before, and "expires soon"
// from exactly 30 days before not_after (the same inclusive window as expiring_within_days).
func TestValidityProblemBoundaries(t *testing.T) {
	ca := testCertificateAuthority(t)
	notBefore := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	notAfter := notBefore.AddDate(1, 0, 0)
	leaf := ca.issue(t, "edge.example.com", nil, leafOptions{notBefore: notBefore, notAfter: notAfter}).cert
	if !leaf.NotBefore.Equal(notBefore) || !leaf.NotAfter.Equal(notAfter) {
		t.Fatalf("leaf dates %s..%s", leaf.NotBefore, leaf.NotAfter)
	}
	sec := time.Second
	soon := notAfter.Add(-expiryWarningWindow)
	for _, tc := range []struct {
		what string
		now  time.Time
		want validity
	}{
		{"one second before not_before", notBefore.Add(-sec), notValidYet},
		{"exactly not_before", notBefore, validNow},
		{"one second after not_before", notBefore.Add(sec), validNow},
		{"one second before the 30-day window", soon.Add(-sec), validNow},
		{"exactly 30 days before not_after", soon, expiresSoon},
		{"one second into the 30-day window", soon.Add(sec), expiresSoon},
		{"one second before not_after", notAfter.Add(-sec), expiresSoon},
		{"exactly not_after", notAfter, expiresSoon},
		{"one second after not_after", notAfter.Add(sec), expired},
	} {
		if got, detail := validityProblem(leaf, tc.now); got != tc.want {
			t.Errorf("%s (now %s): %v %q, want %v", tc.what, tc.now.Format(time.RFC3339), got, detail, tc.want)
		}
	}
	if _, detail := validityProblem(leaf, soon); !strings.Contains(detail, "(in 30 days)") {
		t.Errorf("at the window's start: %q", detail)
	}
}
