package mockserver

// wireCertificateType is a ListCertificateTypes item (API doc §6.2).
type wireCertificateType struct {
	Name                string `json:"name"`
	PricingPlan         string `json:"pricingPlan"`
	ValidationLevel     string `json:"validationLevel"`
	Validity            int    `json:"validity"`
	CA                  string `json:"ca"`
	CSRRequired         string `json:"csrRequired"`
	CertificateTypeCode string `json:"certificateTypeCode"`
}

// certificateTypesBody: the list field is `certificatetype`, lowercase t, as documented.
type certificateTypesBody struct {
	envelope
	TotalCount int                   `json:"totalCount"`
	Types      []wireCertificateType `json:"certificatetype"`
}

const (
	levelDV = "Domain Validation Certificate"
	levelOV = "Organization Validation Certificate"
)

// certificateTypes are the products the mock issues, with the validity its CA gives each
// (issue.go: 90 days; advanced.go: 365 days).
var certificateTypes = []wireCertificateType{
	{Name: "Cloud Basic", PricingPlan: "FREE", ValidationLevel: levelDV, Validity: 90, CA: caName + " Intermediate CA", CSRRequired: "N", CertificateTypeCode: typeCloudBasic},
	{Name: "Advanced DV", PricingPlan: "PAID", ValidationLevel: levelDV, Validity: 365, CA: caName + " Intermediate CA", CSRRequired: "Y", CertificateTypeCode: typeAdvancedDV},
	{Name: "Advanced OV", PricingPlan: "PAID", ValidationLevel: levelOV, Validity: 365, CA: caName + " Intermediate CA", CSRRequired: "Y", CertificateTypeCode: typeAdvancedOV},
	{Name: "Global Edge", PricingPlan: "FREE", ValidationLevel: levelDV, Validity: 90, CA: caName + " Intermediate CA", CSRRequired: "N", CertificateTypeCode: typeGlobalEdge},
}

// v2ListCertificateTypes: GET /api/v2/certificate/certificateTypes, no parameters.
func (s *Server) v2ListCertificateTypes(*request) response {
	return ok(certificateTypesBody{envelope: success(), TotalCount: len(certificateTypes), Types: certificateTypes})
}
