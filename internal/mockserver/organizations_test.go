package mockserver

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// rawCall sends a signed request with a raw body ("" = none) and returns the answer's text.
func rawCall(t *testing.T, e *testEnv, method, uri, body string, wantStatus int) string {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+uri, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	signHeaders(req, DemoAccessKey, DemoSecretKey, e.now())
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		t.Fatalf("%s %s: HTTP %d, want %d: %s", method, uri, resp.StatusCode, wantStatus, b)
	}
	return string(b)
}

func doJSON(t *testing.T, e *testEnv, method, uri, body string, wantStatus int, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(rawCall(t, e, method, uri, body, wantStatus)), v); err != nil {
		t.Fatal(err)
	}
}

func seedOrganizations(t *testing.T, s *Server) {
	t.Helper()
	for _, o := range []Organization{
		{NameKor: "예시 주식회사", NameEng: "Example Corp", BusinessRegistrationNo: "123-45-67890", VerificationCode: 7},
		{NameKor: "다른회사", NameEng: "Other Ltd", BusinessRegistrationNo: "2223334444", VerificationCode: 2},
	} {
		if _, err := s.AddOrganization(o); err != nil {
			t.Fatal(err)
		}
	}
}

// The default envelope, the filters (AND) and the body requirement.
func TestListOrganizations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	s := e.srv
	seedOrganizations(t, s)
	var all struct {
		ReturnCode string             `json:"returnCode"`
		TotalCount int                `json:"totalCount"`
		List       []wireOrganization `json:"organizationInfoList"`
	}
	doJSON(t, e, http.MethodPost, "/api/v2/organization/getOrganizationInfoList", `{}`, http.StatusOK, &all)
	if all.ReturnCode != "0" || all.TotalCount != 2 || len(all.List) != 2 || all.List[0].OrganizationNo != 1001 ||
		all.List[0].VerificationType != "BUSINESS_REGISTRATION" || all.List[0].VerificationProgressCode != 7 {
		t.Fatalf("answer = %+v", all)
	}
	for body, want := range map[string]int{
		`{"organizationNameEng":"example"}`:                                  1,
		`{"organizationNameKor":"회사"}`:                                       2,
		`{"businessRegistrationNo":"1234567890"}`:                            1,
		`{"verificationProgressCode":2}`:                                     1,
		`{"verificationProgressCode":"7","organizationNameEng":"Other"}`:     0,
		`{"verificationProgressCode":"90"}`:                                  0,
		`{"organizationNameKor":"","organizationNameEng":"","unknown":true}`: 2,
	} {
		all.List = nil
		doJSON(t, e, http.MethodPost, "/api/v2/organization/getOrganizationInfoList", body, http.StatusOK, &all)
		if len(all.List) != want || all.TotalCount != want {
			t.Errorf("%s: %d organizations, want %d", body, len(all.List), want)
		}
	}
	var bad envelope
	doJSON(t, e, http.MethodPost, "/api/v2/organization/getOrganizationInfoList", "", http.StatusBadRequest, &bad)
	if bad.ReturnCode != codeValidation {
		t.Errorf("no body: %+v", bad)
	}
}

// Each envelope option puts the list where it says.
func TestListOrganizations_envelopes(t *testing.T) {
	t.Parallel()
	for _, v := range OrganizationsEnvelopes {
		e := newEnv(t, Options{OrganizationsEnvelope: v})
		seedOrganizations(t, e.srv)
		raw := rawCall(t, e, http.MethodPost, "/api/v2/organization/getOrganizationInfoList", `{}`, http.StatusOK)
		want := map[string]string{
			"organizationInfoList": `"organizationInfoList":[{`, "organizationList": `"organizationList":[{`,
			"organizations": `"organizations":[{`, "contents": `"contents":[{`, "data": `"data":[{`,
			"data.list": `"data":{"list":[{`, "array": `[{"organizationNo":1001`, "no-return-code": `{"organizations":[{`,
		}[v]
		if !strings.HasPrefix(strings.TrimSpace(raw), "{") && v != "array" || !strings.Contains(raw, want) {
			t.Errorf("%s: %s", v, raw)
		}
		if (v == "no-return-code" || v == "array") == strings.Contains(raw, "returnCode") {
			t.Errorf("%s: returnCode presence wrong: %s", v, raw)
		}
	}
	if _, err := New(Options{OrganizationsEnvelope: "nope"}); err == nil {
		t.Error("an unknown envelope was accepted")
	}
}

func TestCtlOrganizations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	s, srv := e.srv, e.ts
	post := func(body string) (*http.Response, map[string]any) {
		resp, err := http.Post(srv.URL+"/_mock/organizations", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp, m
	}
	if resp, m := post(`{"name_eng":"Example Corp","verification_code":7}`); resp.StatusCode != 200 || m["organization_no"] != float64(1001) {
		t.Fatalf("add: %d %v", resp.StatusCode, m)
	}
	for _, bad := range []string{`{"name_eng":"x","typo":1}`, `{}`, `{"name_eng":"x","organization_no":5}`} {
		if resp, _ := post(bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
	resp, err := http.Get(srv.URL + "/_mock/organizations")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Organizations []Organization }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list.Organizations) != 1 || list.Organizations[0].VerificationCode != 7 {
		t.Fatalf("list: %+v %v", list, err)
	}
	s.Reset()
	if len(s.orgs.snapshot()) != 0 {
		t.Error("reset kept the organizations")
	}
}

func TestListCertificateTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	s := e.srv
	raw := rawCall(t, e, http.MethodGet, "/api/v2/certificate/certificateTypes", "", http.StatusOK)
	var body struct {
		ReturnCode string                `json:"returnCode"`
		TotalCount int                   `json:"totalCount"`
		Types      []wireCertificateType `json:"certificatetype"`
	}
	if err := json.Unmarshal([]byte(raw), &body); err != nil || !strings.Contains(raw, `"certificatetype":[`) {
		t.Fatalf("%s %v", raw, err)
	}
	if body.ReturnCode != "0" || body.TotalCount != 4 || len(body.Types) != 4 {
		t.Fatalf("%+v", body)
	}
	if ov := body.Types[2]; ov.CertificateTypeCode != typeAdvancedOV || ov.CSRRequired != "Y" || ov.PricingPlan != "PAID" || ov.ValidationLevel != levelOV {
		t.Errorf("OV = %+v", ov)
	}
	if s.Stats().Requests[OpListCertificateTypes] != 1 {
		t.Errorf("stats: %v", s.Stats().Requests)
	}
}
