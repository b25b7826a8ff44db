// Package testcert mints real X.509 material for tests, the demo and benchmarks: a root,
// an intermediate, and leaves issued by it. Nothing it makes is trusted anywhere.
package testcert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// CA is a root and an intermediate that issues leaves.
type CA struct {
	Root, Intermediate       *x509.Certificate
	RootPEM, IntermediatePEM string
	rootKey, intermediateKey crypto.Signer
}

// Leaf is an issued certificate with its key.
type Leaf struct {
	Cert    *x509.Certificate
	CertPEM string
	Key     crypto.Signer
	KeyPEM  string // PKCS#8 unless LeafOptions.KeyEncoding says otherwise
}

// KeyEncoding selects how a leaf's key is written.
type KeyEncoding int

const (
	PKCS8  KeyEncoding = iota // "PRIVATE KEY"
	Legacy                    // PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC PRIVATE KEY"
)

// LeafOptions adjust an issued leaf; zero values take 90 days from an hour ago, ECDSA P-256.
type LeafOptions struct {
	DNSNames            []string // added after the common name
	NotBefore, NotAfter time.Time
	RSA                 bool // RSA 2048 instead of ECDSA P-256
	Key                 crypto.Signer
	KeyEncoding         KeyEncoding
}

// NewCA makes a root (10 years) and an intermediate (5 years), both ECDSA P-256.
func NewCA(name string) (*CA, error) {
	now := time.Now()
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	root, err := create(&x509.Certificate{
		Subject:   pkix.Name{CommonName: name + " Root", Organization: []string{name}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, nil, rootKey.Public(), rootKey)
	if err != nil {
		return nil, err
	}
	intKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	intermediate, err := create(&x509.Certificate{
		Subject:   pkix.Name{CommonName: name + " Intermediate", Organization: []string{name}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, root, intKey.Public(), rootKey)
	if err != nil {
		return nil, err
	}
	return &CA{
		Root: root, Intermediate: intermediate, RootPEM: CertificatePEM(root), IntermediatePEM: CertificatePEM(intermediate),
		rootKey: rootKey, intermediateKey: intKey,
	}, nil
}

// Issue signs a server certificate for commonName (also its first SAN) with the intermediate.
func (ca *CA) Issue(commonName string, o LeafOptions) (Leaf, error) {
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-time.Hour)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = o.NotBefore.Add(90 * 24 * time.Hour)
	}
	key := o.Key
	var err error
	switch {
	case key != nil:
	case o.RSA:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		return Leaf{}, err
	}
	var sans []string
	if commonName != "" {
		sans = append(sans, commonName)
	}
	cert, err := create(&x509.Certificate{
		Subject:   pkix.Name{CommonName: commonName},
		DNSNames:  append(sans, o.DNSNames...),
		NotBefore: o.NotBefore, NotAfter: o.NotAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca.Intermediate, key.Public(), ca.intermediateKey)
	if err != nil {
		return Leaf{}, err
	}
	keyPEM, err := PrivateKeyPEM(key, o.KeyEncoding)
	if err != nil {
		return Leaf{}, err
	}
	return Leaf{Cert: cert, CertPEM: CertificatePEM(cert), Key: key, KeyPEM: keyPEM}, nil
}

// RenewedIntermediatePEM is the intermediate issued again by the root: same subject and
// key, new serial and validity. Leaves still chain to it: a chain-only change, as when a
// CA renews its intermediate.
func (ca *CA) RenewedIntermediatePEM() (string, error) {
	now := time.Now()
	tmpl := *ca.Intermediate
	tmpl.SerialNumber = nil
	tmpl.NotBefore, tmpl.NotAfter = now.Add(-time.Minute), now.AddDate(6, 0, 0)
	c, err := create(&tmpl, ca.Root, ca.intermediateKey.Public(), ca.rootKey)
	if err != nil {
		return "", err
	}
	return CertificatePEM(c), nil
}

// ChainPEM is the intermediate then the root.
func (ca *CA) ChainPEM() string { return ca.IntermediatePEM + ca.RootPEM }

// CertificatePEM encodes a certificate.
func CertificatePEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// PrivateKeyPEM encodes a key as PKCS#8, or in its legacy form (PKCS#1 / SEC1).
func PrivateKeyPEM(key crypto.Signer, enc KeyEncoding) (string, error) {
	var block *pem.Block
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if enc == Legacy {
			block = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}
		}
	case *ecdsa.PrivateKey:
		if enc == Legacy {
			der, err := x509.MarshalECPrivateKey(k)
			if err != nil {
				return "", err
			}
			block = &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
		}
	}
	if block == nil {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return "", fmt.Errorf("encoding %T: %w", key, err)
		}
		block = &pem.Block{Type: "PRIVATE KEY", Bytes: der}
	}
	return string(pem.EncodeToMemory(block)), nil
}

func create(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial.Add(serial, big.NewInt(1))
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// CSR makes an ECDSA P-256 key and a certificate signing request for commonName and
// dnsNames (the SANs), returning the CSR and the key in PEM (the key PKCS#8).
func CSR(commonName string, dnsNames ...string) (csrPEM, keyPEM string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: commonName}, DNSNames: dnsNames,
	}, key)
	if err != nil {
		return "", "", err
	}
	keyPEM, err = PrivateKeyPEM(key, PKCS8)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})), keyPEM, nil
}
