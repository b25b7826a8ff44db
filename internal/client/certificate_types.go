package client

import (
	"context"
	"net/http"
	"strings"
)

const opListCertificateTypes = "ListCertificateTypes"

// CertificateTypeInfo is one ListCertificateTypes item (API doc §6.2): a product the account
// can request.
type CertificateTypeInfo struct {
	Code            string // certificateTypeCode, e.g. NCP_PAID_OV_01 (§4.2)
	Name            string
	PricingPlan     string // FREE | PAID, as sent
	ValidationLevel string // e.g. "Domain Validation Certificate"
	ValidityDays    *int64 // nil when the answer did not say
	CA              string // issuing CA
	CSRRequired     *bool  // csrRequired Y/N; nil when absent or unreadable
}

type wireCertificateType struct {
	Name                flexString `json:"name"`
	CertificateTypeName flexString `json:"certificateTypeName"`
	PricingPlan         flexString `json:"pricingPlan"`
	ValidationLevel     flexString `json:"validationLevel"`
	Validity            flexInt    `json:"validity"`
	ValidityDays        flexInt    `json:"validityDays"`
	CA                  flexString `json:"ca"`
	CSRRequired         flexString `json:"csrRequired"`
	CertificateTypeCode flexString `json:"certificateTypeCode"`
	Code                flexString `json:"code"`
}

func (w *wireCertificateType) info() CertificateTypeInfo {
	t := CertificateTypeInfo{
		Code:            strings.TrimSpace(firstNonEmpty(w.CertificateTypeCode, w.Code)),
		Name:            firstNonEmpty(w.Name, w.CertificateTypeName),
		PricingPlan:     strings.TrimSpace(string(w.PricingPlan)),
		ValidationLevel: string(w.ValidationLevel),
		CA:              string(w.CA),
	}
	for _, v := range []flexInt{w.Validity, w.ValidityDays} {
		if v.set {
			d := v.v
			t.ValidityDays = &d
			break
		}
	}
	if b, ok := parseYn(string(w.CSRRequired)); ok {
		t.CSRRequired = &b
	}
	return t
}

// certificateTypesResponse: the documented list field is `certificatetype` (lowercase t);
// encoding/json matches names case-insensitively, so `certificateType` lands there too, and
// the plural is accepted as well.
type certificateTypesResponse struct {
	Types  flexArray[wireCertificateType] `json:"certificatetype"`
	Plural flexArray[wireCertificateType] `json:"certificateTypes"`
}

func (r *certificateTypesResponse) missingList() string {
	if r.Types.present || r.Plural.present {
		return ""
	}
	return "certificatetype"
}

// ListCertificateTypes is v2 ListCertificateTypes: the certificate products the account can
// request, in the service's order.
func (c *Client) ListCertificateTypes(ctx context.Context) ([]CertificateTypeInfo, error) {
	var resp certificateTypesResponse
	cl := call{op: opListCertificateTypes, method: http.MethodGet, path: "/api/v2/certificate/certificateTypes", needList: true}
	if _, err := c.do(ctx, cl, &resp); err != nil {
		return nil, err
	}
	out := []CertificateTypeInfo{}
	for _, items := range [][]wireCertificateType{resp.Types.items, resp.Plural.items} {
		for i := range items {
			out = append(out, items[i].info())
		}
	}
	return out, nil
}
