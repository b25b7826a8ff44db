package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

const orgItems = `[
 {"organizationNo": 12, "memberNo": "m", "organizationNameKor": "예시 주식회사", "organizationNameEng": "Example Corp", "businessRegistrationNo": "123-45-67890", "verificationType": "BUSINESS_REGISTRATION", "verificationProgressCode": 7},
 {"organizationNo": "3", "organizationNameKor": "다른회사", "organizationNameEng": "Other Ltd", "businessRegistrationNo": "2223334444", "verificationProgressCode": "2"},
 {"organizationNo": 40, "organizationNameEng": "Strange Inc", "verificationProgressCode": 55}
]`

// orgServer answers ListOrganizations with body and records the request bodies.
func orgServer(t *testing.T, status int, body string) (*Client, func() []map[string]any) {
	t.Helper()
	var mu sync.Mutex
	var bodies []map[string]any
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v2/organization/getOrganizationInfoList" || !verifySignature(r, testSecretKey) {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusTeapot)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Errorf("request body %q is not a JSON object", raw)
		}
		mu.Lock()
		bodies = append(bodies, m)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	return c, func() []map[string]any { mu.Lock(); defer mu.Unlock(); return bodies }
}

// Every plausible envelope of the undocumented answer gives the same organizations.
func TestListOrganizations_envelopeVariants(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"organizationInfoList":      `{"returnCode":"0","returnMessage":"Success","totalCount":3,"organizationInfoList":` + orgItems + `}`,
		"organizationList":          `{"returnCode":0,"organizationList":` + orgItems + `}`,
		"organizations no envelope": `{"organizations":` + orgItems + `}`,
		"contents":                  `{"returnCode":"0","contents":` + orgItems + `}`,
		"data":                      `{"data":` + orgItems + `}`,
		"data.list":                 `{"returnCode":"0","data":{"list":` + orgItems + `,"totalCount":3}}`,
		"result.organizationList":   `{"result":{"organizationList":` + orgItems + `}}`,
		"bare array":                orgItems,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, bodies := orgServer(t, http.StatusOK, body)
			orgs, err := c.ListOrganizations(context.Background(), OrganizationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(orgs) != 3 || orgs[0].No != 3 || orgs[1].No != 12 || orgs[2].No != 40 {
				t.Fatalf("organizations = %+v, want 3, 12, 40 in order", orgs)
			}
			o := orgs[1]
			if o.NameKor != "예시 주식회사" || o.NameEng != "Example Corp" || o.VerificationType != "BUSINESS_REGISTRATION" ||
				o.VerificationStatus != "verified" || !o.Verified() || o.BusinessRegistrationNo != "123-45-67890" {
				t.Errorf("organization 12 = %+v", o)
			}
			if orgs[0].VerificationStatus != "phone_number_check" || orgs[0].Verified() {
				t.Errorf("organization 3 = %+v", orgs[0])
			}
			if orgs[2].VerificationStatus != "55" { // unknown codes kept verbatim
				t.Errorf("organization 40 status = %q, want 55", orgs[2].VerificationStatus)
			}
			if b := bodies(); len(b) != 1 || len(b[0]) != 0 {
				t.Errorf("request bodies = %v, want one {}", b)
			}
		})
	}
}

// An empty list in a known field is zero organizations; no list at all is never that.
func TestListOrganizations_evidence(t *testing.T) {
	t.Parallel()
	c, _ := orgServer(t, http.StatusOK, `{"returnCode":"0","organizationInfoList":[]}`)
	if orgs, err := c.ListOrganizations(context.Background(), OrganizationFilter{}); err != nil || len(orgs) != 0 || orgs == nil {
		t.Fatalf("empty list: %v %v", orgs, err)
	}
	for name, tc := range map[string]struct {
		status int
		body   string
		want   string
	}{
		"html page":         {http.StatusOK, "<html><body>Welcome</body></html>", "not a Certificate Manager answer"},
		"empty body":        {http.StatusOK, "", "empty response body"},
		"unknown shape":     {http.StatusOK, `{"returnCode":"0","returnMessage":"Success","totalRows":0}`, "no organization list"},
		"unknown fields":    {http.StatusOK, `{"something":{"else":[1,2]}}`, "no organization list"},
		"gateway 404":       {http.StatusNotFound, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`, "Not Found Exception"},
		"service error":     {http.StatusOK, `{"returnCode":"1000","returnMessage":"boom"}`, "code 1000: boom"},
		"scalar":            {http.StatusOK, `"ok"`, "not a Certificate Manager answer"},
		"array of garbage?": {http.StatusOK, `{"data":"text"}`, "no organization list"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _ := orgServer(t, tc.status, tc.body)
			orgs, err := c.ListOrganizations(context.Background(), OrganizationFilter{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "ListOrganizations") {
				t.Fatalf("got %v, %v; want an error containing %q", orgs, err, tc.want)
			}
			if tc.status == http.StatusOK && !strings.Contains(err.Error(), "getOrganizationInfoList") && tc.want != "code 1000: boom" {
				t.Errorf("error %q does not name the endpoint", err)
			}
		})
	}
}

// Registration number and status go to the service; every filter is re-checked on the
// answer, whose service here ignores them.
func TestListOrganizations_filters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, bodies := orgServer(t, http.StatusOK, `{"returnCode":"0","organizationInfoList":`+orgItems+`}`)
	for _, tc := range []struct {
		f    OrganizationFilter
		want []int64
		sent map[string]any
	}{
		{OrganizationFilter{Name: "example"}, []int64{12}, map[string]any{}},
		{OrganizationFilter{Name: "주식"}, []int64{12}, map[string]any{}},
		{OrganizationFilter{Name: "ltd"}, []int64{3}, map[string]any{}},
		{OrganizationFilter{BusinessRegistrationNo: "1234567890"}, []int64{12}, map[string]any{"businessRegistrationNo": "1234567890"}},
		{OrganizationFilter{VerificationStatus: "verified"}, []int64{12}, map[string]any{"verificationProgressCode": float64(7)}},
		{OrganizationFilter{VerificationStatus: "55"}, []int64{40}, map[string]any{"verificationProgressCode": float64(55)}},
		{OrganizationFilter{VerificationStatus: "failed"}, nil, map[string]any{"verificationProgressCode": float64(90)}},
	} {
		orgs, err := c.ListOrganizations(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, o := range orgs {
			got = append(got, o.No)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%+v: got %v, want %v", tc.f, got, tc.want)
		}
		b := bodies()
		last, _ := json.Marshal(b[len(b)-1])
		want, _ := json.Marshal(tc.sent)
		if string(last) != string(want) {
			t.Errorf("%+v: sent %s, want %s", tc.f, last, want)
		}
	}
}

func TestVerificationStatuses(t *testing.T) {
	got := strings.Join(VerificationStatuses(), ",")
	if got != "waiting,documents,phone_number_check,phone_call,final_review,verified,failed,expired" {
		t.Errorf("VerificationStatuses = %s", got)
	}
}
