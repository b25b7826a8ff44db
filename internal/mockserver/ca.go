package mockserver

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// issuedValidity is the lifetime of the certificates the mock's CA issues (Cloud Basic and
// Global Edge alike): 90 days from the moment validation completed.
const issuedValidity = 90 * 24 * time.Hour

// caName is the organisation in the mock CA's names.
const caName = "ncloudcert-mock"

// authority is the mock's CA: a root and an intermediate that signs the leaves. It is
// immutable once built, so it is used without locks.
type authority struct {
	root, intermediate       *x509.Certificate
	rootPEM, intermediatePEM string
	rootKeyPEM, intKeyPEM    string // PKCS#8, for the state file
	intKey                   crypto.Signer
}

// newAuthority mints a root (20 years) and an intermediate (10 years), both ECDSA P-256.
func newAuthority(now time.Time) (*authority, error) {
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	intKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	start := now.Add(-time.Hour).Truncate(time.Second)
	rootTmpl := &x509.Certificate{
		Subject:   pkix.Name{CommonName: caName + " Root CA", Organization: []string{caName}},
		NotBefore: start, NotAfter: start.AddDate(20, 0, 0),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	root, err := signCertificate(rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	if err != nil {
		return nil, err
	}
	intermediate, err := signCertificate(&x509.Certificate{
		Subject:   pkix.Name{CommonName: caName + " Intermediate CA", Organization: []string{caName}},
		NotBefore: start, NotAfter: start.AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage:    x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}, root, intKey.Public(), rootKey)
	if err != nil {
		return nil, err
	}
	rootKeyPEM, err := privateKeyPEM(rootKey)
	if err != nil {
		return nil, err
	}
	intKeyPEM, err := privateKeyPEM(intKey)
	if err != nil {
		return nil, err
	}
	return &authority{
		root: root, intermediate: intermediate,
		rootPEM: encodeBlock("CERTIFICATE", root.Raw), intermediatePEM: encodeBlock("CERTIFICATE", intermediate.Raw),
		rootKeyPEM: rootKeyPEM, intKeyPEM: intKeyPEM, intKey: intKey,
	}, nil
}

// loadAuthority rebuilds the CA from its persisted PEM; the intermediate must be signed by
// the root and its key must match.
func loadAuthority(rootPEM, rootKeyPEM, intPEM, intKeyPEM string) (*authority, error) {
	parseCert := func(text string) (*x509.Certificate, error) {
		blocks, err := decodeBlocks(text)
		if err != nil || len(blocks) != 1 || blocks[0].Type != "CERTIFICATE" {
			return nil, errors.New("not one PEM certificate")
		}
		return x509.ParseCertificate(blocks[0].Bytes)
	}
	root, err := parseCert(rootPEM)
	if err != nil {
		return nil, fmt.Errorf("CA root: %w", err)
	}
	intermediate, err := parseCert(intPEM)
	if err != nil {
		return nil, fmt.Errorf("CA intermediate: %w", err)
	}
	if !issuedBy(intermediate, root) {
		return nil, errors.New("CA intermediate is not signed by the root")
	}
	if _, _, err := parsePrivateKey(rootKeyPEM); err != nil {
		return nil, fmt.Errorf("CA root key: %w", err)
	}
	intKey, _, err := parsePrivateKey(intKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("CA intermediate key: %w", err)
	}
	pub, ok := intermediate.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(intKey.Public()) {
		return nil, errors.New("CA intermediate key does not match its certificate")
	}
	return &authority{
		root: root, intermediate: intermediate,
		rootPEM: encodeBlock("CERTIFICATE", root.Raw), intermediatePEM: encodeBlock("CERTIFICATE", intermediate.Raw),
		rootKeyPEM: rootKeyPEM, intKeyPEM: intKeyPEM, intKey: intKey,
	}, nil
}

// chain is the chain the CA's leaves carry: the intermediate, then the root.
func (a *authority) chain() []string { return []string{a.intermediatePEM, a.rootPEM} }

// issue signs a server certificate for commonName and names (the SANs, common name first)
// valid from notBefore, with a fresh ECDSA P-256 key. It returns the canonical material
// (PKCS#8 key, leaf, chain) and the leaf's metadata.
func (a *authority) issue(commonName string, names []string, notBefore time.Time) (material, certMeta, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return material{}, certMeta{}, err
	}
	m, meta, err := a.sign(key.Public(), commonName, names, notBefore, issuedValidity)
	if err != nil {
		return material{}, certMeta{}, err
	}
	if m.KeyPEM, err = privateKeyPEM(key); err != nil {
		return material{}, certMeta{}, err
	}
	return m, meta, nil
}

// sign signs a server certificate for pub (no private key in the material: Advanced
// certificates from a customer CSR).
func (a *authority) sign(pub crypto.PublicKey, commonName string, names []string, notBefore time.Time, validity time.Duration) (material, certMeta, error) {
	notBefore = notBefore.Truncate(time.Second)
	leaf, err := signCertificate(&x509.Certificate{
		Subject:   pkix.Name{CommonName: commonName},
		DNSNames:  names,
		NotBefore: notBefore, NotAfter: notBefore.Add(validity),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, a.intermediate, pub, a.intKey)
	if err != nil {
		return material{}, certMeta{}, err
	}
	m := material{CertPEM: encodeBlock("CERTIFICATE", leaf.Raw), Chain: a.chain()}
	return m, describe(leaf), nil
}

// signCertificate gives tmpl a random positive 127-bit serial and signs it with signer as
// parent (tmpl itself for a root).
func signCertificate(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial.Add(serial, big.NewInt(1))
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func privateKeyPEM(key crypto.Signer) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	return encodeBlock("PRIVATE KEY", der), nil
}
