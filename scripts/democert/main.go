// Command democert writes a throwaway certificate authority and leaf
// certificates with their private keys, as PEM files, for the demo and the
// benchmark. Nothing it writes is trusted anywhere.
//
//	go run ./scripts/democert -out DIR                # ca.pem, cert.pem, key.pem
//	go run ./scripts/democert -out DIR -count 200     # ca.pem, cert-0.pem … cert-199.pem, key-0.pem …
//	go run ./scripts/democert -out DIR -csr www.example.com,api.example.com
//	                                                  # also order.csr and order-key.pem
//
// ca.pem holds the intermediate and the root: the certificate chain (certificate_chain_pem).
// With -csr it also writes a certificate signing request (order.csr, the first name as its
// common name, every name as a DNS SAN) and its key (order-key.pem), for an Advanced order
// (ncloudcert_advanced_order), whose certificate the service issues from the CSR.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

func main() {
	out := flag.String("out", "", "directory to write the PEM files to (created if missing)")
	count := flag.Int("count", 0, "write this many numbered leaves (cert-N.pem, key-N.pem) instead of one cert.pem/key.pem")
	domain := flag.String("domain", "demo.example.com", "common name of the single leaf; numbered leaves use app-N.<domain>")
	days := flag.Int("days", 90, "validity of the leaves, in days")
	csr := flag.String("csr", "", "comma-separated names: also write order.csr (the first name its common name) and order-key.pem")
	flag.Parse()

	if err := run(*out, *count, *domain, *days); err != nil {
		fmt.Fprintln(os.Stderr, "democert:", err)
		os.Exit(1)
	}
	if *csr != "" {
		if err := writeCSR(*out, strings.Split(*csr, ",")); err != nil {
			fmt.Fprintln(os.Stderr, "democert:", err)
			os.Exit(1)
		}
	}
}

// writeCSR writes order.csr, a CSR for names (the first its common name, all of them DNS
// SANs), and order-key.pem, the key it was made with.
func writeCSR(out string, names []string) error {
	for i, n := range names {
		names[i] = strings.TrimSpace(n)
		if names[i] == "" {
			return errors.New("-csr: empty name")
		}
	}
	csrPEM, keyPEM, err := testcert.CSR(names[0], names...)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "order.csr"), []byte(csrPEM), 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "order-key.pem"), []byte(keyPEM), 0o600)
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
	ca, err := testcert.NewCA("ncloudcert Demo")
	if err != nil {
		return err
	}
	// The intermediate then the root: what certificate_chain_pem takes.
	if err := os.WriteFile(filepath.Join(out, "ca.pem"), []byte(ca.ChainPEM()), 0o600); err != nil {
		return err
	}

	issue := func(commonName, certFile, keyFile string) error {
		leaf, err := ca.Issue(commonName, testcert.LeafOptions{
			DNSNames: []string{"www." + commonName},
			NotAfter: time.Now().AddDate(0, 0, days),
		})
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, certFile), []byte(leaf.CertPEM), 0o600); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, keyFile), []byte(leaf.KeyPEM), 0o600)
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
