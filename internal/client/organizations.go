package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

const opListOrganizations = "ListOrganizations"

// Organization is one organization of ListOrganizations (API doc §6.7): what an OV order's
// organizationNo refers to.
type Organization struct {
	No                     int64
	MemberNo               string
	NameKor                string
	NameEng                string
	BusinessRegistrationNo string
	VerificationType       string // e.g. BUSINESS_REGISTRATION
	VerificationCode       string // verificationProgressCode as sent
	// VerificationStatus is the readable name of VerificationCode (VerificationStatuses),
	// or the code itself when it is not one of the documented values.
	VerificationStatus string
}

// Verified: the organization finished verification (code 7), so OV orders can use it.
func (o Organization) Verified() bool { return o.VerificationCode == "7" }

// verificationStatusNames map the documented verificationProgressCode values (§4.3).
var verificationStatusNames = map[string]string{
	"0": "waiting", "1": "documents", "2": "phone_number_check", "3": "phone_call",
	"4": "final_review", "7": "verified", "90": "failed", "91": "expired",
}

// VerificationStatuses are the readable verification status names, in the service's order.
func VerificationStatuses() []string {
	codes := make([]string, 0, len(verificationStatusNames))
	for c := range verificationStatusNames {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		a, _ := strconv.Atoi(codes[i])
		b, _ := strconv.Atoi(codes[j])
		return a < b
	})
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = verificationStatusNames[c]
	}
	return out
}

// VerificationStatusName is the readable name of a verificationProgressCode; unknown codes
// are kept verbatim.
func VerificationStatusName(code string) string {
	code = strings.TrimSpace(code)
	if n, ok := verificationStatusNames[code]; ok {
		return n
	}
	return code
}

// verificationCode is the code of a readable status name (or a code given verbatim).
func verificationCode(status string) string {
	for c, n := range verificationStatusNames {
		if n == status {
			return c
		}
	}
	return status
}

// OrganizationFilter selects organizations. The registration number and the status are sent
// to the service; every filter is also checked on the answer, so a service that ignores
// one still gives the right result. Name is matched here only: the API filters the Korean
// and the English name separately, with undocumented match rules.
type OrganizationFilter struct {
	// Name: case-insensitive substring of the Korean or the English name.
	Name string
	// BusinessRegistrationNo: compared by its digits ("123-45-67890" = "1234567890").
	BusinessRegistrationNo string
	// VerificationStatus: a readable name (VerificationStatuses) or a raw code.
	VerificationStatus string
}

type listOrganizationsBody struct {
	BusinessRegistrationNo   string `json:"businessRegistrationNo,omitempty"`
	VerificationProgressCode *int   `json:"verificationProgressCode,omitempty"`
}

type wireOrganization struct {
	OrganizationNo           flexInt    `json:"organizationNo"`
	OrgNo                    flexInt    `json:"orgNo"`
	MemberNo                 flexString `json:"memberNo"`
	OrganizationNameKor      flexString `json:"organizationNameKor"`
	OrganizationNameEng      flexString `json:"organizationNameEng"`
	BusinessRegistrationNo   flexString `json:"businessRegistrationNo"`
	VerificationType         flexString `json:"verificationType"`
	VerificationProgressCode flexString `json:"verificationProgressCode"`
}

func (w *wireOrganization) organization() Organization {
	no := w.OrganizationNo.v
	if !w.OrganizationNo.set {
		no = w.OrgNo.v
	}
	code := strings.TrimSpace(string(w.VerificationProgressCode))
	return Organization{
		No: no, MemberNo: string(w.MemberNo),
		NameKor: string(w.OrganizationNameKor), NameEng: string(w.OrganizationNameEng),
		BusinessRegistrationNo: string(w.BusinessRegistrationNo), VerificationType: string(w.VerificationType),
		VerificationCode: code, VerificationStatus: VerificationStatusName(code),
	}
}

// organizationListFields are the plausible names of the list (the envelope is not
// documented, §6.7), tried in order; "data" and "result" may also wrap one of them.
var organizationListFields = []string{
	"organizationinfolist", "organizationlist", "organizations", "organizationinfos",
	"contents", "content", "list", "items", "data", "result",
}

// organizationsResponse finds the organizations wherever a plausible envelope puts them:
// a bare array, a known list field, or one nested under data/result. found stays false
// for any other shape, which is then no answer at all (API doc §8 evidence).
type organizationsResponse struct {
	items []wireOrganization
	found bool
}

func (r *organizationsResponse) UnmarshalJSON(b []byte) error {
	r.items, r.found = findOrganizations(b, 0)
	return nil
}

func (r *organizationsResponse) missingList() string {
	if r.found {
		return ""
	}
	return "organization list (organizationInfoList, organizationList, organizations, contents, data, or a bare array)"
}

func findOrganizations(b []byte, depth int) ([]wireOrganization, bool) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || depth > 2:
		return nil, false
	case bytes.Equal(b, []byte("null")):
		return nil, depth > 0 // a list field that is null: no organizations
	case b[0] == '[':
		var l flexArray[wireOrganization]
		_ = l.UnmarshalJSON(b)
		return l.items, true
	case b[0] != '{':
		return nil, false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return nil, false
	}
	fields := make(map[string]json.RawMessage, len(obj))
	for k, v := range obj {
		fields[strings.ToLower(k)] = v
	}
	if _, single := fields["organizationno"]; single && depth > 0 {
		var w wireOrganization
		if json.Unmarshal(b, &w) == nil {
			return []wireOrganization{w}, true
		}
	}
	for _, f := range organizationListFields {
		if raw, ok := fields[f]; ok {
			if items, found := findOrganizations(raw, depth+1); found {
				return items, true
			}
		}
	}
	return nil, false
}

// ListOrganizations is v2 ListOrganizations (POST with a JSON body, a read), filtered as f
// says, ordered by organization number.
func (c *Client) ListOrganizations(ctx context.Context, f OrganizationFilter) ([]Organization, error) {
	body := listOrganizationsBody{BusinessRegistrationNo: strings.TrimSpace(f.BusinessRegistrationNo)}
	wantCode := ""
	if f.VerificationStatus != "" {
		wantCode = verificationCode(f.VerificationStatus)
		if n, err := strconv.Atoi(wantCode); err == nil {
			body.VerificationProgressCode = &n
		}
	}
	var resp organizationsResponse
	cl := call{op: opListOrganizations, method: http.MethodPost, path: "/api/v2/organization/getOrganizationInfoList",
		body: body, needList: true, idempotent: true, envelopeOptional: true}
	if _, err := c.do(ctx, cl, &resp); err != nil {
		return nil, err
	}
	out := []Organization{}
	for i := range resp.items {
		o := resp.items[i].organization()
		if f.matches(o, wantCode) {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].No < out[j].No })
	return out, nil
}

func (f OrganizationFilter) matches(o Organization, wantCode string) bool {
	if name := strings.ToLower(strings.TrimSpace(f.Name)); name != "" &&
		!strings.Contains(strings.ToLower(o.NameKor), name) && !strings.Contains(strings.ToLower(o.NameEng), name) {
		return false
	}
	if f.BusinessRegistrationNo != "" && digits(o.BusinessRegistrationNo) != digits(f.BusinessRegistrationNo) {
		return false
	}
	return wantCode == "" || o.VerificationCode == wantCode
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
