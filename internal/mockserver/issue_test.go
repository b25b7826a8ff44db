package mockserver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestIssueRequestRefusals: every refusal of both request operations is HTTP 400 with its
// code, and stores nothing.
func TestIssueRequestRefusals(t *testing.T) {
	tooMany := make([]string, maxDomainNames) // with the common name: 101 names
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("h%d.example.com", i)
	}
	long := strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61) + ".com" // 256
	cases := []struct {
		name  string
		body  map[string]any // nil fields: defaults below
		code  string
		types []string // default both
	}{
		{name: "name missing", body: map[string]any{"certificateName": ""}, code: codeValidation},
		{name: "name starts with a digit", body: map[string]any{"certificateName": "1-cert"}, code: codeValidation},
		{name: "name too short", body: map[string]any{"certificateName": "ab"}, code: codeValidation},
		{name: "name too long", body: map[string]any{"certificateName": "a-name-of-21-letters-"}, code: codeValidation},
		{name: "name with an underscore", body: map[string]any{"certificateName": "bad_name"}, code: codeValidation},
		{name: "duplicate name", body: map[string]any{"certificateName": "taken-name"}, code: codeValidation},
		{name: "common name missing", body: map[string]any{"commonName": ""}, code: codeValidation},
		{name: "validationMethod missing", body: map[string]any{"validationMethod": ""}, code: codeValidation, types: []string{typeCloudBasic}},
		{name: "validationMethod E", body: map[string]any{"validationMethod": "E"}, code: codeValidation, types: []string{typeCloudBasic}},
		{name: "common name single label", body: map[string]any{"commonName": "localhost"}, code: codeValidation},
		{name: "common name IP address", body: map[string]any{"commonName": "10.0.0.1"}, code: codeValidation},
		{name: "common name underscore", body: map[string]any{"commonName": "a_b.example.com"}, code: codeValidation},
		{name: "common name leading hyphen", body: map[string]any{"commonName": "-a.example.com"}, code: codeValidation},
		{name: "common name empty label", body: map[string]any{"commonName": "a..example.com"}, code: codeValidation},
		{name: "common name label of 64", body: map[string]any{"commonName": strings.Repeat("x", 64) + ".com"}, code: codeValidation},
		{name: "common name over 64 characters", body: map[string]any{"commonName": strings.Repeat("x", 60) + ".example.com"}, code: codeValidation},
		{name: "common name wildcard inside", body: map[string]any{"commonName": "a.*.example.com"}, code: codeValidation},
		{name: "common name partial wildcard", body: map[string]any{"commonName": "*a.example.com"}, code: codeValidation},
		{name: "common name bare wildcard", body: map[string]any{"commonName": "*"}, code: codeValidation},
		{name: "common name wildcard on a TLD", body: map[string]any{"commonName": "*.com"}, code: codeValidation},
		{name: "common name non-ASCII", body: map[string]any{"commonName": "bücher.example"}, code: codeValidation},
		{name: "SAN wildcard inside", body: map[string]any{"dnsName": []string{"a.*.b.example.com"}}, code: codeInvalidSANs},
		{name: "SAN partial wildcard", body: map[string]any{"dnsName": []string{"*a.example.com"}}, code: codeInvalidSANs},
		{name: "SAN bare wildcard", body: map[string]any{"dnsName": []string{"*"}}, code: codeInvalidSANs},
		{name: "SAN double wildcard", body: map[string]any{"dnsName": []string{"*.*.example.com"}}, code: codeInvalidSANs},
		{name: "SAN empty", body: map[string]any{"dnsName": []string{""}}, code: codeInvalidSANs},
		{name: "SAN with a space", body: map[string]any{"dnsName": []string{"a b.example.com"}}, code: codeInvalidSANs},
		{name: "SAN numeric TLD", body: map[string]any{"dnsName": []string{"host.123"}}, code: codeInvalidSANs},
		{name: "SAN trailing hyphen", body: map[string]any{"dnsName": []string{"a-.example.com"}}, code: codeInvalidSANs},
		{name: "SAN longer than 253", body: map[string]any{"dnsName": []string{long}}, code: codeInvalidSANs},
		{name: "SAN repeats the common name", body: map[string]any{"dnsName": []string{"WWW.Example.com."}}, code: codeInvalidSANs},
		{name: "SAN repeated", body: map[string]any{"dnsName": []string{"a.example.com", "A.EXAMPLE.COM"}}, code: codeInvalidSANs},
		{name: "SAN wildcard repeated", body: map[string]any{"dnsName": []string{"*.example.com", "*.example.com."}}, code: codeInvalidSANs},
		{name: "101 names", body: map[string]any{"dnsName": tooMany}, code: codeValidation},
		{name: "dnsName not an array", body: map[string]any{"dnsName": "a.example.com"}, code: codeValidation},
	}
	for _, typ := range []string{typeCloudBasic, typeGlobalEdge} {
		e := newEnv(t, Options{})
		e.request(typ, "taken-name", "taken.example.com")
		for _, tc := range cases {
			if tc.types != nil && tc.types[0] != typ {
				continue
			}
			t.Run(typ+"/"+tc.name, func(t *testing.T) {
				body := requestBody(typ, "new-cert", "www.example.com")
				for k, v := range tc.body {
					body[k] = v
				}
				before := e.srv.Stats()
				res := e.signed(http.MethodPost, requestPath(typ), body)
				wantCode(t, res, http.StatusBadRequest, tc.code, "")
				if tc.code == codeInvalidSANs && !strings.HasPrefix(res.str("returnMessage"), msgInvalidSANs) {
					t.Errorf("message %q", res.str("returnMessage"))
				}
				after := e.srv.Stats()
				if after.Certificates != 1 {
					t.Errorf("%d certificates stored", after.Certificates)
				}
				op := OpCloudBasicCertificateRequest
				if typ == typeGlobalEdge {
					op = OpGlobalEdgeCertificateRequest
				}
				if after.Requests[op] != before.Requests[op]+1 {
					t.Errorf("%s counted %d → %d", op, before.Requests[op], after.Requests[op])
				}
			})
		}
		// Exactly 100 names and a name of exactly 253 characters are fine.
		wantOK(t, e.signed(http.MethodPost, requestPath(typ), requestBody(typ, "hundred", "www.example.com", tooMany[:99]...)))
		n253 := strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com"
		if len(n253) != 253 {
			t.Fatal(len(n253))
		}
		wantOK(t, e.signed(http.MethodPost, requestPath(typ), requestBody(typ, "longest", "www.example.com", n253+".")))
		if info, _ := e.srv.Certificate(e.noByName("hundred")); len(info.Names) != 100 {
			t.Errorf("names: %d", len(info.Names))
		}
	}
}

func TestCloudBasicRequest(t *testing.T) {
	e := newEnv(t, Options{})
	res := e.signed(http.MethodPost, cloudBasicPath, requestBody(typeCloudBasic, "basic-cert", "*.Example.COM", "example.com.", "www.example.net"))
	wantOK(t, res)
	if _, has := res.body["certificateNo"]; has {
		t.Error("Cloud Basic answered a certificateNo")
	}
	if res.num("totalRows") != 1 {
		t.Errorf("totalRows = %d", res.num("totalRows"))
	}
	wantFields(t, res.body, map[string]string{
		"certificateName": "basic-cert", "commonName": "*.example.com", "dnsName": "example.com,www.example.net",
		"validationMethod": "D", "requestSn": fmt.Sprint(firstRequestSn),
	})
	no := e.noByName("basic-cert")
	if no != firstCertificateNo {
		t.Errorf("number %d", no)
	}
	for _, item := range []map[string]any{e.v2Of(no), e.v1Of(no)} {
		wantFields(t, item, map[string]string{
			"statusCode": "0", "statusName": "ONGOING", "certificateType": typeCloudBasic, "externalYn": "N",
			"renewalYn": "N", "failReason": "", "serialNumber": "", "issuer": "", "signatureAlgorithm": "",
			"certPublicKeyInfo": "", "notBefore": "", "notAfter": "", "issueDate": "",
		})
	}
	wantFields(t, e.v2Of(no), map[string]string{
		"commonName": "*.example.com", "dnsName": "*.example.com,example.com,www.example.net",
		"issueType": "NEW", "subjectDN": "", "revokeDate": "",
	})
	wantFields(t, e.v1Of(no), map[string]string{
		"domainAddress": "*.example.com", "subDomainAddress": "*.example.com,example.com,www.example.net",
		"dnInfo": "", "caInfo": "", "certSerialNumber": "", "validStartDate": "", "validEndDate": "",
	})
	// A second request counts up.
	res = e.signed(http.MethodPost, cloudBasicPath, requestBody(typeCloudBasic, "basic-two", "two.example.com"))
	wantOK(t, res)
	if res.str("requestSn") != fmt.Sprint(firstRequestSn+1) || res.str("dnsName") != "" {
		t.Errorf("second: %s", res.raw)
	}
}

func TestGlobalEdgeRequest(t *testing.T) {
	e := newEnv(t, Options{})
	res := e.signed(http.MethodPost, globalEdgePath, requestBody(typeGlobalEdge, "edge-cert", "cdn.example.com", "img.example.com"))
	wantOK(t, res)
	cert, _ := res.body["certificate"].(map[string]any)
	if res.num("totalRows") != 1 || cert == nil {
		t.Fatalf("answer: %s", res.raw)
	}
	if numOf(t, cert["certificateNo"]) != firstCertificateNo || numOf(t, cert["statusCode"]) != 0 {
		t.Errorf("certificate: %v", cert)
	}
	wantFields(t, cert, map[string]string{
		"certificateName": "edge-cert", "statusName": "ONGOING", "commonName": "cdn.example.com",
		"dnsName": "img.example.com", "requestSn": fmt.Sprint(firstRequestSn),
	})
	wantFields(t, e.v2Of(firstCertificateNo), map[string]string{
		"certificateType": typeGlobalEdge, "externalYn": "N", "statusName": "ONGOING", "statusCode": "0",
	})
	// Global Edge has no validationMethod; one sent anyway is ignored.
	body := requestBody(typeGlobalEdge, "edge-two", "two.example.com")
	body["validationMethod"] = "X"
	wantOK(t, e.signed(http.MethodPost, globalEdgePath, body))
}

// TestRecordsByType: one record per validation domain — "*.x" and "x" share it — CNAME for
// Cloud Basic, TXT for Global Edge.
func TestRecordsByType(t *testing.T) {
	e := newEnv(t, Options{})
	for _, tc := range []struct {
		typ, name, recordType string
	}{
		{typeCloudBasic, "shared-cb", recordCNAME},
		{typeGlobalEdge, "shared-ge", recordTXT},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			no := e.request(tc.typ, tc.name, "*.shop.example", "shop.example", "api.shop.example", "*.api.shop.example", "other.example")
			recs := e.records(no)
			var domains []string
			for _, r := range recs {
				domains = append(domains, r.Domain+"="+strings.Join(r.Domains, "+"))
				if r.Type != tc.recordType || r.Status != validStatusReg {
					t.Errorf("record %+v", r)
				}
				switch tc.recordType {
				case recordCNAME:
					if !strings.HasPrefix(r.Name, "_") || !strings.HasSuffix(r.Name, "."+r.Domain) ||
						!strings.HasSuffix(r.Value, "."+dcvTargetZone) || len(r.Value) != 32+1+len(dcvTargetZone) {
						t.Errorf("CNAME record %+v", r)
					}
				case recordTXT:
					if r.Name != "_acme-challenge."+r.Domain || len(r.Value) != 43 {
						t.Errorf("TXT record %+v", r)
					}
				}
			}
			if got := strings.Join(domains, " "); got != "shop.example=*.shop.example+shop.example api.shop.example=api.shop.example+*.api.shop.example other.example=other.example" {
				t.Errorf("records: %s", got)
			}
			// ListDcvStatuses: the wildcard and its apex give the same record.
			for i, r := range recs {
				for _, d := range append(r.Domains, r.Domain, strings.ToUpper(r.Domain)+".") {
					item := e.dcvItem(no, d)
					if numOf(t, item["validSn"]) != r.ValidSn || item["txtName"] != r.Name || item["txtValue"] != r.Value ||
						item["recordType"] != tc.recordType || item["validStatusCode"] != validStatusReg ||
						item["domainAddress"] != canonicalName(d) {
						t.Errorf("record %d, domain %s: %v", i, d, item)
					}
					info, _ := e.srv.Certificate(no)
					if item["requestSn"] != info.RequestSn {
						t.Errorf("requestSn %v, want %s", item["requestSn"], info.RequestSn)
					}
				}
			}
		})
	}
	// Values are random: two requests for the same domain expect different records.
	a := e.records(e.request(typeCloudBasic, "rand-a", "same.example"))
	b := e.records(e.request(typeCloudBasic, "rand-b", "same.example"))
	if a[0].Name == b[0].Name || a[0].Value == b[0].Value || a[0].ValidSn == b[0].ValidSn {
		t.Errorf("records repeat: %+v %+v", a[0], b[0])
	}
}

func TestListDcvStatusesErrors(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	no := e.request(typeCloudBasic, "dcv-errors", "www.example.com")
	ext := e.create("external", p.ecLeaf)
	cases := []struct {
		name   string
		uri    string
		status int
		code   string
		msg    string
	}{
		{"unknown certificate", "/api/v2/certificate/getVerificationInfo/424242?domainAddress=www.example.com", http.StatusOK, codeNotFound, msgNotFound},
		{"external certificate", fmt.Sprintf("/api/v2/certificate/getVerificationInfo/%d?domainAddress=api.example.net", ext), http.StatusOK, codeNotFound, msgNoDomain},
		{"unknown domain", fmt.Sprintf("/api/v2/certificate/getVerificationInfo/%d?domainAddress=other.example.com", no), http.StatusOK, codeNotFound, msgNoDomain},
		{"parent domain", fmt.Sprintf("/api/v2/certificate/getVerificationInfo/%d?domainAddress=example.com", no), http.StatusOK, codeNotFound, msgNoDomain},
		{"domainAddress missing", fmt.Sprintf("/api/v2/certificate/getVerificationInfo/%d", no), http.StatusBadRequest, codeValidation, "domainAddress is required."},
		{"bad number", "/api/v2/certificate/getVerificationInfo/x1?domainAddress=www.example.com", http.StatusBadRequest, codeValidation, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, e.signed(http.MethodGet, tc.uri, nil), tc.status, tc.code, tc.msg)
		})
	}
	if got := e.srv.Requests(OpListDcvStatuses); got != len(cases) {
		t.Errorf("ListDcvStatuses counted %d", got)
	}
	// The wildcard of a requested name finds its record even when only the name was
	// requested (and the other way round, see TestRecordsByType).
	item := e.dcvItem(no, "*.WWW.example.com")
	if rec := e.records(no)[0]; item["txtName"] != rec.Name || item["domainAddress"] != "*.www.example.com" {
		t.Errorf("wildcard of a requested name: %v", item)
	}
}

// TestNamesAcrossTypes: external and issued certificates share one name space, and an
// issued certificate cannot be renewed through withExternal.
func TestNamesAcrossTypes(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	ext := e.create("ext-name", p.ecLeaf)
	issued := e.request(typeCloudBasic, "cloud-name", "cloud.example.com")
	wantCode(t, e.signed(http.MethodPost, cloudBasicPath, requestBody(typeCloudBasic, "ext-name", "x.example.com")),
		http.StatusBadRequest, codeValidation, msgNameTaken)
	wantCode(t, e.signed(http.MethodPost, globalEdgePath, requestBody(typeGlobalEdge, "cloud-name", "x.example.com")),
		http.StatusBadRequest, codeValidation, msgNameTaken)
	wantCode(t, e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("cloud-name", p.ecLeaf, p.chainPEM)),
		http.StatusBadRequest, codeValidation, msgNameTaken)
	if err := e.srv.ValidateCertificate(issued); err != nil {
		t.Fatal(err)
	}
	before, _ := e.srv.Certificate(issued)
	wantCode(t, e.signed(http.MethodPost, "/api/v2/certificate/withExternal", v2Body("cloud-name", issued, p.ecLeaf, p.chainPEM)),
		http.StatusBadRequest, codeValidation, errRenewNotExternal.message)
	if after, _ := e.srv.Certificate(issued); after.SerialNumber != before.SerialNumber || after.Type != typeCloudBasic {
		t.Errorf("renewal changed the issued certificate: %+v", after)
	}
	if n := e.srv.Stats().Certificates; n != 2 {
		t.Errorf("%d certificates", n)
	}
	// External certificates keep reporting as before.
	wantFields(t, e.v2Of(ext), map[string]string{"certificateType": typeExternal, "externalYn": "Y", "issueType": "EXTERNAL", "renewalYn": "N", "failReason": ""})
	wantFields(t, e.v1Of(ext), map[string]string{"certificateType": typeExternal, "externalYn": "Y", "renewalYn": "N", "statusName": "NORMAL"})
}
