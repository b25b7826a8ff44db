package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Organizations (API doc §6.7, an operation the guide marks "needs revision"): the mock keeps
// a list seeded through AddOrganization or POST /_mock/organizations, answers
// ListOrganizations in the envelope Options.OrganizationsEnvelope names, and does not keep
// organizations in the state file (they are test and demo fixtures).

// Organization is one organization of the account, in wire terms.
type Organization struct {
	No                     int64  `json:"organization_no"`
	NameKor                string `json:"name_kor"`
	NameEng                string `json:"name_eng"`
	BusinessRegistrationNo string `json:"business_registration_no"`
	// VerificationCode is verificationProgressCode (§4.3: 0 waiting … 7 done, 90 failed,
	// 91 expired); any number is stored.
	VerificationCode int `json:"verification_code"`
}

// OrganizationsEnvelopes are the answers Options.OrganizationsEnvelope can pick: where the
// list goes. "" is the default, organizationInfoList under the usual envelope.
var OrganizationsEnvelopes = []string{"organizationInfoList", "organizationList", "organizations", "contents", "data", "data.list", "array", "no-return-code"}

const firstOrganizationNo = 1001

type organizations struct {
	mu   sync.Mutex
	list []Organization
	next int64
}

func (o *organizations) add(org Organization) int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.next == 0 {
		o.next = firstOrganizationNo
	}
	org.No = o.next
	o.next++
	o.list = append(o.list, org)
	return org.No
}

func (o *organizations) snapshot() []Organization {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.list)
}

func (o *organizations) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.list, o.next = nil, 0
}

// AddOrganization stores an organization and returns its organizationNo (1001 upwards).
func (s *Server) AddOrganization(org Organization) (int64, error) {
	if strings.TrimSpace(org.NameKor) == "" && strings.TrimSpace(org.NameEng) == "" {
		return 0, errors.New("mockserver: an organization needs name_kor or name_eng")
	}
	return s.orgs.add(org), nil
}

// wireOrganization is a ListOrganizations item as documented.
type wireOrganization struct {
	OrganizationNo           int64  `json:"organizationNo"`
	MemberNo                 string `json:"memberNo"`
	OrganizationNameKor      string `json:"organizationNameKor"`
	OrganizationNameEng      string `json:"organizationNameEng"`
	BusinessRegistrationNo   string `json:"businessRegistrationNo"`
	VerificationType         string `json:"verificationType"`
	VerificationProgressCode int    `json:"verificationProgressCode"`
}

type listOrganizationsBody struct {
	OrganizationNameKor      flexString `json:"organizationNameKor"`
	OrganizationNameEng      flexString `json:"organizationNameEng"`
	BusinessRegistrationNo   flexString `json:"businessRegistrationNo"`
	VerificationProgressCode flexString `json:"verificationProgressCode"`
}

// v2ListOrganizations: POST /api/v2/organization/getOrganizationInfoList with a JSON body
// ({} at least). Names match as case-insensitive substrings, the registration number by
// its digits, the code exactly; filters combine with AND.
func (s *Server) v2ListOrganizations(q *request) response {
	var b listOrganizationsBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	code := strings.TrimSpace(string(b.VerificationProgressCode))
	items := []wireOrganization{}
	for _, o := range s.orgs.snapshot() {
		switch {
		case !containsFold(o.NameKor, string(b.OrganizationNameKor)), !containsFold(o.NameEng, string(b.OrganizationNameEng)):
		case b.BusinessRegistrationNo != "" && onlyDigits(o.BusinessRegistrationNo) != onlyDigits(string(b.BusinessRegistrationNo)):
		case code != "" && code != fmt.Sprint(o.VerificationCode):
		default:
			items = append(items, wireOrganization{
				OrganizationNo: o.No, MemberNo: memberNo, OrganizationNameKor: o.NameKor, OrganizationNameEng: o.NameEng,
				BusinessRegistrationNo: o.BusinessRegistrationNo, VerificationType: "BUSINESS_REGISTRATION",
				VerificationProgressCode: o.VerificationCode,
			})
		}
	}
	return ok(organizationsAnswer(s.opts.OrganizationsEnvelope, items))
}

// organizationsAnswer puts items where the chosen envelope does.
func organizationsAnswer(variant string, items []wireOrganization) any {
	env := map[string]any{"returnCode": "0", "returnMessage": "Success", "totalCount": len(items)}
	switch variant {
	case "", "organizationInfoList", "organizationList", "organizations", "contents", "data":
		if variant == "" {
			variant = "organizationInfoList"
		}
		env[variant] = items
	case "data.list":
		env["data"] = map[string]any{"list": items, "totalCount": len(items)}
	case "array":
		return items
	case "no-return-code":
		return map[string]any{"organizations": items}
	}
	return env
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(strings.TrimSpace(sub)))
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// ctlOrganizations: POST /_mock/organizations {"name_kor","name_eng","business_registration_no",
// "verification_code"} → {"organization_no": n}.
func (s *Server) ctlOrganizations(q *request) response {
	var b Organization
	if err := q.decodeStrict(&b); err != nil {
		return ctlError(http.StatusBadRequest, "invalid organization: "+err.Error())
	}
	if b.No != 0 {
		return ctlError(http.StatusBadRequest, "organization_no is assigned by the mock")
	}
	no, err := s.AddOrganization(b)
	if err != nil {
		return ctlError(http.StatusBadRequest, err.Error())
	}
	return ok(map[string]int64{"organization_no": no})
}

// ctlOrganizationsList: GET /_mock/organizations → {"organizations": [...]}.
func (s *Server) ctlOrganizationsList(*request) response {
	list := s.orgs.snapshot()
	if list == nil {
		list = []Organization{}
	}
	return ok(map[string][]Organization{"organizations": list})
}
