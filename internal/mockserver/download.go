package mockserver

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// v2ChainResponse is GetCertificateChain's answer; PEM text uses "\r\n" line endings.
type v2ChainResponse struct {
	envelope
	TotalRows         int    `json:"totalRows"`
	SubjectCommonName string `json:"subjectCommonName"`
	Certificate       string `json:"certificate"`
	SubCaCertificate  string `json:"subCaCertificate"`
	RootCaCertificate string `json:"rootCaCertificate"`
}

// exportable returns the certificate of the path's number, settled, when it holds a
// certificate: a missing number answers 2200, a request not issued (yet or ever) HTTP 400
// with 2000 "The certificate has not been issued yet.".
func (s *Server) exportable(q *request) (*certificate, *response) {
	no, bad := pathNo(q)
	if bad != nil {
		return nil, bad
	}
	c, found := s.store.get(no)
	if !found {
		resp := notFound2200
		return nil, &resp
	}
	if c = s.settle(c); !c.issued() {
		resp := errorResponse(errNotIssued, notFound2200, notFound2200)
		return nil, &resp
	}
	return c, nil
}

// v2GetCertificateChain: GET /api/v2/certificate/exportCertificate/{certificateNo}/chain.
// subCaCertificate is the first chain certificate, rootCaCertificate the rest (if any).
func (s *Server) v2GetCertificateChain(q *request) response {
	c, bad := s.exportable(q)
	if bad != nil {
		return *bad
	}
	resp := v2ChainResponse{
		envelope:          success(),
		SubjectCommonName: c.Meta.CommonName,
		Certificate:       crlf(c.Material.CertPEM),
	}
	if chain := c.Material.Chain; len(chain) > 0 {
		resp.SubCaCertificate = crlf(chain[0])
		resp.RootCaCertificate = crlf(strings.Join(chain[1:], ""))
	}
	return ok(resp)
}

// downloadBody is DownloadCertificate's JSON body (mandatory; {} is enough).
type downloadBody struct {
	CertificateNo flexNo `json:"certificateNo"`
	Type          string `json:"type"`
	Passwd        string `json:"passwd"` // accepted and ignored: the ZIP is not encrypted
}

// ZIP entry names of DownloadCertificate (API doc §8).
const (
	zipCertificate = "certificate.pem"
	zipChain       = "chain.pem"
	zipPrivateKey  = "private_key.pem"
)

// v2DownloadCertificate: POST /api/v2/certificate/exportCertificate/{certificateNo}. The
// answer is application/zip with certificate.pem, chain.pem (intermediate then root) and,
// for certificates whose key the mock generated (Cloud Basic, Global Edge), private_key.pem.
// Errors are JSON: a missing or malformed body, a type other than PEM or a certificateNo
// other than the path's is 2000; a missing number 2200; a request not issued 2000.
func (s *Server) v2DownloadCertificate(q *request) response {
	var b downloadBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	if t := strings.ToUpper(b.Type); t != "" && t != "PEM" {
		return validationError(`type must be "PEM".`)
	}
	if no, _ := pathNo(q); b.CertificateNo != 0 && int64(b.CertificateNo) != no {
		return validationError("certificateNo in the body differs from the one in the path.")
	}
	c, bad := s.exportable(q)
	if bad != nil {
		return *bad
	}
	files := []struct{ name, body string }{
		{zipCertificate, c.Material.CertPEM},
		{zipChain, c.Material.chainPEM()},
	}
	if c.Issue != nil && c.Material.KeyPEM != "" && c.Issue.CSRPEM == "" {
		files = append(files, struct{ name, body string }{zipPrivateKey, c.Material.KeyPEM})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	modified := c.UpdatedAt
	if modified.IsZero() {
		modified = time.Unix(0, 0)
	}
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: modified.UTC()})
		if err != nil {
			return serviceError(http.StatusInternalServerError, "900", err.Error())
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			return serviceError(http.StatusInternalServerError, "900", err.Error())
		}
	}
	if err := zw.Close(); err != nil {
		return serviceError(http.StatusInternalServerError, "900", err.Error())
	}
	return response{status: http.StatusOK, raw: buf.Bytes(), header: map[string]string{
		"Content-Type":        "application/zip",
		"Content-Disposition": fmt.Sprintf(`attachment; filename="%s.zip"`, c.Name),
	}}
}
