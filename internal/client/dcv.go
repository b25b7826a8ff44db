package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const opListDcvStatuses = "ListDcvStatuses"

// validStatusCode values of ListDcvStatuses (API doc §4.3); other values are kept verbatim.
const (
	DCVStatusPending = "VALID_STATUS_REG"
	DCVStatusSuccess = "VALID_STATUS_SUCCESS"
	DCVStatusTimeout = "VALID_STATUS_TIMEOUT"
)

// DCVRecord is one DNS record the service expects for domain validation.
type DCVRecord struct {
	ValidSn   string   // the record's id: a number since 2026-09-17, a string before; kept as text
	RequestSn string   // the request it belongs to
	Status    string   // validStatusCode verbatim (DCVStatus*)
	Name      string   // txtName: the DNS name to create, as sent
	Type      string   // recordType upper-cased ("CNAME", "TXT"); the caller's default when absent
	Values    []string // the value(s) to publish; never nil
	Domain    string   // domainAddress: the certificate domain it validates (the one asked for when absent)
}

// DefaultDCVRecordType is the record type of a certificate type's validation records when
// the service does not say (API doc §8): CNAME for Cloud Basic, TXT for the others.
func DefaultDCVRecordType(certificateType string) string {
	if strings.EqualFold(strings.TrimSpace(certificateType), string(CloudBasic)) {
		return "CNAME"
	}
	return "TXT"
}

// wireDCVItem is an item of dnsVerificationList, with plausible alternative names.
type wireDCVItem struct {
	ValidSn         flexString `json:"validSn"`
	RequestSn       flexString `json:"requestSn"`
	ValidStatusCode flexString `json:"validStatusCode"`
	ValidStatus     flexString `json:"validStatus"`
	TxtName         flexString `json:"txtName"`
	RecordName      flexString `json:"recordName"`
	TxtValue        dcvValues  `json:"txtValue"`
	TxtContent      dcvValues  `json:"txtContent"`
	RecordValue     dcvValues  `json:"recordValue"`
	RecordType      flexString `json:"recordType"`
	TxtType         flexString `json:"txtType"`
	DomainAddress   flexString `json:"domainAddress"`
}

type dcvResponse struct {
	List flexArray[wireDCVItem] `json:"dnsVerificationList"`
}

func (r *dcvResponse) missingList() string {
	if r.List.present {
		return ""
	}
	return "dnsVerificationList"
}

// dcvValues accepts a string (one value, kept whole: a TXT value is opaque) or an array of
// them; empty values are dropped.
type dcvValues []string

func (v *dcvValues) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '[' {
		raw = []json.RawMessage{b}
	} else if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	for _, r := range raw {
		if s, ok := scalarText(r); ok && strings.TrimSpace(s) != "" {
			*v = append(*v, strings.TrimSpace(s))
		}
	}
	return nil
}

// ListDcvStatuses is v2 ListDcvStatuses: the DNS records that validate domain on certificate
// no, one per item the service lists (several are possible, and "*.x" and "x" may have
// distinct values at the same name: every value is kept). defaultType fills a missing
// recordType (see DefaultDCVRecordType).
//
// An answer "0" with an empty list is an empty slice. A 2200 answer is a
// *NoValidationInfoError, for which IsNotFound is false: here the code says that the service
// holds no validation information for this certificate and domain, not that the
// certificate is gone.
func (c *Client) ListDcvStatuses(ctx context.Context, no int64, domain, defaultType string) ([]DCVRecord, error) {
	if strings.TrimSpace(domain) == "" {
		return nil, errors.New(opListDcvStatuses + ": the domain is empty; nothing was sent")
	}
	var resp dcvResponse
	path := "/api/v2/certificate/getVerificationInfo/" + strconv.FormatInt(no, 10)
	_, err := c.do(ctx, call{op: opListDcvStatuses, method: http.MethodGet, path: path,
		query: url.Values{"domainAddress": {domain}}, needList: true}, &resp)
	if err != nil {
		if e, ok := asAPIError(err); ok && hasCode(err, codeNotFound) {
			return nil, &NoValidationInfoError{CertificateNo: no, Domain: domain, Err: e}
		}
		return nil, err
	}
	out := make([]DCVRecord, 0, len(resp.List.items))
	for _, w := range resp.List.items {
		values := firstValues(w.TxtValue, w.TxtContent, w.RecordValue)
		r := DCVRecord{
			ValidSn:   strings.TrimSpace(string(w.ValidSn)),
			RequestSn: strings.TrimSpace(string(w.RequestSn)),
			Status:    strings.TrimSpace(firstNonEmpty(w.ValidStatusCode, w.ValidStatus)),
			Name:      strings.TrimSpace(firstNonEmpty(w.TxtName, w.RecordName)),
			Type:      strings.ToUpper(strings.TrimSpace(firstNonEmpty(w.RecordType, w.TxtType))),
			Values:    append([]string{}, values...),
			Domain:    strings.TrimSpace(string(w.DomainAddress)),
		}
		if r.Type == "" {
			r.Type = strings.ToUpper(defaultType)
		}
		if r.Domain == "" {
			r.Domain = domain
		}
		out = append(out, r)
	}
	return out, nil
}

func firstValues(vals ...dcvValues) dcvValues {
	for _, v := range vals {
		if len(v) > 0 {
			return v
		}
	}
	return nil
}
