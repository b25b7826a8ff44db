package provider

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // certificate fingerprints
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// All PEM handling of the provider lives here: parsing of messy real-world material,
// canonical re-encoding for the API, and the checks shared by plan and apply.

// pemBlocks decodes every PEM block in s. It tolerates what copy-and-paste and secret
// stores do to PEM: a byte-order mark, \r\n line endings, indented lines, literal "\n"
// escapes in a one-line value, and text around the blocks (openssl's "Bag Attributes").
func pemBlocks(s string) []*pem.Block {
	s = strings.TrimPrefix(s, "\ufeff")
	if !strings.Contains(s, "\n") && strings.Contains(s, `\n`) {
		s = strings.ReplaceAll(s, `\n`, "\n")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	rest := []byte(strings.Join(lines, "\n"))

	var blocks []*pem.Block
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return blocks
		}
		blocks = append(blocks, b)
	}
}

// parsedPEM remembers parsed certificates by their text: one plan validates, refreshes and
// plans each certificate, and parsing X.509 is the costly part of each step. Parsed
// certificates are never modified, so sharing them is safe.
var parsedPEM = struct {
	sync.Mutex
	m map[string]parseResult
}{m: map[string]parseResult{}}

type parseResult struct {
	certs []*x509.Certificate
	err   error
}

// parsedPEMLimit bounds the cache (a few MB); when full it starts over.
const parsedPEMLimit = 8192

// parseCertificates returns every certificate of s in order. Blocks of other types are an
// error naming the type, so a key pasted into a chain is caught at plan time.
func parseCertificates(s string) ([]*x509.Certificate, error) {
	parsedPEM.Lock()
	r, ok := parsedPEM.m[s]
	parsedPEM.Unlock()
	if ok {
		return r.certs, r.err
	}
	certs, err := parseCertificatesUncached(s)
	parsedPEM.Lock()
	if len(parsedPEM.m) >= parsedPEMLimit {
		parsedPEM.m = map[string]parseResult{}
	}
	parsedPEM.m[s] = parseResult{certs, err}
	parsedPEM.Unlock()
	return certs, err
}

func parseCertificatesUncached(s string) ([]*x509.Certificate, error) {
	blocks := pemBlocks(s)
	if len(blocks) == 0 {
		return nil, errors.New("no PEM block found: expected text starting with -----BEGIN CERTIFICATE-----")
	}
	certs := make([]*x509.Certificate, 0, len(blocks))
	for i, b := range blocks {
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("PEM block %d is a %q, only CERTIFICATE blocks belong here", i+1, b.Type)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("PEM block %d is not a valid X.509 certificate: %w", i+1, err)
		}
		certs = append(certs, c)
	}
	return certs, nil
}

// parseLeafCertificate expects exactly one certificate.
func parseLeafCertificate(s string) (*x509.Certificate, error) {
	return parseOneCertificate(s, "put only the server (leaf) certificate here and the intermediates in certificate_chain_pem")
}

// parseOneCertificate expects exactly one certificate; several is an error ending in what
// to do instead (hint), since where the others belong depends on the caller.
func parseOneCertificate(s, hint string) (*x509.Certificate, error) {
	certs, err := parseCertificates(s)
	if err != nil {
		return nil, err
	}
	if len(certs) > 1 {
		return nil, fmt.Errorf("found %d certificates; %s", len(certs), hint)
	}
	return certs[0], nil
}

// keyAlgorithm names a certificate's public key as the service's certPublicKeyInfo does:
// "RSA 2048", "ECDSA P-256", "Ed25519"; another algorithm by its x509 name.
func keyAlgorithm(c *x509.Certificate) string {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return c.PublicKeyAlgorithm.String()
}

// fingerprints are the SHA-1 and SHA-256 digests of the certificate's DER, lower-case hex
// without separators (openssl x509 -fingerprint shows the same digits, upper case with colons).
func fingerprints(c *x509.Certificate) (sha1Hex, sha256Hex string) {
	s1 := sha1.Sum(c.Raw) //nolint:gosec // a fingerprint, not a signature
	s256 := sha256.Sum256(c.Raw)
	return hex.EncodeToString(s1[:]), hex.EncodeToString(s256[:])
}

// parsePrivateKey accepts PKCS#1, PKCS#8 and SEC1 keys, skipping parameter blocks such as
// "EC PARAMETERS" that openssl writes before the key.
func parsePrivateKey(s string) (crypto.Signer, error) {
	blocks := pemBlocks(s)
	if len(blocks) == 0 {
		return nil, errors.New("no PEM block found: expected text starting with -----BEGIN PRIVATE KEY-----")
	}
	var keys []*pem.Block
	for _, b := range blocks {
		switch {
		case b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] == "4,ENCRYPTED":
			return nil, errors.New("the private key is encrypted; the service needs it unencrypted (decrypt it first, e.g. openssl pkey -in key.pem -out plain.pem)")
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			keys = append(keys, b)
		case b.Type == "EC PARAMETERS":
		default:
			return nil, fmt.Errorf("found a %q PEM block where a private key belongs", b.Type)
		}
	}
	if len(keys) != 1 {
		return nil, fmt.Errorf("expected exactly one private key, found %d", len(keys))
	}
	der := keys[0].Bytes
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		if signer, ok := k.(crypto.Signer); ok {
			return signer, nil
		}
		return nil, fmt.Errorf("unsupported private key type %T", k)
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, fmt.Errorf("the %q block is not a valid PKCS#1, PKCS#8 or SEC1 private key", keys[0].Type)
}

// keyMatchesCertificate reports whether key is the private half of cert's public key.
func keyMatchesCertificate(key crypto.Signer, cert *x509.Certificate) bool {
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(cert.PublicKey)
}

// canonicalPEM re-encodes the blocks of s with plain \n endings: what the API receives.
func canonicalPEM(s string) string {
	var buf bytes.Buffer
	for _, b := range pemBlocks(s) {
		_ = pem.Encode(&buf, &pem.Block{Type: b.Type, Bytes: b.Bytes})
	}
	return buf.String()
}

// certificateSerial is the serial in the client's normalized hex form.
func certificateSerial(c *x509.Certificate) string {
	return client.NormalizeSerial(c.SerialNumber.Text(16))
}

// expiryWarningWindow: certificates expiring within this (the limit included) get a plan-time warning.
const expiryWarningWindow = 30 * 24 * time.Hour

// certificateMaterial is a parsed, checked set of external certificate inputs.
type certificateMaterial struct {
	leaf  *x509.Certificate
	chain []*x509.Certificate
}

// materialProblem is one failed check, tied to the attribute that is wrong.
type materialProblem struct {
	attribute string
	summary   string
	detail    string
}

// checkMaterial parses and cross-checks the inputs; key may be "" when it is not known
// (write-only value absent, or unknown until apply). It never contacts the service.
func checkMaterial(certPEM, chainPEM, keyPEM, keyAttr string) (*certificateMaterial, []materialProblem) {
	var problems []materialProblem
	m := &certificateMaterial{}
	leaf, err := parseLeafCertificate(certPEM)
	if err != nil {
		problems = append(problems, materialProblem{"certificate_pem", "Invalid certificate PEM", err.Error()})
	} else {
		m.leaf = leaf
	}
	chain, err := parseCertificates(chainPEM)
	if err != nil {
		problems = append(problems, materialProblem{"certificate_chain_pem", "Invalid certificate chain PEM", err.Error()})
	} else if p := chainProblem(m.leaf, chain); p != "" {
		problems = append(problems, materialProblem{"certificate_chain_pem", "Certificate chain does not fit the certificate", p})
	} else {
		m.chain = chain
	}
	if keyPEM != "" {
		key, err := parsePrivateKey(keyPEM)
		switch {
		case err != nil:
			problems = append(problems, materialProblem{keyAttr, "Invalid private key PEM", err.Error()})
		case m.leaf != nil && !keyMatchesCertificate(key, m.leaf):
			problems = append(problems, materialProblem{keyAttr, "Private key does not match the certificate",
				fmt.Sprintf("The private key is not the key of the certificate for %q (serial %s). Check that the key and certificate_pem come from the same issuance.", m.leaf.Subject.CommonName, certificateSerial(m.leaf))})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return m, nil
}

// chainProblem checks what the service checks of a chain (API doc §8): no certificate
// repeated, the leaf never repeated, and the first certificate the leaf's issuer. leaf may
// be nil when it did not parse.
func chainProblem(leaf *x509.Certificate, chain []*x509.Certificate) string {
	seen := make(map[string]int, len(chain))
	for i, c := range chain {
		if leaf != nil && bytes.Equal(c.Raw, leaf.Raw) {
			return fmt.Sprintf("Certificate %d of the chain is the server certificate itself; the chain holds only the certificates that issued it (intermediates, optionally the root).", i+1)
		}
		if j, dup := seen[string(c.Raw)]; dup {
			return fmt.Sprintf("Certificates %d and %d of the chain are the same certificate (%q); the service refuses repeated certificates. Keep one.", j+1, i+1, c.Subject.CommonName)
		}
		seen[string(c.Raw)] = i
	}
	if leaf != nil && !issuedBy(leaf, chain[0]) {
		return fmt.Sprintf("The first certificate of the chain (%q) did not issue the server certificate, whose issuer is %q. Put the leaf's issuing intermediate first (then its issuers), and check that the chain belongs to this certificate.",
			chain[0].Subject.String(), leaf.Issuer.String())
	}
	return ""
}

// issuedBy reports whether issuer signed cert.
func issuedBy(cert, issuer *x509.Certificate) bool {
	return bytes.Equal(cert.RawIssuer, issuer.RawSubject) && cert.CheckSignatureFrom(issuer) == nil
}

// validity is what a certificate's dates mean for registering it now.
type validity int

const (
	validNow    validity = iota
	expired              // an error when sending, a warning otherwise
	expiresSoon          // within expiryWarningWindow: a warning
	notValidYet          // notBefore in the future: a warning (clients would refuse it until then)
)

// validityProblem says whether a certificate is expired, expires soon or is not valid yet,
// with a detail for the diagnostic.
func validityProblem(c *x509.Certificate, now time.Time) (validity, string) {
	cn := c.Subject.CommonName
	switch {
	case now.After(c.NotAfter):
		return expired, fmt.Sprintf("The certificate for %q expired at %s. Renew it with its issuer and supply the new certificate_pem.", cn, c.NotAfter.UTC().Format(time.RFC3339))
	case now.Before(c.NotBefore):
		return notValidYet, fmt.Sprintf("The certificate for %q is valid only from %s: until then, clients of the instances that use it will refuse it. Check the issuer's clock, or wait before pointing instances at it.", cn, c.NotBefore.UTC().Format(time.RFC3339))
	case c.NotAfter.Sub(now) <= expiryWarningWindow: // from exactly 30 days before, as expiring_within_days
		days := int(c.NotAfter.Sub(now).Hours() / 24)
		return expiresSoon, fmt.Sprintf("The certificate for %q expires at %s (in %d days). Renew it soon and update certificate_pem: the change renews it in place.", cn, c.NotAfter.UTC().Format(time.RFC3339), days)
	}
	return validNow, ""
}
