package mockserver

import "time"

// maxPageSize is the largest page ListCertificates answers; larger requests are clamped.
const maxPageSize = 100

// issueType values the mock reports: EXTERNAL for external certificates, NEW for
// certificates its CA issues.
const (
	issueTypeExternal = "EXTERNAL"
	issueTypeNew      = "NEW"
)

func issueTypeOf(c *certificate) string {
	if c.Issue != nil {
		return issueTypeNew
	}
	return issueTypeExternal
}

// renewalOf is the renewalYn a certificate shows ("N" for external certificates).
func renewalOf(c *certificate) string {
	if c.RenewalYn == "" {
		return "N"
	}
	return c.RenewalYn
}

// v2Certificate is an item of the v2 lists' sslCertificateList (API doc §6.2).
type v2Certificate struct {
	CertificateNo      int64    `json:"certificateNo"`
	CertificateName    string   `json:"certificateName"`
	MemberNo           string   `json:"memberNo"`
	CommonName         string   `json:"commonName"`
	DNSName            string   `json:"dnsName"`
	StatusCode         string   `json:"statusCode"`
	StatusName         string   `json:"statusName"`
	CertificateType    string   `json:"certificateType"`
	ExternalYn         string   `json:"externalYn"`
	DomainCode         string   `json:"domainCode"`
	UpdateDate         string   `json:"updateDate"`
	IssueType          string   `json:"issueType"`
	SubjectDN          string   `json:"subjectDN"`
	CertPublicKeyInfo  string   `json:"certPublicKeyInfo"`
	Issuer             string   `json:"issuer"`
	SerialNumber       string   `json:"serialNumber"`
	SignatureAlgorithm string   `json:"signatureAlgorithm"`
	IssueDate          string   `json:"issueDate"`
	NotBefore          string   `json:"notBefore"`
	NotAfter           string   `json:"notAfter"`
	RevokeDate         string   `json:"revokeDate"`
	UsedInstanceNoList []string `json:"usedInstanceNoList"`
	OrderID            string   `json:"orderId"`
	RenewalYn          string   `json:"renewalYn"`
	FailReason         string   `json:"failReason"`
}

func v2Item(c *certificate, now time.Time) v2Certificate {
	code, name := c.status(now)
	return v2Certificate{
		CertificateNo:      c.No,
		CertificateName:    c.Name,
		MemberNo:           memberNo,
		CommonName:         c.Meta.CommonName,
		DNSName:            c.Meta.dnsNameText,
		StatusCode:         code,
		StatusName:         name,
		CertificateType:    c.Type,
		ExternalYn:         yn(c.Type == typeExternal),
		DomainCode:         domainCode,
		UpdateDate:         formatDate(c.UpdatedAt),
		IssueType:          issueTypeOf(c),
		SubjectDN:          c.Meta.Subject,
		CertPublicKeyInfo:  c.Meta.PublicKeyInfo,
		Issuer:             c.Meta.Issuer,
		SerialNumber:       c.Meta.SerialNumber,
		SignatureAlgorithm: c.Meta.SignatureAlg,
		IssueDate:          c.Meta.notBeforeText,
		NotBefore:          c.Meta.notBeforeText,
		NotAfter:           c.Meta.notAfterText,
		RevokeDate:         formatDate(c.RevokedAt),
		UsedInstanceNoList: instanceList(c.InstanceNos),
		OrderID:            c.OrderID,
		RenewalYn:          renewalOf(c),
		FailReason:         c.FailReason,
	}
}

func v2Items(certs []*certificate, now time.Time) []v2Certificate {
	items := make([]v2Certificate, len(certs))
	for i, c := range certs {
		items[i] = v2Item(c, now)
	}
	return items
}

// v2ListResponse is the answer of ListCertificates (count field totalCount).
type v2ListResponse struct {
	envelope
	TotalCount         int             `json:"totalCount"`
	SslCertificateList []v2Certificate `json:"sslCertificateList"`
}

// v2RowsResponse is an answer counted by totalRows, optionally listing certificates.
type v2RowsResponse struct {
	envelope
	TotalRows          int             `json:"totalRows"`
	SslCertificateList []v2Certificate `json:"sslCertificateList,omitempty"`
}

// v2ListCertificates: GET /api/v2/certificate/certificates?page=&pageSize=&certificateName=.
// page is 1-based; pageSize omitted or 0 returns everything; pageSize is capped at 100.
// totalCount counts every match, not only the page.
func (s *Server) v2ListCertificates(q *request) response {
	return s.v2List(q, false)
}

// v2ListCloudCertificates: GET /api/v2/certificate/getCertificates — ListCertificates
// restricted to Cloud Basic and Global Edge certificates (no external ones).
func (s *Server) v2ListCloudCertificates(q *request) response {
	return s.v2List(q, true)
}

func (s *Server) v2List(q *request, cloud bool) response {
	offset, size, bad := pageArgs(q)
	if bad != nil {
		return *bad
	}
	certs, total := s.store.page(filter{Name: q.r.URL.Query().Get("certificateName"), Cloud: cloud}, offset, size)
	certs = s.settleAll(certs)
	return ok(v2ListResponse{envelope: success(), TotalCount: total, SslCertificateList: v2Items(certs, s.now())})
}

type v2RegisterBody struct {
	CertificateName  string `json:"certificateName"`
	CertificateNo    flexNo `json:"certificateNo"`
	PrivateKey       string `json:"privateKey"`
	CertificateBody  string `json:"certificateBody"`
	CertificateChain string `json:"certificateChain"`
}

// v2RegisterExternalCertificate: POST /api/v2/certificate/withExternal. With certificateNo it
// renews that certificate in place (same number; the name must be the existing one).
func (s *Server) v2RegisterExternalCertificate(q *request) response {
	var b v2RegisterBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	if b.CertificateNo < 0 {
		return validationError("certificateNo must be a positive integer.")
	}
	c, bad := s.registerExternal(externalInput{
		no: int64(b.CertificateNo), name: b.CertificateName, key: b.PrivateKey,
		cert: b.CertificateBody, chain: b.CertificateChain, certField: "certificateBody",
	})
	if bad != nil {
		return *bad
	}
	return ok(v2RowsResponse{envelope: success(), TotalRows: 1, SslCertificateList: v2Items([]*certificate{c}, s.now())})
}

// v2DeleteCertificate: DELETE /api/v2/certificate/deleteCertificate/{certificateNo}?certificateName=.
func (s *Server) v2DeleteCertificate(q *request) response {
	if _, bad := s.deleteCertificate(q); bad != nil {
		return *bad
	}
	return ok(v2RowsResponse{envelope: success(), TotalRows: 1})
}
