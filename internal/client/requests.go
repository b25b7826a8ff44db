package client

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

const (
	opCloudBasicCertificateRequest = "CloudBasicCertificateRequest"
	opGlobalEdgeCertificateRequest = "GlobalEdgeCertificateRequest"
)

// CertificateType is a certificateType code of API doc §4.2.
type CertificateType string

// The certificate types RequestCertificate can request; list items carry the same codes in
// Certificate.Type.
const (
	CloudBasic CertificateType = "NCP_FREE_DV_01"
	GlobalEdge CertificateType = "NCP_GLOBAL_EDGE_DEDICATED"
)

// CertificateRequest asks the cloud's CA for a certificate.
type CertificateRequest struct {
	Type       CertificateType // CloudBasic or GlobalEdge
	Name       string
	CommonName string   // wildcards allowed ("*.example.com")
	DNSNames   []string // additional names (SANs); the common name need not be repeated
}

// requestBody is the body of CloudBasicCertificateRequest and GlobalEdgeCertificateRequest
// (the latter has no validationMethod).
type requestBody struct {
	CertificateName  string   `json:"certificateName"`
	CommonName       string   `json:"commonName"`
	DNSName          []string `json:"dnsName,omitempty"`
	ValidationMethod string   `json:"validationMethod,omitempty"`
}

// requestAnswer is the union of both request answers: Cloud Basic echoes the request with
// a requestSn and (documented) no certificateNo; Global Edge nests a certificate object.
type requestAnswer struct {
	CertificateNo flexInt                    `json:"certificateNo"`
	Certificate   flexArray[wireCertificate] `json:"certificate"` // an object; tolerant of anything else
}

// number is the certificate number the answer gave, 0 when it gave none.
func (a *requestAnswer) number() int64 {
	if a.CertificateNo.v != 0 {
		return a.CertificateNo.v
	}
	for _, w := range a.Certificate.items {
		if w.CertificateNo.v != 0 {
			return w.CertificateNo.v
		}
	}
	return 0
}

// RequestCertificate requests a Cloud Basic or Global Edge certificate (API 2.0) and returns
// the new certificate as the list shows it (read by the number the answer gave, else found
// by name: Cloud Basic answers carry none).
//
// It is safe against lost answers and never takes what it did not create (see postSafely):
// after an uncertain outcome it looks the name up and adopts the certificate there only if
// it has the requested common name and exactly the requested names (common name + SANs,
// case and a trailing dot ignored) and was registered after this call began; any other
// certificate under the name is a *NameInUseError (ByNames). It sends the request again only
// when the look-up found nothing under the name, so it never makes two certificates.
// Malformed or repeated names are refused by the service: IsRequestInvalid.
func (c *Client) RequestCertificate(ctx context.Context, req CertificateRequest) (*Certificate, error) {
	body := requestBody{CertificateName: req.Name, CommonName: req.CommonName, DNSName: req.DNSNames}
	cl := call{method: http.MethodPost, body: &body}
	switch req.Type {
	case CloudBasic:
		cl.op, cl.path = opCloudBasicCertificateRequest, "/api/v2/certificate/requestCertificateIssuance"
		body.ValidationMethod = "D" // DNS (CNAME): the only method the guide still lists
	case GlobalEdge:
		cl.op, cl.path = opGlobalEdgeCertificateRequest, "/api/v2/certificate/requestGedCertificateIssuance"
	default:
		return nil, fmt.Errorf("unknown certificate request type %q: expected %q or %q; nothing was sent", req.Type, CloudBasic, GlobalEdge)
	}
	var answer requestAnswer
	adopted, err := c.postSafely(ctx, cl, &answer, createGuard{
		name:    req.Name,
		byNames: true,
		lookUp:  func(ctx context.Context) (*Certificate, error) { return c.FindCertificate(ctx, req.Name, KindAny) },
		proof:   func(found *Certificate) bool { return sameNames(found, req.CommonName, req.DNSNames) },
	})
	if err != nil || adopted != nil {
		return adopted, err
	}
	return c.requested(ctx, cl.op, CertificateRef{No: answer.number(), Name: req.Name, Kind: KindCloud})
}

// requested reads the certificate a successful request made, through the v2 list of its
// kind (a v1 may list external certificates only): by number when the answer gave one (and
// it bears the name), else by name.
func (c *Client) requested(ctx context.Context, op string, ref CertificateRef) (*Certificate, error) {
	no, name := ref.No, ref.Name
	if no != 0 {
		cert, err := c.ReadCertificate(ctx, ref)
		switch {
		case err == nil && (cert.Name == name || cert.Name == ""):
			return cert, nil
		case err != nil && !IsNotFound(err):
			return nil, fmt.Errorf("%s succeeded, but reading certificate %d afterwards failed: %w", op, no, err)
		}
	}
	found, err := c.FindCertificate(ctx, name, ref.Kind)
	if err != nil {
		return nil, fmt.Errorf("%s succeeded, but reading the certificate afterwards failed: %w", op, err)
	}
	if found == nil {
		return nil, fmt.Errorf("%s succeeded, but no certificate named %q could be found afterwards", op, name)
	}
	return found, nil
}

// canonicalName compares domain names: case-insensitive, without a trailing dot; a wildcard
// label stays as it is ("*.x" and "x" are different names).
func canonicalName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// nameSet is the sorted set of canonical names: the common name and the SANs.
func nameSet(commonName string, sans []string) []string {
	out := make([]string, 0, 1+len(sans))
	for _, n := range append([]string{commonName}, sans...) {
		if n = canonicalName(n); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sameNames is a request's proof: found has the requested common name and exactly the
// requested set of names, whether its dnsName lists the common name or not.
func sameNames(found *Certificate, commonName string, sans []string) bool {
	cn := canonicalName(found.CommonName)
	return cn != "" && cn == canonicalName(commonName) &&
		slices.Equal(nameSet(found.CommonName, found.DNSNames), nameSet(commonName, sans))
}

// certificateNames lists a certificate's names for messages: the common name first.
func certificateNames(c Certificate) []string {
	out := []string{c.CommonName}
	for _, n := range c.DNSNames {
		if canonicalName(n) != canonicalName(c.CommonName) {
			out = append(out, n)
		}
	}
	return out
}
