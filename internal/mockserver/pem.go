package mockserver

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"time"
)

// material is the uploaded PEM, re-encoded canonically ("\n" line endings, no headers).
type material struct {
	KeyPEM  string   // the private key block
	CertPEM string   // the leaf certificate block
	Chain   []string // one certificate block per chain entry, in upload order
}

// chainPEM is the chain as one PEM text.
func (m material) chainPEM() string { return strings.Join(m.Chain, "") }

// certMeta is what the mock reports about a leaf; it is computed once, at upload or load.
type certMeta struct {
	CommonName    string
	DNSNames      []string
	SerialNumber  string // uppercase hex, no separators
	Issuer        string
	Subject       string
	SignatureAlg  string
	PublicKeyInfo string
	NotBefore     time.Time
	NotAfter      time.Time

	// Pre-rendered forms, so large lists do not format them per request.
	dnsNameText   string // SANs comma-separated
	notBeforeText string // formatDate(NotBefore)
	notAfterText  string // formatDate(NotAfter)
}

// parseUpload validates an upload exactly as the service does and returns the canonical
// material and the leaf's metadata. Errors are *codeError values (1002, 26034, 26040).
// Expiry is not checked here (see checkNotExpired) so stored state can be reloaded; the
// other rules do not depend on time, so anything the mock stored passes them again.
func parseUpload(keyText, certText, chainText string) (material, certMeta, error) {
	key, keyPEM, err := parsePrivateKey(keyText)
	if err != nil {
		return material{}, certMeta{}, err
	}
	leafBlocks, err := decodeBlocks(certText)
	if err != nil {
		return material{}, certMeta{}, err
	}
	if leafBlocks[0].Type != "CERTIFICATE" {
		return material{}, certMeta{}, errBadPEM
	}
	if len(leafBlocks) != 1 {
		return material{}, certMeta{}, errInvalidCertificate
	}
	leaf, err := x509.ParseCertificate(leafBlocks[0].Bytes)
	if err != nil {
		return material{}, certMeta{}, errInvalidCertificate
	}
	chain, err := parseChain(chainText, leaf)
	if err != nil {
		return material{}, certMeta{}, err
	}
	pub, ok := leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(key.Public()) {
		return material{}, certMeta{}, errKeyMismatch
	}
	m := material{KeyPEM: keyPEM, CertPEM: encodeBlock("CERTIFICATE", leaf.Raw)}
	for _, c := range chain {
		m.Chain = append(m.Chain, encodeBlock("CERTIFICATE", c.Raw))
	}
	return m, describe(leaf), nil
}

// parseChain parses the chain field: certificates only, none of them the leaf, and the first
// the leaf's issuer (API doc §8); anything else is 26034. Later entries are not checked:
// §8 asks only that the chain belongs to the leaf.
func parseChain(text string, leaf *x509.Certificate) ([]*x509.Certificate, error) {
	blocks, err := decodeBlocks(text)
	if err != nil {
		return nil, err
	}
	chain := make([]*x509.Certificate, 0, len(blocks))
	for _, b := range blocks {
		if b.Type != "CERTIFICATE" {
			return nil, errInvalidCertificate
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil || c.Equal(leaf) {
			return nil, errInvalidCertificate
		}
		chain = append(chain, c)
	}
	if !issuedBy(leaf, chain[0]) {
		return nil, errInvalidCertificate
	}
	return chain, nil
}

// issuedBy reports whether parent signed c: c's issuer is parent's subject (compared as
// encoded, as Go's own chain building does) and parent's key verifies c's signature.
func issuedBy(c, parent *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, parent.RawSubject) && c.CheckSignatureFrom(parent) == nil
}

// checkNotExpired rejects a leaf that is no longer valid at now (26034).
func checkNotExpired(meta certMeta, now time.Time) error {
	if now.After(meta.NotAfter) {
		return errInvalidCertificate
	}
	return nil
}

// parsePrivateKey accepts one unencrypted PKCS#1, PKCS#8 or SEC1 key (an "EC PARAMETERS"
// block may precede it); anything else is 1002.
func parsePrivateKey(text string) (crypto.Signer, string, error) {
	blocks, err := decodeBlocks(text)
	if err != nil {
		return nil, "", err
	}
	var keyBlocks []*pem.Block
	for _, b := range blocks {
		if b.Type != "EC PARAMETERS" {
			keyBlocks = append(keyBlocks, b)
		}
	}
	if len(keyBlocks) != 1 {
		return nil, "", errBadPEM
	}
	b := keyBlocks[0]
	if strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, "", errBadPEM
	}
	var parsed any
	switch b.Type {
	case "RSA PRIVATE KEY":
		parsed, err = x509.ParsePKCS1PrivateKey(b.Bytes)
	case "PRIVATE KEY":
		parsed, err = x509.ParsePKCS8PrivateKey(b.Bytes)
	case "EC PRIVATE KEY":
		parsed, err = x509.ParseECPrivateKey(b.Bytes)
	default: // includes "ENCRYPTED PRIVATE KEY"
		return nil, "", errBadPEM
	}
	if err != nil {
		return nil, "", errBadPEM
	}
	signer, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, "", errBadPEM
	}
	return signer, encodeBlock(b.Type, b.Bytes), nil
}

// decodeBlocks decodes every PEM block of text, tolerating "\r\n" and surrounding
// whitespace. No block at all, or anything but whitespace around the blocks, is 1002; a
// block repeated inside the text is 26034 (API doc §8, "No duplicates").
func decodeBlocks(text string) ([]*pem.Block, error) {
	rest := []byte(strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n")))
	var blocks []*pem.Block
	for len(rest) > 0 {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, errBadPEM
		}
		blocks = append(blocks, b)
		rest = []byte(strings.TrimSpace(string(rest)))
	}
	if len(blocks) == 0 {
		return nil, errBadPEM
	}
	// Keyed by type and content, so a copy with other line breaks or headers still counts.
	seen := make(map[string]bool, len(blocks))
	for _, b := range blocks {
		k := b.Type + "\x00" + string(b.Bytes)
		if seen[k] {
			return nil, errInvalidCertificate
		}
		seen[k] = true
	}
	return blocks, nil
}

func encodeBlock(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// describe extracts the fields the API reports about a certificate.
func describe(c *x509.Certificate) certMeta {
	cn := c.Subject.CommonName
	if cn == "" && len(c.DNSNames) > 0 {
		cn = c.DNSNames[0]
	}
	return certMeta{
		CommonName:    cn,
		DNSNames:      append([]string(nil), c.DNSNames...),
		SerialNumber:  fmt.Sprintf("%X", c.SerialNumber),
		Issuer:        c.Issuer.String(),
		Subject:       c.Subject.String(),
		SignatureAlg:  c.SignatureAlgorithm.String(),
		PublicKeyInfo: publicKeyInfo(c),
		NotBefore:     c.NotBefore,
		NotAfter:      c.NotAfter,
		dnsNameText:   strings.Join(c.DNSNames, ","),
		notBeforeText: formatDate(c.NotBefore),
		notAfterText:  formatDate(c.NotAfter),
	}
}

// publicKeyInfo renders the key as "RSA 2048", "ECDSA P-256" or "Ed25519".
func publicKeyInfo(c *x509.Certificate) string {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	default:
		return c.PublicKeyAlgorithm.String()
	}
}

// crlf renders PEM text with "\r\n" line endings and no trailing newline, as
// GetCertificateChain does.
func crlf(pemText string) string {
	return strings.ReplaceAll(strings.TrimRight(pemText, "\n"), "\n", "\r\n")
}
