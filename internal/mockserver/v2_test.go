package mockserver

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

func TestV2RegisterChainDelete(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})

	res := e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body("api-cert", 0, p.ecLeaf, p.chainPEM))
	wantOK(t, res)
	items := res.list("sslCertificateList")
	if res.num("totalRows") != 1 || len(items) != 1 {
		t.Fatalf("register: %s", res.raw)
	}
	item := items[0]
	for k, v := range map[string]string{
		"certificateName": "api-cert", "commonName": "api.example.net", "dnsName": "api.example.net,*.api.example.net",
		"statusCode": "1", "statusName": "NORMAL", "certificateType": "EXTERNAL", "certPublicKeyInfo": "ECDSA P-256",
		"subjectDN": "", "serialNumber": fmt.Sprintf("%X", p.ecLeaf.cert.SerialNumber), "orderId": "", "revokeDate": "",
	} {
		if item[k] != v {
			t.Errorf("%s = %v, want %q", k, item[k], v)
		}
	}
	no, _ := item["certificateNo"].(json.Number).Int64()

	res = e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/exportCertificate/%d/chain", no), nil)
	wantOK(t, res)
	if res.num("totalRows") != 0 || res.str("subjectCommonName") != "api.example.net" {
		t.Fatalf("chain: %s", res.raw)
	}
	crlfOf := func(s string) string { return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\r\n") }
	if got := res.str("certificate"); got != crlfOf(p.ecLeaf.certPEM) {
		t.Errorf("certificate = %q", got)
	}
	if got := res.str("subCaCertificate"); got != crlfOf(p.intermediatePEM) {
		t.Errorf("subCaCertificate = %q", got)
	}
	if got := res.str("rootCaCertificate"); got != crlfOf(p.rootPEM) {
		t.Errorf("rootCaCertificate = %q", got)
	}
	wantCode(t, e.signed(http.MethodGet, "/api/v2/certificate/exportCertificate/42/chain", nil), http.StatusOK, codeNotFound, msgNotFound)

	del := fmt.Sprintf("/api/v2/certificate/deleteCertificate/%d?certificateName=", no)
	wantCode(t, e.signed(http.MethodDelete, del+"other", nil), http.StatusOK, codeDeleteFailed, msgDeleteMismatch)
	res = e.signed(http.MethodDelete, del+"api-cert", nil)
	wantOK(t, res)
	if res.num("totalRows") != 1 {
		t.Errorf("totalRows = %d", res.num("totalRows"))
	}
	wantCode(t, e.signed(http.MethodDelete, del+"api-cert", nil), http.StatusOK, codeNoCertificate, msgNoCertificate)
}

func TestV2Ed25519(t *testing.T) {
	e := newEnv(t, Options{})
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := testcert.NewCA("Ed25519 Test")
	if err != nil {
		t.Fatal(err)
	}
	l, err := ca.Issue("ed.example.org", testcert.LeafOptions{Key: priv})
	if err != nil {
		t.Fatal(err)
	}
	leaf := testLeaf{certPEM: l.CertPEM, keyPEM: l.KeyPEM}
	res := e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body("ed-cert", 0, leaf, ca.IntermediatePEM))
	wantOK(t, res)
	item := res.list("sslCertificateList")[0]
	if item["certPublicKeyInfo"] != "Ed25519" || item["signatureAlgorithm"] != "ECDSA-SHA256" {
		t.Fatalf("ed25519: %s", res.raw)
	}
	// A one-certificate chain: subCa only, no root.
	res = e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/exportCertificate/%d/chain", firstCertificateNo), nil)
	if res.str("subCaCertificate") == "" || res.str("rootCaCertificate") != "" {
		t.Fatalf("chain: %s", res.raw)
	}
}

func TestV2Renewal(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	no := e.create("renew-me", p.rsaLeaf)
	if err := e.srv.SetInUse(no, "900"); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetStatus(no, "REVOKE"); err != nil {
		t.Fatal(err)
	}
	before, _ := e.srv.Certificate(no)
	e.advance(2 * time.Second)

	res := e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body("renew-me", no, p.rsaLeaf2, p.chainPEM))
	wantOK(t, res)
	item := res.list("sslCertificateList")[0]
	if got, _ := item["certificateNo"].(json.Number).Int64(); got != no {
		t.Fatalf("renewal changed the number: %d → %d", no, got)
	}
	after, _ := e.srv.Certificate(no)
	if after.SerialNumber == before.SerialNumber || after.SerialNumber != fmt.Sprintf("%X", p.rsaLeaf2.cert.SerialNumber) {
		t.Errorf("serial %s → %s", before.SerialNumber, after.SerialNumber)
	}
	if !after.UpdatedAt.After(before.UpdatedAt) || !after.RegisteredAt.Equal(before.RegisteredAt) {
		t.Errorf("dates: registered %v → %v, updated %v → %v", before.RegisteredAt, after.RegisteredAt, before.UpdatedAt, after.UpdatedAt)
	}
	if fmt.Sprint(after.InstanceNos) != "[900]" || after.StatusName != "NORMAL" || after.CertificatePEM != p.rsaLeaf2.certPEM {
		t.Errorf("after renewal: %+v", after)
	}
	if e.srv.Stats().Certificates != 1 {
		t.Error("renewal added a certificate")
	}

	// The number as a numeric string is accepted too.
	body := v2Body("renew-me", 0, p.rsaLeaf, p.chainPEM)
	body["certificateNo"] = fmt.Sprint(no)
	wantOK(t, e.signed(http.MethodPost, "/api/v2/certificate/withExternal", body))

	wantCode(t, e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body("renew-me", 424242, p.rsaLeaf, p.chainPEM)),
		http.StatusOK, codeNotFound, msgNotFound)
	wantCode(t, e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body("other-name", no, p.rsaLeaf, p.chainPEM)),
		http.StatusOK, codeDeleteFailed, msgRenewMismatch)
	wantCode(t, e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body("renew-me", no, p.expiredLeaf, p.chainPEM)),
		http.StatusOK, codeInvalidCertificate, msgInvalidCertificate)
}

func TestV2ListPaging(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	for i := range 7 {
		e.create(fmt.Sprintf("cert-%d", i), p.ecLeaf)
	}
	names := func(res result) string {
		var out []string
		for _, it := range res.list("sslCertificateList") {
			out = append(out, fmt.Sprint(it["certificateName"]))
		}
		return strings.Join(out, ",")
	}
	cases := []struct {
		query string
		want  string
	}{
		{"", "cert-0,cert-1,cert-2,cert-3,cert-4,cert-5,cert-6"},
		{"?pageSize=0&page=3", "cert-0,cert-1,cert-2,cert-3,cert-4,cert-5,cert-6"},
		{"?pageSize=3", "cert-0,cert-1,cert-2"},
		{"?page=1&pageSize=3", "cert-0,cert-1,cert-2"},
		{"?page=2&pageSize=3", "cert-3,cert-4,cert-5"},
		{"?page=3&pageSize=3", "cert-6"},
		{"?page=4&pageSize=3", ""},
		{"?page=9223372036854775807&pageSize=3", ""},
		{"?pageSize=1000", "cert-0,cert-1,cert-2,cert-3,cert-4,cert-5,cert-6"},
	}
	for _, tc := range cases {
		res := e.signed(http.MethodGet, "/api/v2/certificate/certificates"+tc.query, nil)
		wantOK(t, res)
		if got := names(res); got != tc.want || res.num("totalCount") != 7 {
			t.Errorf("%s: got %q totalCount %d, want %q", tc.query, got, res.num("totalCount"), tc.want)
		}
		if _, has := res.body["totalRows"]; has {
			t.Errorf("%s: ListCertificates must count with totalCount only", tc.query)
		}
	}
	res := e.signed(http.MethodGet, "/api/v2/certificate/certificates?certificateName=cert-4", nil)
	if names(res) != "cert-4" || res.num("totalCount") != 1 {
		t.Errorf("name filter: %s", res.raw)
	}
	res = e.signed(http.MethodGet, "/api/v2/certificate/certificates?certificateName=none", nil)
	wantOK(t, res)
	if res.num("totalCount") != 0 || !bytes.Contains(res.raw, []byte(`"sslCertificateList":[]`)) {
		t.Errorf("empty: %s", res.raw)
	}
	wantCode(t, e.signed(http.MethodGet, "/api/v2/certificate/certificates?page=-1", nil), http.StatusBadRequest, codeValidation, "")
}

func TestSubAccountKeys(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{
		Credentials:    map[string]string{"main-key": "main-secret", "sub-key": "sub-secret"},
		SubAccountKeys: []string{"sub-key"},
	})
	sub := func(method, uri string, body any) result {
		return e.send(method, uri, body, "sub-key", "sub-secret", e.now())
	}
	for _, c := range []struct {
		method, uri string
		body        any
	}{
		{http.MethodGet, "/api/v2/certificate/certificates", nil},
		{http.MethodPost, "/api/v2/certificate/withExternal", v2Body("sub-cert", 0, p.ecLeaf, p.chainPEM)},
		{http.MethodGet, "/api/v2/certificate/exportCertificate/1/chain", nil},
		{http.MethodDelete, "/api/v2/certificate/deleteCertificate/1?certificateName=x", nil},
	} {
		res := sub(c.method, c.uri, c.body)
		if res.status != http.StatusForbidden || len(res.raw) != 0 {
			t.Errorf("%s %s: HTTP %d body %q, want 403 and an empty body", c.method, c.uri, res.status, res.raw)
		}
	}
	if e.srv.Stats().Certificates != 0 {
		t.Fatal("a forbidden call registered a certificate")
	}
	res := sub(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("sub-cert", p.ecLeaf, p.chainPEM))
	wantOK(t, res)
	wantOK(t, sub(http.MethodGet, "/api/v1/certificates", nil))
	// The main key works on v2; the demo key is not configured.
	wantOK(t, e.send(http.MethodGet, "/api/v2/certificate/certificates", nil, "main-key", "main-secret", e.now()))
	wantGateway(t, e.signed(http.MethodGet, "/api/v2/certificate/certificates", nil), http.StatusUnauthorized, "200")

	if _, err := New(Options{SubAccountKeys: []string{"nobody"}}); err == nil {
		t.Error("New accepted a sub-account key without a secret")
	}
}

// TestV2RenewalNameRule: the v1 name rule applies to renewals (API doc §8), so a legacy name
// cannot be renewed in place (HTTP 400, 2000) but can still be deleted by that name.
func TestV2RenewalNameRule(t *testing.T) {
	p := getPKI(t)
	legacy25, legacy30 := "legacy-name-of-25-letters", "legacy-certificate-named-30-ch"
	e := legacyEnv(t, p.rsaLeaf, legacy25, legacy30, "short-name")
	if len(legacy25) != 25 || len(legacy30) != 30 {
		t.Fatal("legacy names have the wrong length")
	}
	cases := []struct {
		name string
		no   int64
	}{
		{legacy25, firstCertificateNo},
		{legacy30, firstCertificateNo + 1},
		// A name breaking the rule is refused before the name/number match (not 1004).
		{"1-starts-with-a-digit", firstCertificateNo + 2},
		{"x", firstCertificateNo + 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := e.srv.Certificate(tc.no)
			res := e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body(tc.name, tc.no, p.rsaLeaf2, p.chainPEM))
			wantCode(t, res, http.StatusBadRequest, codeValidation, msgNameRule)
			if after, _ := e.srv.Certificate(tc.no); !reflect.DeepEqual(after, before) {
				t.Errorf("certificate changed:\n%+v\n→ %+v", before, after)
			}
			if n := e.srv.Stats().Certificates; n != 3 {
				t.Errorf("certificates = %d", n)
			}
		})
	}

	// Still listed and deleted by the legacy name, through either version.
	res := e.signed(http.MethodGet, "/api/v1/certificates?certificateName="+legacy25, nil)
	if items := res.list("sslCertificateList"); len(items) != 1 || items[0]["certificateName"] != legacy25 {
		t.Fatalf("list by legacy name: %s", res.raw)
	}
	wantOK(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v1/certificate/%d?certificateName=%s", firstCertificateNo, legacy25), nil))
	wantOK(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v2/certificate/deleteCertificate/%d?certificateName=%s", firstCertificateNo+1, legacy30), nil))
	if n := e.srv.Stats().Certificates; n != 1 {
		t.Errorf("after deletes: %d certificates", n)
	}
	// The valid name of the third certificate still renews.
	wantOK(t, e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body("short-name", firstCertificateNo+2, p.rsaLeaf2, p.chainPEM)))
}
