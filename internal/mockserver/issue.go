package mockserver

import (
	"net/http"
	"strconv"
	"strings"
)

// validationMethodDNS is the only validationMethod of Cloud Basic requests (DNS CNAME).
const validationMethodDNS = "D"

// issueRequestBody is the body of CloudBasicCertificateRequest and
// GlobalEdgeCertificateRequest (the latter has no validationMethod).
type issueRequestBody struct {
	CertificateName  string   `json:"certificateName"`
	CommonName       string   `json:"commonName"`
	DNSName          []string `json:"dnsName"`
	ValidationMethod string   `json:"validationMethod"`
}

// cloudBasicResponse is CloudBasicCertificateRequest's answer: the request echoed and its
// requestSn, no certificateNo (API doc §6.3, §8).
type cloudBasicResponse struct {
	envelope
	TotalRows        int    `json:"totalRows"`
	CertificateName  string `json:"certificateName"`
	CommonName       string `json:"commonName"`
	DNSName          string `json:"dnsName"` // the SANs requested, comma-separated
	ValidationMethod string `json:"validationMethod"`
	RequestSn        string `json:"requestSn"`
}

// globalEdgeResponse is GlobalEdgeCertificateRequest's answer.
type globalEdgeResponse struct {
	envelope
	TotalRows   int                   `json:"totalRows"`
	Certificate globalEdgeCertificate `json:"certificate"`
}

// globalEdgeCertificate is the certificate object of a Global Edge request's answer;
// statusCode is a number here, as documented for this operation.
type globalEdgeCertificate struct {
	CertificateNo   int64  `json:"certificateNo"`
	CertificateName string `json:"certificateName"`
	StatusCode      int    `json:"statusCode"`
	StatusName      string `json:"statusName"`
	CommonName      string `json:"commonName"`
	DNSName         string `json:"dnsName"` // the SANs requested, comma-separated
	RequestSn       string `json:"requestSn"`
}

// v2CloudBasicCertificateRequest: POST /api/v2/certificate/requestCertificateIssuance.
func (s *Server) v2CloudBasicCertificateRequest(q *request) response {
	var b issueRequestBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	c, bad := s.requestIssuance(typeCloudBasic, b)
	if bad != nil {
		return *bad
	}
	return ok(cloudBasicResponse{
		envelope: success(), TotalRows: 1, CertificateName: c.Name, CommonName: c.Issue.CommonName,
		DNSName: strings.Join(c.Issue.Names[1:], ","), ValidationMethod: validationMethodDNS,
		RequestSn: c.Issue.RequestSn,
	})
}

// v2GlobalEdgeCertificateRequest: POST /api/v2/certificate/requestGedCertificateIssuance.
func (s *Server) v2GlobalEdgeCertificateRequest(q *request) response {
	var b issueRequestBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	b.ValidationMethod = "" // not a field of this operation
	c, bad := s.requestIssuance(typeGlobalEdge, b)
	if bad != nil {
		return *bad
	}
	_, status := c.status(s.now())
	return ok(globalEdgeResponse{envelope: success(), TotalRows: 1, Certificate: globalEdgeCertificate{
		CertificateNo: c.No, CertificateName: c.Name, StatusCode: statusNumber(status), StatusName: status,
		CommonName: c.Issue.CommonName, DNSName: strings.Join(c.Issue.Names[1:], ","), RequestSn: c.Issue.RequestSn,
	}})
}

// statusNumber is the numeric form of a status label's code.
func statusNumber(label string) int {
	n, _ := strconv.Atoi(statusCodes[label])
	return n
}

// requestIssuance checks a request and stores it as a new ONGOING certificate of type typ
// with its validation records. Refusals (HTTP 400): 2000 for a missing field, the name rule,
// a duplicate name, a validationMethod other than "D" (Cloud Basic), a malformed common
// name or more than 100 names; 2201 for a malformed or repeated dnsName entry.
func (s *Server) requestIssuance(typ string, b issueRequestBody) (*certificate, *response) {
	fail := func(resp response) (*certificate, *response) { return nil, &resp }
	required := []struct{ name, value string }{{"certificateName", b.CertificateName}, {"commonName", b.CommonName}}
	if typ == typeCloudBasic {
		required = append(required, struct{ name, value string }{"validationMethod", b.ValidationMethod})
	}
	for _, f := range required {
		if strings.TrimSpace(f.value) == "" {
			return fail(validationError(f.name + " is required."))
		}
	}
	if !nameRule.MatchString(b.CertificateName) {
		return fail(validationError(msgNameRule))
	}
	if typ == typeCloudBasic && b.ValidationMethod != validationMethodDNS {
		return fail(validationError(`validationMethod must be "D" (DNS).`))
	}
	names, bad := requestedNames(b.CommonName, b.DNSName)
	if bad != nil {
		return nil, bad
	}
	records, err := newRecords(typ, names)
	if err == nil && s.opts.DCVPerDomain {
		records, err = perDomainRecords(typ, records)
	}
	if err != nil {
		return fail(serviceError(http.StatusInternalServerError, "900", err.Error()))
	}
	now := s.now()
	is := &issuance{
		CommonName: names[0], Names: names, Records: records,
		RequestedAt: now, Deadline: now.Add(s.validationWindow),
	}
	if s.opts.DCVDelay > 0 {
		is.AutoAt = now.Add(s.opts.DCVDelay)
	}
	c, err := s.store.add(certificate{
		Name: b.CertificateName, Type: typ, Meta: requestMeta(names),
		RegisteredAt: now, UpdatedAt: now, InstanceNos: []string{}, RenewalYn: "N", Issue: is,
	})
	if err != nil {
		return fail(errorResponse(err, notFound2200, renewMismatch1004))
	}
	s.committed()
	return c, nil
}

// renewalBody is SetRenewalStatus' body.
type renewalBody struct {
	CertificateNo flexNo `json:"certificateNo"`
	RenewalYn     string `json:"renewalYn"`
}

// v2SetRenewalStatus: POST /api/v2/certificate/setCertificateRenewal. It stores renewalYn
// (shown as renewalYn on list items) for a Cloud Basic or Global Edge certificate, issued or
// not; an external certificate is refused with 2000, a missing number answers 2200.
func (s *Server) v2SetRenewalStatus(q *request) response {
	var b renewalBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	if b.CertificateNo <= 0 {
		return validationError("certificateNo is required and must be a positive integer.")
	}
	if b.RenewalYn != "Y" && b.RenewalYn != "N" {
		return validationError(`renewalYn must be "Y" or "N".`)
	}
	now := s.now()
	err := s.store.update(int64(b.CertificateNo), func(c *certificate) error {
		if c.Issue == nil {
			return errRenewalExternal
		}
		if c.RenewalYn != b.RenewalYn {
			c.RenewalYn, c.UpdatedAt = b.RenewalYn, now
		}
		return nil
	})
	if err != nil {
		return errorResponse(err, notFound2200, notFound2200)
	}
	s.committed()
	return ok(v2RowsResponse{envelope: success(), TotalRows: 0})
}
