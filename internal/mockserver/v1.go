package mockserver

import (
	"strconv"
	"time"
)

// v1Certificate is an item of v1 sslCertificateList (API doc §5.1 plus the 2026 additions).
type v1Certificate struct {
	CertificateNo         int64    `json:"certificateNo"`
	CertificateType       string   `json:"certificateType"`
	ExternalYn            string   `json:"externalYn"`
	CertificateName       string   `json:"certificateName"`
	MemberNo              string   `json:"memberNo"`
	DnInfo                string   `json:"dnInfo"`
	DomainAddress         string   `json:"domainAddress"`
	SubDomainAddress      string   `json:"subDomainAddress"`
	RegDate               string   `json:"regDate"`
	ValidStartDate        string   `json:"validStartDate"`
	ValidEndDate          string   `json:"validEndDate"`
	UpdateDate            string   `json:"updateDate"`
	IssueDate             string   `json:"issueDate"`
	StatusCode            string   `json:"statusCode"`
	StatusName            string   `json:"statusName"`
	DomainCode            string   `json:"domainCode"`
	CaInfo                string   `json:"caInfo"`
	CertSerialNumber      string   `json:"certSerialNumber"`
	CertSignAlgorithmName string   `json:"certSignAlgorithmName"`
	CertPublicKeyInfo     string   `json:"certPublicKeyInfo"`
	Issuer                string   `json:"issuer"`
	SerialNumber          string   `json:"serialNumber"`
	SignatureAlgorithm    string   `json:"signatureAlgorithm"`
	NotBefore             string   `json:"notBefore"`
	NotAfter              string   `json:"notAfter"`
	UsedInstanceNoList    []string `json:"usedInstanceNoList"`
	RenewalYn             string   `json:"renewalYn"`
	FailReason            string   `json:"failReason"`
}

// v1ListResponse is the answer of getCertificateList, createExternalCertificate and
// deleteCertificate.
type v1ListResponse struct {
	envelope
	TotalRows          int             `json:"totalRows"`
	SslCertificateList []v1Certificate `json:"sslCertificateList"`
}

func v1Item(c *certificate, now time.Time) v1Certificate {
	code, name := c.status(now)
	return v1Certificate{
		CertificateNo:         c.No,
		CertificateType:       c.Type,
		ExternalYn:            yn(c.Type == typeExternal),
		CertificateName:       c.Name,
		MemberNo:              memberNo,
		DnInfo:                c.Meta.Subject,
		DomainAddress:         c.Meta.CommonName,
		SubDomainAddress:      c.Meta.dnsNameText,
		RegDate:               formatDate(c.RegisteredAt),
		ValidStartDate:        c.Meta.notBeforeText,
		ValidEndDate:          c.Meta.notAfterText,
		UpdateDate:            formatDate(c.UpdatedAt),
		IssueDate:             c.Meta.notBeforeText,
		StatusCode:            code,
		StatusName:            name,
		DomainCode:            domainCode,
		CaInfo:                c.Meta.Issuer,
		CertSerialNumber:      c.Meta.SerialNumber,
		CertSignAlgorithmName: c.Meta.SignatureAlg,
		CertPublicKeyInfo:     c.Meta.PublicKeyInfo,
		Issuer:                c.Meta.Issuer,
		SerialNumber:          c.Meta.SerialNumber,
		SignatureAlgorithm:    c.Meta.SignatureAlg,
		NotBefore:             c.Meta.notBeforeText,
		NotAfter:              c.Meta.notAfterText,
		UsedInstanceNoList:    instanceList(c.InstanceNos),
		RenewalYn:             renewalOf(c),
		FailReason:            c.FailReason,
	}
}

func v1List(certs []*certificate, now time.Time) v1ListResponse {
	items := make([]v1Certificate, len(certs))
	for i, c := range certs {
		items[i] = v1Item(c, now)
	}
	return v1ListResponse{envelope: success(), TotalRows: len(items), SslCertificateList: items}
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// instanceList renders instance numbers as a JSON array, never null.
func instanceList(nos []string) []string {
	if nos == nil {
		return []string{}
	}
	return nos
}

// v1GetCertificateList: GET /api/v1/certificates?certificateName=&certificateNo=&instanceNo=
// No paging. A certificateNo filter that matches nothing answers 2200; other filters that
// match nothing answer "0" with an empty list.
func (s *Server) v1GetCertificateList(q *request) response {
	no, bad := queryInt(q, "certificateNo")
	if bad != nil {
		return *bad
	}
	instanceNo, bad := queryInt(q, "instanceNo")
	if bad != nil {
		return *bad
	}
	f := filter{No: no, Name: q.r.URL.Query().Get("certificateName")}
	if instanceNo != 0 {
		f.InstanceNo = strconv.FormatInt(instanceNo, 10)
	}
	certs := s.v1Scope(s.settleAll(s.store.query(f)))
	if no != 0 && len(certs) == 0 {
		return notFound2200
	}
	return ok(v1List(certs, s.now()))
}

type v1CreateBody struct {
	CertificateName      string `json:"certificateName"`
	PrivateKey           string `json:"privateKey"`
	PublicKeyCertificate string `json:"publicKeyCertificate"`
	CertificateChain     string `json:"certificateChain"`
}

// v1CreateExternalCertificate: POST /api/v1/certificate/withExternal.
func (s *Server) v1CreateExternalCertificate(q *request) response {
	var b v1CreateBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	c, bad := s.registerExternal(externalInput{
		name: b.CertificateName, key: b.PrivateKey, cert: b.PublicKeyCertificate,
		chain: b.CertificateChain, certField: "publicKeyCertificate",
	})
	if bad != nil {
		return *bad
	}
	return ok(v1List([]*certificate{c}, s.now()))
}

// v1DeleteCertificate: DELETE /api/v1/certificate/{certificateNo}?certificateName=.
// The answer lists the deleted certificate.
func (s *Server) v1DeleteCertificate(q *request) response {
	if bad := s.v1DeleteScope(q); bad != nil {
		return *bad
	}
	c, bad := s.deleteCertificate(q)
	if bad != nil {
		return *bad
	}
	return ok(v1List([]*certificate{c}, s.now()))
}
