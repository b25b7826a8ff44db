// Command democert writes a throwaway certificate authority and leaf
// certificates with their private keys, as PEM files, for the demo and the
// benchmark. Nothing it writes is trusted anywhere.
//
//	go run ./scripts/democert -out DIR                # ca.pem, cert.pem, key.pem
//	go run ./scripts/democert -out DIR -count 200     # ca.pem, cert-0.pem … cert-199.pem, key-0.pem …
//
// ca.pem doubles as the certificate chain (certificate_chain_pem).
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

func main() {
	out := flag.String("out", "", "directory to write the PEM files to (created if missing)")
	count := flag.Int("count", 0, "write this many numbered leaves (cert-N.pem, key-N.pem) instead of one cert.pem/key.pem")
	domain := flag.String("domain", "demo.example.com", "common name of the single leaf; numbered leaves use app-N.<domain>")
	days := flag.Int("days", 90, "validity of the leaves, in days")
	flag.Parse()

	if err := run(*out, *count, *domain, *days); err != nil {
		fmt.Fprintln(os.Stderr, "democert:", err)
		os.Exit(1)
	}
}

func run(out string, count int, domain string, days int) error {
	if out == "" {
		return errors.New("-out is required")
	}
	if count < 0 {
		return errors.New("-count must not be negative")
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return err
	}

	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	caTemplate := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "ncloudcert Demo CA", Organization: []string{"ncloudcert demo"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, caKey.Public(), caKey)
	if err != nil {
		return err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	if err := writePEM(filepath.Join(out, "ca.pem"), "CERTIFICATE", caDER); err != nil {
		return err
	}

	issue := func(commonName, certFile, keyFile string) error {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		template := &x509.Certificate{
			SerialNumber: serial(),
			Subject:      pkix.Name{CommonName: commonName, Organization: []string{"ncloudcert demo"}},
			DNSNames:     []string{commonName, "www." + commonName},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.AddDate(0, 0, days),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		der, err := x509.CreateCertificate(rand.Reader, template, ca, key.Public(), caKey)
		if err != nil {
			return err
		}
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return err
		}
		if err := writePEM(filepath.Join(out, certFile), "CERTIFICATE", der); err != nil {
			return err
		}
		return writePEM(filepath.Join(out, keyFile), "PRIVATE KEY", keyDER)
	}

	if count == 0 {
		return issue(domain, "cert.pem", "key.pem")
	}
	for i := range count {
		if err := issue(fmt.Sprintf("app-%d.%s", i, domain), fmt.Sprintf("cert-%d.pem", i), fmt.Sprintf("key-%d.pem", i)); err != nil {
			return err
		}
	}
	return nil
}

// serial returns a random positive 128-bit serial number.
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		panic(err)
	}
	return n.Add(n, big.NewInt(1))
}

func writePEM(path, blockType string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), 0o600)
}
