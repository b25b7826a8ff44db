package client

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Certificate is one certificate as the list operations return it, decoded tolerantly.
type Certificate struct {
	No                 int64
	Name               string
	Type               string // raw certificateType, e.g. "EXTERNAL", "NCP_FREE_DV_01"
	External           bool   // externalYn == "Y" (or Type EXTERNAL when externalYn is absent)
	CommonName         string
	DNSNames           []string // SANs split on commas/spaces/newlines, without the common name duplicates removed
	StatusCode         string
	StatusName         string
	Issuer             string
	SerialNumber       string // normalized: lowercase hex, no separators, no leading zeros
	SignatureAlgorithm string
	PublicKeyInfo      string
	DNInfo             string
	NotBefore          time.Time // zero when unknown; always UTC
	NotAfter           time.Time
	RegisteredAt       time.Time
	IssuedAt           time.Time
	UpdatedAt          time.Time
	UsedInstanceNos    []string // never nil after decoding (empty slice when none)
	// UsedInstanceNosKnown: the answer carried the instance list (API doc §8 allows it to be
	// missing; then an empty UsedInstanceNos says nothing).
	UsedInstanceNosKnown bool
	OrderID              string
	// AutoRenewal is renewalYn == "Y"; AutoRenewalKnown says the answer carried the flag at
	// all (older answers and v1 items may not).
	AutoRenewal      bool
	AutoRenewalKnown bool
	FailReason       string // why issuance failed; "" unless it did (and the service said why)
}

// InUse reports whether an instance uses the certificate.
func (c Certificate) InUse() bool { return len(c.UsedInstanceNos) > 0 }

// wireCertificate is the union of the v1 sslCertificateList item (API doc §5.1, incl. the
// fields public code decodes) and the v2 ListCertificates item (§6.2, incl. the 2026-09-17
// additions). Field names match case-insensitively, as encoding/json does.
type wireCertificate struct {
	CertificateNo       flexInt    `json:"certificateNo"`
	CertificateName     flexString `json:"certificateName"`
	CertificateType     flexString `json:"certificateType"`
	CertificateTypeCode flexString `json:"certificateTypeCode"` // v2 name before 2026-09-17
	ExternalYn          flexString `json:"externalYn"`

	DomainAddress    flexString `json:"domainAddress"` // v1 common name
	CommonName       flexString `json:"commonName"`    // v2
	SubDomainAddress flexList   `json:"subDomainAddress"`
	DNSName          flexList   `json:"dnsName"`
	DNInfo           flexString `json:"dnInfo"`
	SubjectDN        flexString `json:"subjectDN"`

	StatusCode flexString `json:"statusCode"`
	StatusName flexString `json:"statusName"`

	Issuer                flexString `json:"issuer"`
	CAInfo                flexString `json:"caInfo"`
	SerialNumber          flexString `json:"serialNumber"`
	CertSerialNumber      flexString `json:"certSerialNumber"`
	SignatureAlgorithm    flexString `json:"signatureAlgorithm"`
	CertSignAlgorithmName flexString `json:"certSignAlgorithmName"`
	CertPublicKeyInfo     flexString `json:"certPublicKeyInfo"`
	PublicKeyInfo         flexString `json:"publicKeyInfo"`

	NotBefore      flexTime `json:"notBefore"`
	NotAfter       flexTime `json:"notAfter"`
	ValidStartDate flexTime `json:"validStartDate"`
	ValidEndDate   flexTime `json:"validEndDate"`
	RegDate        flexTime `json:"regDate"`
	IssueDate      flexTime `json:"issueDate"`
	UpdateDate     flexTime `json:"updateDate"`

	UsedInstanceNoList *flexList  `json:"usedInstanceNoList"` // nil: absent or null
	OrderID            flexString `json:"orderId"`
	OrderIDUpper       flexString `json:"orderID"` // ListAdvancedCertificates spelling

	// renewalYn is the SetRenewalStatus field; the others are plausible spellings of it.
	RenewalYn     flexString `json:"renewalYn"`
	AutoRenewalYn flexString `json:"autoRenewalYn"`
	AutoRenewal   flexString `json:"autoRenewal"`
	FailReason    flexString `json:"failReason"`
	FailMessage   flexString `json:"failMessage"`
	Reason        flexString `json:"reason"`
}

func (w *wireCertificate) certificate() Certificate {
	c := Certificate{
		No:                 w.CertificateNo.v,
		Name:               string(w.CertificateName),
		Type:               firstNonEmpty(w.CertificateType, w.CertificateTypeCode),
		CommonName:         firstNonEmpty(w.CommonName, w.DomainAddress),
		DNSNames:           []string(w.DNSName),
		StatusCode:         string(w.StatusCode),
		StatusName:         string(w.StatusName),
		Issuer:             firstNonEmpty(w.Issuer, w.CAInfo),
		SerialNumber:       NormalizeSerial(firstNonEmpty(w.SerialNumber, w.CertSerialNumber)),
		SignatureAlgorithm: firstNonEmpty(w.SignatureAlgorithm, w.CertSignAlgorithmName),
		PublicKeyInfo:      firstNonEmpty(w.CertPublicKeyInfo, w.PublicKeyInfo),
		DNInfo:             firstNonEmpty(w.DNInfo, w.SubjectDN),
		NotBefore:          firstTime(w.NotBefore, w.ValidStartDate),
		NotAfter:           firstTime(w.NotAfter, w.ValidEndDate),
		RegisteredAt:       time.Time(w.RegDate),
		IssuedAt:           time.Time(w.IssueDate),
		UpdatedAt:          time.Time(w.UpdateDate),
		OrderID:            firstNonEmpty(w.OrderID, w.OrderIDUpper),
		FailReason:         strings.TrimSpace(firstNonEmpty(w.FailReason, w.FailMessage, w.Reason)),
	}
	c.AutoRenewal, c.AutoRenewalKnown = parseYn(firstNonEmpty(w.RenewalYn, w.AutoRenewalYn, w.AutoRenewal))
	if w.UsedInstanceNoList != nil {
		c.UsedInstanceNos, c.UsedInstanceNosKnown = []string(*w.UsedInstanceNoList), true
	}
	if len(c.DNSNames) == 0 {
		c.DNSNames = []string(w.SubDomainAddress)
	}
	if c.DNSNames == nil {
		c.DNSNames = []string{}
	}
	if c.UsedInstanceNos == nil {
		c.UsedInstanceNos = []string{}
	}
	// externalYn is the documented flag; the type name is only a fallback (API doc §8).
	if yn := strings.TrimSpace(string(w.ExternalYn)); yn != "" {
		c.External = strings.EqualFold(yn, "Y")
	} else {
		c.External = strings.EqualFold(c.Type, "EXTERNAL")
	}
	return c
}

// parseYn reads a Y/N flag (or true/false, 1/0); ok is false when absent or unreadable.
func parseYn(s string) (v, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "Y", "YES", "TRUE", "1":
		return true, true
	case "N", "NO", "FALSE", "0":
		return false, true
	}
	return false, false
}

// flexArray accepts the usual array of objects, a single object, or null; items that are
// not objects of T are skipped. present records that the field was in the answer at all:
// only then does an empty list mean "none" (API doc §8).
type flexArray[T any] struct {
	items   []T
	present bool
}

func (l *flexArray[T]) UnmarshalJSON(b []byte) error {
	l.present = true // encoding/json calls this for null too
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '[':
		var raw []json.RawMessage
		if json.Unmarshal(b, &raw) != nil {
			return nil
		}
		l.items = make([]T, 0, len(raw))
		for _, r := range raw {
			var w T
			if r = bytes.TrimSpace(r); len(r) > 0 && r[0] == '{' && json.Unmarshal(r, &w) == nil {
				l.items = append(l.items, w)
			}
		}
	case len(b) > 0 && b[0] == '{':
		var w T
		if json.Unmarshal(b, &w) == nil {
			l.items = []T{w}
		}
	}
	return nil
}

// certificateList is a tolerant list of certificates (see flexArray).
type certificateList struct{ flexArray[wireCertificate] }

func (l certificateList) certificates() []Certificate {
	out := make([]Certificate, 0, len(l.items))
	for i := range l.items {
		out = append(out, l.items[i].certificate())
	}
	return out
}

// listResponse is the success body of the list, create and register operations.
type listResponse struct {
	TotalRows          flexInt         `json:"totalRows"`
	TotalCount         flexInt         `json:"totalCount"`
	SSLCertificateList certificateList `json:"sslCertificateList"`
}

func (r *listResponse) missingList() string {
	if r.SSLCertificateList.present {
		return ""
	}
	return "sslCertificateList"
}

// grandTotal is the number of items over all pages, when the response says. ListCertificates
// documents totalCount; a totalRows only counts as a grand total when it exceeds the page,
// since v1-style totalRows is the number of items in this very list.
func (r *listResponse) grandTotal(pageItems int) (int64, bool) {
	if r.TotalCount.set {
		return r.TotalCount.v, true
	}
	if r.TotalRows.set && r.TotalRows.v > int64(pageItems) {
		return r.TotalRows.v, true
	}
	return 0, false
}

// CertificateChain is GetCertificateChain's answer; PEM strings as sent (may use \r\n).
type CertificateChain struct {
	SubjectCommonName string
	Certificate       string
	SubCACertificate  string
	RootCACertificate string
}

type wireChain struct {
	SubjectCommonName flexString `json:"subjectCommonName"`
	Certificate       flexString `json:"certificate"`
	SubCACertificate  flexString `json:"subCaCertificate"`
	RootCACertificate flexString `json:"rootCaCertificate"`
}

// Request bodies. Required fields are always sent, even empty, so the service reports them.
type v1CreateBody struct {
	CertificateName      string `json:"certificateName"`
	PrivateKey           string `json:"privateKey"`
	PublicKeyCertificate string `json:"publicKeyCertificate"`
	CertificateChain     string `json:"certificateChain"`
}

type v2RegisterBody struct {
	CertificateName  string `json:"certificateName"`
	CertificateNo    int64  `json:"certificateNo,omitempty"`
	PrivateKey       string `json:"privateKey"`
	CertificateBody  string `json:"certificateBody"`
	CertificateChain string `json:"certificateChain"`
}
