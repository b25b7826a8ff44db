package client

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

const opDownloadCertificate = "DownloadCertificate"

// Bounds on the downloaded ZIP: a certificate, its chain and a key are a few KB.
const (
	maxZipFiles    = 64
	maxZipFileSize = 1 << 20
)

// CertificateFiles is the material of a downloaded certificate, PEM-encoded with "\n" line
// endings.
type CertificateFiles struct {
	CertificatePEM string // the leaf
	ChainPEM       string // the rest, from the leaf's issuer towards the root; "" when none
	PrivateKeyPEM  string // only for keys the service generated (Cloud Basic, Global Edge); else ""
}

// String never shows the private key, so that a stray %v cannot log it.
func (f CertificateFiles) String() string {
	return fmt.Sprintf("CertificateFiles{certificate: %d bytes, chain: %d bytes, private key: %t}",
		len(f.CertificatePEM), len(f.ChainPEM), f.PrivateKeyPEM != "")
}

// GoString is String for %#v.
func (f CertificateFiles) GoString() string { return f.String() }

// DownloadCertificate is v2 DownloadCertificate: the ZIP of an issued certificate, parsed
// by PEM block type whatever the file names (API doc §8): the leaf, its chain and any
// private key. A POST, but it changes nothing, so it is retried like a read. A certificate
// not issued yet answers an *APIError (the mock: HTTP 400, 2000).
func (c *Client) DownloadCertificate(ctx context.Context, no int64) (*CertificateFiles, error) {
	var body []byte
	cl := call{op: opDownloadCertificate, method: http.MethodPost,
		path:   "/api/v2/certificate/exportCertificate/" + strconv.FormatInt(no, 10),
		body:   struct{}{}, // the body is mandatory: {} when there is nothing to say
		accept: "application/zip", raw: true, idempotent: true}
	if _, err := c.do(ctx, cl, &body); err != nil {
		return nil, err
	}
	files, err := parseCertificateZip(body)
	if err != nil {
		return nil, &UnreadableDownloadError{Err: fmt.Errorf("%s of certificate %d: %w", opDownloadCertificate, no, err)}
	}
	return files, nil
}

// UnreadableDownloadError: DownloadCertificate succeeded, but its file is not a ZIP holding a
// certificate (a problem of the answer, not of the request).
type UnreadableDownloadError struct{ Err error }

func (e *UnreadableDownloadError) Error() string { return e.Err.Error() }

func (e *UnreadableDownloadError) Unwrap() error { return e.Err }

// IsUnreadableDownload reports an *UnreadableDownloadError.
func IsUnreadableDownload(err error) bool {
	var e *UnreadableDownloadError
	return errors.As(err, &e)
}

// parseCertificateZip collects the PEM blocks of every file in the ZIP (in archive order)
// and sorts them by type. Errors never quote file contents (a private key may be there).
func parseCertificateZip(b []byte) (*CertificateFiles, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("the answer is not a readable ZIP file (%d bytes): %w", len(b), err)
	}
	if len(zr.File) > maxZipFiles {
		return nil, fmt.Errorf("the ZIP file holds %d files, more than the %d expected", len(zr.File), maxZipFiles)
	}
	var certs []*pem.Block
	var key *pem.Block
	seen := map[string]bool{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		data, err := readZipFile(f)
		if err != nil {
			return nil, err
		}
		for rest := data; ; {
			var block *pem.Block
			if block, rest = pem.Decode(rest); block == nil {
				break
			}
			switch {
			case block.Type == "CERTIFICATE":
				if !seen[string(block.Bytes)] { // a full chain file may repeat the leaf file
					seen[string(block.Bytes)] = true
					certs = append(certs, block)
				}
			case strings.HasSuffix(block.Type, "PRIVATE KEY") && key == nil:
				key = block
			}
		}
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("the ZIP file (%s) holds no PEM certificate", zipNames(zr))
	}
	leaf, chain := orderChain(certs)
	out := &CertificateFiles{CertificatePEM: string(pem.EncodeToMemory(leaf))}
	var sb strings.Builder
	for _, b := range chain {
		sb.Write(pem.EncodeToMemory(b))
	}
	out.ChainPEM = sb.String()
	if key != nil {
		out.PrivateKeyPEM = string(pem.EncodeToMemory(key))
	}
	return out, nil
}

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("reading %q in the ZIP file: %w", f.Name, err)
	}
	defer func() { _ = rc.Close() }()
	data, err := io.ReadAll(io.LimitReader(rc, maxZipFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %q in the ZIP file: %w", f.Name, err)
	}
	if len(data) > maxZipFileSize {
		return nil, fmt.Errorf("%q in the ZIP file is larger than %d bytes", f.Name, maxZipFileSize)
	}
	return data, nil
}

func zipNames(zr *zip.Reader) string {
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// orderChain picks the leaf, the one certificate that issued none of the others (preferring
// a non-CA, then the first in archive order), and orders the rest from the leaf's issuer up
// by subject/issuer, then anything left over in archive order (nothing is dropped).
func orderChain(blocks []*pem.Block) (*pem.Block, []*pem.Block) {
	parsed := make([]*x509.Certificate, len(blocks))
	for i, b := range blocks {
		parsed[i], _ = x509.ParseCertificate(b.Bytes) // nil when unreadable: never the leaf then
	}
	issuedOther := func(i int) bool {
		for j, o := range parsed {
			if j != i && o != nil && parsed[i] != nil && bytes.Equal(o.RawIssuer, parsed[i].RawSubject) &&
				!bytes.Equal(o.RawIssuer, o.RawSubject) {
				return true
			}
		}
		return false
	}
	leaf := -1
	for _, wantNonCA := range []bool{true, false} {
		for i, p := range parsed {
			if leaf < 0 && p != nil && !issuedOther(i) && (!wantNonCA || !p.IsCA) {
				leaf = i
			}
		}
	}
	if leaf < 0 {
		leaf = 0 // nothing parses: keep the archive order
	}
	used := map[int]bool{leaf: true}
	chain := []*pem.Block{}
	for cur := parsed[leaf]; cur != nil && !bytes.Equal(cur.RawIssuer, cur.RawSubject); {
		next := -1
		for i, p := range parsed {
			if !used[i] && p != nil && bytes.Equal(p.RawSubject, cur.RawIssuer) {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		used[next] = true
		chain = append(chain, blocks[next])
		cur = parsed[next]
	}
	for i, b := range blocks {
		if !used[i] {
			chain = append(chain, b)
		}
	}
	return blocks[leaf], chain
}
