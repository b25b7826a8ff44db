package main

import (
	"net/http"
	"strconv"
	"testing"
)

// -v1-external-only and -dcv-per-domain switch the mock to the API doc §8 alternatives.
func TestRunAlternatives(t *testing.T) {
	base, _ := startRun(t, "-v1-external-only", "-dcv-per-domain")
	call(t, base, http.MethodPost, "/api/v2/certificate/requestGedCertificateIssuance",
		map[string]any{"certificateName": "cmd-alt", "commonName": "*.alt.example.com", "dnsName": []string{"alt.example.com"}})
	v1 := call(t, base, http.MethodGet, "/api/v1/certificates", nil)
	if items, _ := v1["sslCertificateList"].([]any); len(items) != 0 {
		t.Errorf("v1 lists %v, want external certificates only", items)
	}
	v2 := call(t, base, http.MethodGet, "/api/v2/certificate/certificates?certificateName=cmd-alt", nil)
	items, _ := v2["sslCertificateList"].([]any)
	if len(items) != 1 {
		t.Fatalf("v2: %v", v2)
	}
	no := items[0].(map[string]any)["certificateNo"]
	value := func(domain string) any {
		res := call(t, base, http.MethodGet, "/api/v2/certificate/getVerificationInfo/"+jsonNumber(no)+"?domainAddress="+domain, nil)
		list, _ := res["dnsVerificationList"].([]any)
		if len(list) != 1 {
			t.Fatalf("%s: %v", domain, res)
		}
		return list[0].(map[string]any)["txtValue"]
	}
	if value("%2A.alt.example.com") == value("alt.example.com") {
		t.Error("the wildcard and the apex share a value: -dcv-per-domain not applied")
	}
}

func jsonNumber(v any) string {
	f, _ := v.(float64)
	return strconv.FormatInt(int64(f), 10)
}

// -organizations-envelope answers ListOrganizations in another plausible shape.
func TestRunOrganizationsEnvelope(t *testing.T) {
	base, _ := startRun(t, "-organizations-envelope", "data.list")
	call(t, base, http.MethodPost, "/_mock/organizations", map[string]any{"name_eng": "Example Corp", "verification_code": 7})
	res := call(t, base, http.MethodPost, "/api/v2/organization/getOrganizationInfoList", map[string]any{})
	data, _ := res["data"].(map[string]any)
	list, _ := data["list"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["organizationNameEng"] != "Example Corp" {
		t.Fatalf("answer %v, want the organization under data.list", res)
	}
}
