package mockserver

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// V1ExternalOnly: v1 lists and deletes external certificates only; v2 sees every type.
func TestV1ExternalOnly(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{V1ExternalOnly: true})
	wantOK(t, e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("ext", p.rsaLeaf, p.chainPEM)))
	cb := e.request(typeCloudBasic, "cb-cert", "cb.example.com")

	res := e.signed(http.MethodGet, "/api/v1/certificates", nil)
	wantOK(t, res)
	if items := res.list("sslCertificateList"); len(items) != 1 || items[0]["certificateName"] != "ext" {
		t.Errorf("v1 lists %v, want the external certificate only", items)
	}
	wantCode(t, e.signed(http.MethodGet, fmt.Sprintf("/api/v1/certificates?certificateNo=%d", cb), nil), http.StatusOK, codeNotFound, "")
	if e.v2ByName("cb-cert") == nil {
		t.Fatal("v2 does not list the Cloud Basic certificate")
	}
	// v1 refuses the delete as for an unknown number; v2 deletes it.
	wantCode(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v1/certificate/%d?certificateName=cb-cert", cb), nil), http.StatusOK, codeNoCertificate, "")
	if _, ok := e.srv.Certificate(cb); !ok {
		t.Fatal("v1 deleted a Cloud Basic certificate")
	}
	wantOK(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v2/certificate/deleteCertificate/%d?certificateName=cb-cert", cb), nil))
	if _, ok := e.srv.Certificate(cb); ok {
		t.Error("v2 did not delete it")
	}
}

// DCVPerDomain: a Global Edge "*.x" and "x" get a value each at one record name; each
// domain's answer carries its own; validation needs both published. Cloud Basic CNAMEs stay
// shared (a CNAME holds one target).
func TestDCVPerDomain(t *testing.T) {
	e := newEnv(t, Options{DCVPerDomain: true})
	dcv := func(no int64, domain string) map[string]any {
		t.Helper()
		res := e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/getVerificationInfo/%d?domainAddress=%s", no, url.QueryEscape(domain)), nil)
		wantOK(t, res)
		items := res.list("dnsVerificationList")
		if len(items) != 1 {
			t.Fatalf("%s: %s", domain, res.raw)
		}
		return items[0]
	}
	ge := e.request(typeGlobalEdge, "ge-cert", "*.x.example.com", "x.example.com")
	wild, apex := dcv(ge, "*.x.example.com"), dcv(ge, "x.example.com")
	if wild["txtName"] != apex["txtName"] || wild["txtValue"] == apex["txtValue"] || wild["domainAddress"] != "*.x.example.com" {
		t.Fatalf("wildcard %v, apex %v: want one name, two values", wild, apex)
	}
	name := fmt.Sprint(wild["txtName"])
	if err := e.srv.PublishDNS(name, recordTXT, fmt.Sprint(apex["txtValue"])); err != nil {
		t.Fatal(err)
	}
	if got := e.statusOf(ge); got != "ONGOING" {
		t.Fatalf("issued with one of two values: %s", got)
	}
	if err := e.srv.PublishDNS(name, recordTXT, fmt.Sprint(apex["txtValue"]), fmt.Sprint(wild["txtValue"])); err != nil {
		t.Fatal(err)
	}
	if got := e.statusOf(ge); got != "NORMAL_GLOBAL_EDGE_DEDICATED" {
		t.Fatalf("status %s with both values published", got)
	}

	cb := e.request(typeCloudBasic, "cb-cert", "*.y.example.com", "y.example.com")
	if w, a := dcv(cb, "*.y.example.com"), dcv(cb, "y.example.com"); w["txtValue"] != a["txtValue"] || w["txtName"] != a["txtName"] {
		t.Errorf("Cloud Basic: %v and %v, want one shared CNAME", w, a)
	}
	// PublishDCV publishes every value of a shared name.
	ge2 := e.request(typeGlobalEdge, "ge2-cert", "*.z.example.com", "z.example.com")
	if err := e.srv.PublishDCV(ge2); err != nil {
		t.Fatal(err)
	}
	if got := e.statusOf(ge2); got != "NORMAL_GLOBAL_EDGE_DEDICATED" {
		t.Errorf("after PublishDCV: %s", got)
	}
}
