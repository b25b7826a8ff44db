package mockserver

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var dateFormat = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)

func TestV1CreateListDelete(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})

	res := e.signed(http.MethodPost, "/api/v1/certificate/withExternal", v1Body("web-cert", p.rsaLeaf, p.chainPEM))
	wantOK(t, res)
	if res.num("totalRows") != 1 {
		t.Fatalf("totalRows = %d", res.num("totalRows"))
	}
	if !bytes.Contains(res.raw, []byte(`"returnCode":"0"`)) || !bytes.Contains(res.raw, []byte(`"usedInstanceNoList":[]`)) {
		t.Errorf("wire form: %s", res.raw)
	}
	item := res.list("sslCertificateList")[0]
	leaf := p.rsaLeaf.cert
	want := map[string]string{
		"certificateType":       "EXTERNAL",
		"externalYn":            "Y",
		"certificateName":       "web-cert",
		"memberNo":              memberNo,
		"dnInfo":                "CN=www.example.com",
		"domainAddress":         "www.example.com",
		"subDomainAddress":      "www.example.com,example.com",
		"statusCode":            "1",
		"statusName":            "NORMAL",
		"domainCode":            domainCode,
		"caInfo":                leaf.Issuer.String(),
		"issuer":                leaf.Issuer.String(),
		"certSerialNumber":      fmt.Sprintf("%X", leaf.SerialNumber),
		"serialNumber":          fmt.Sprintf("%X", leaf.SerialNumber),
		"certSignAlgorithmName": "ECDSA-SHA256",
		"signatureAlgorithm":    "ECDSA-SHA256",
		"certPublicKeyInfo":     "RSA 2048",
		"notBefore":             leaf.NotBefore.In(kst).Format(time.DateTime),
		"notAfter":              leaf.NotAfter.In(kst).Format(time.DateTime),
		"validStartDate":        leaf.NotBefore.In(kst).Format(time.DateTime),
		"validEndDate":          leaf.NotAfter.In(kst).Format(time.DateTime),
	}
	for k, v := range want {
		if item[k] != v {
			t.Errorf("%s = %v, want %q", k, item[k], v)
		}
	}
	for _, k := range []string{"regDate", "updateDate", "issueDate"} {
		if s, _ := item[k].(string); !dateFormat.MatchString(s) {
			t.Errorf("%s = %q, want yyyy-MM-dd HH:mm:ss", k, s)
		}
	}
	no := res.list("sslCertificateList")[0]["certificateNo"]
	if fmt.Sprint(no) != fmt.Sprint(firstCertificateNo) {
		t.Errorf("certificateNo = %v, want %d", no, firstCertificateNo)
	}
	second := e.create("api-cert", p.ecLeaf)
	if second != firstCertificateNo+1 {
		t.Errorf("second number = %d", second)
	}

	// Unfiltered list: all, sorted by number.
	res = e.signed(http.MethodGet, "/api/v1/certificates", nil)
	wantOK(t, res)
	if items := res.list("sslCertificateList"); res.num("totalRows") != 2 || len(items) != 2 || items[0]["certificateName"] != "web-cert" {
		t.Fatalf("list: %s", res.raw)
	}
	// ECDSA leaf without a CN: commonName is the first SAN.
	res = e.signed(http.MethodGet, "/api/v1/certificates?certificateName=api-cert", nil)
	if items := res.list("sslCertificateList"); len(items) != 1 || items[0]["domainAddress"] != "api.example.net" ||
		items[0]["certPublicKeyInfo"] != "ECDSA P-256" || items[0]["subDomainAddress"] != "api.example.net,*.api.example.net" {
		t.Fatalf("by name: %s", res.raw)
	}
	res = e.signed(http.MethodGet, fmt.Sprintf("/api/v1/certificates?certificateNo=%d", second), nil)
	if items := res.list("sslCertificateList"); len(items) != 1 || items[0]["certificateName"] != "api-cert" {
		t.Fatalf("by number: %s", res.raw)
	}
	wantCode(t, e.signed(http.MethodGet, "/api/v1/certificates?certificateNo=999", nil), http.StatusOK, codeNotFound, msgNotFound)
	res = e.signed(http.MethodGet, "/api/v1/certificates?certificateName=nope", nil)
	wantOK(t, res)
	if res.num("totalRows") != 0 || !bytes.Contains(res.raw, []byte(`"sslCertificateList":[]`)) {
		t.Fatalf("empty by name: %s", res.raw)
	}
	wantCode(t, e.signed(http.MethodGet, "/api/v1/certificates?certificateNo=abc", nil), http.StatusBadRequest, codeValidation, "")

	// Delete: mismatch, success, then gone.
	wantCode(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v1/certificate/%d?certificateName=wrong", second), nil),
		http.StatusOK, codeDeleteFailed, msgDeleteMismatch)
	wantCode(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v1/certificate/%d", second), nil), http.StatusBadRequest, codeValidation, "")
	res = e.signed(http.MethodDelete, fmt.Sprintf("/api/v1/certificate/%d?certificateName=api-cert", second), nil)
	wantOK(t, res)
	if res.num("totalRows") != 1 {
		t.Errorf("delete totalRows = %d", res.num("totalRows"))
	}
	wantCode(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v1/certificate/%d?certificateName=api-cert", second), nil),
		http.StatusOK, codeNoCertificate, msgNoCertificate)
	if got := e.srv.Stats().Certificates; got != 1 {
		t.Errorf("certificates = %d", got)
	}
	// A deleted name can be used again.
	e.create("api-cert", p.ecLeaf)
}

func TestV1InstanceFilterAndInUseDelete(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	no := e.create("lb-cert", p.rsaLeaf)
	e.create("other", p.ecLeaf)

	wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/use", no), map[string]any{"instance_nos": []string{"111", "222"}}))
	res := e.signed(http.MethodGet, "/api/v1/certificates?instanceNo=222", nil)
	items := res.list("sslCertificateList")
	if len(items) != 1 || items[0]["certificateName"] != "lb-cert" || fmt.Sprint(items[0]["usedInstanceNoList"]) != "[111 222]" {
		t.Fatalf("instance filter: %s", res.raw)
	}
	if res := e.signed(http.MethodGet, "/api/v1/certificates?instanceNo=333", nil); res.num("totalRows") != 0 {
		t.Fatalf("unused instance: %s", res.raw)
	}

	del := fmt.Sprintf("/api/v1/certificate/%d?certificateName=lb-cert", no)
	wantCode(t, e.signed(http.MethodDelete, del, nil), http.StatusOK, codeDeleteFailed, msgInUse)
	wantCode(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v2/certificate/deleteCertificate/%d?certificateName=lb-cert", no), nil),
		http.StatusOK, codeDeleteFailed, msgInUse)
	wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/use", no), map[string]any{"instance_nos": []string{}}))
	wantOK(t, e.signed(http.MethodDelete, del, nil))

	if err := e.srv.SetInUse(no, "1"); err == nil {
		t.Error("SetInUse on a deleted certificate succeeded")
	}
	if res := e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/use", no), map[string]any{"instance_nos": []string{"1"}}); res.status != http.StatusNotFound {
		t.Errorf("use on missing certificate: HTTP %d", res.status)
	}
}

func TestUploadErrors(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	e.create("taken", p.rsaLeaf)

	pkcs8Encrypted := "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"
	legacyEncrypted := "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,0123456789ABCDEF0123456789ABCDEF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"
	keyAsChain := p.intermediatePEM + p.rsaLeaf.keyPEM

	cases := []struct {
		name        string
		certName    string
		key, cert   string
		chain       string
		status      int
		code, msg   string
		bothVersion bool
	}{
		{"garbage key", "a-cert", "not a key", p.rsaLeaf.certPEM, p.chainPEM, 200, codeBadPEM, msgBadPEM, true},
		{"pkcs8 encrypted key", "a-cert", pkcs8Encrypted, p.rsaLeaf.certPEM, p.chainPEM, 200, codeBadPEM, msgBadPEM, true},
		{"legacy encrypted key", "a-cert", legacyEncrypted, p.rsaLeaf.certPEM, p.chainPEM, 200, codeBadPEM, msgBadPEM, false},
		{"garbage certificate", "a-cert", p.rsaLeaf.keyPEM, "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n", p.chainPEM, 200, codeInvalidCertificate, msgInvalidCertificate, false},
		{"certificate not PEM", "a-cert", p.rsaLeaf.keyPEM, "hello", p.chainPEM, 200, codeBadPEM, msgBadPEM, true},
		{"chain not PEM", "a-cert", p.rsaLeaf.keyPEM, p.rsaLeaf.certPEM, "junk", 200, codeBadPEM, msgBadPEM, false},
		{"chain holds a key", "a-cert", p.rsaLeaf.keyPEM, p.rsaLeaf.certPEM, keyAsChain, 200, codeInvalidCertificate, msgInvalidCertificate, true},
		{"expired", "a-cert", p.expiredLeaf.keyPEM, p.expiredLeaf.certPEM, p.chainPEM, 200, codeInvalidCertificate, msgInvalidCertificate, true},
		{"key mismatch", "a-cert", p.otherKeyPEM, p.rsaLeaf.certPEM, p.chainPEM, 200, codeKeyMismatch, msgKeyMismatch, true},
		{"name too short", "ab", p.rsaLeaf.keyPEM, p.rsaLeaf.certPEM, p.chainPEM, 400, codeValidation, msgNameRule, true},
		{"name too long", strings.Repeat("a", 21), p.rsaLeaf.keyPEM, p.rsaLeaf.certPEM, p.chainPEM, 400, codeValidation, msgNameRule, false},
		{"name starts with digit", "1abc", p.rsaLeaf.keyPEM, p.rsaLeaf.certPEM, p.chainPEM, 400, codeValidation, msgNameRule, false},
		{"name with underscore", "a_bc", p.rsaLeaf.keyPEM, p.rsaLeaf.certPEM, p.chainPEM, 400, codeValidation, msgNameRule, false},
		{"duplicate name", "taken", p.rsaLeaf.keyPEM, p.rsaLeaf.certPEM, p.chainPEM, 400, codeValidation, msgNameTaken, true},
		{"missing key", "a-cert", "", p.rsaLeaf.certPEM, p.chainPEM, 400, codeValidation, "privateKey is required.", false},
		{"missing chain", "a-cert", p.rsaLeaf.keyPEM, p.rsaLeaf.certPEM, " ", 400, codeValidation, "certificateChain is required.", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.signed(http.MethodPost, "/api/v1/certificate/withExternal", map[string]string{
				"certificateName": tc.certName, "privateKey": tc.key, "publicKeyCertificate": tc.cert, "certificateChain": tc.chain,
			})
			wantCode(t, res, tc.status, tc.code, tc.msg)
			if tc.bothVersion {
				res = e.signed(http.MethodPost, "/api/v2/certificate/withExternal", map[string]string{
					"certificateName": tc.certName, "privateKey": tc.key, "certificateBody": tc.cert, "certificateChain": tc.chain,
				})
				wantCode(t, res, tc.status, tc.code, tc.msg)
			}
		})
	}
	wantCode(t, e.signed(http.MethodPost, "/api/v1/certificate/withExternal", "not an object"), http.StatusBadRequest, codeValidation, "")
	wantCode(t, e.signed(http.MethodPost, "/api/v2/certificate/withExternal", map[string]string{"certificateName": "x-cert"}),
		http.StatusBadRequest, codeValidation, "privateKey is required.")
	huge := v1Body("huge-cert", p.ecLeaf, strings.Repeat("A", maxBodyBytes))
	wantGateway(t, e.signed(http.MethodPost, "/api/v1/certificate/withExternal", huge), http.StatusRequestEntityTooLarge, "430")
	if n := e.srv.Stats().Certificates; n != 1 {
		t.Fatalf("failed uploads stored certificates: %d", n)
	}
}

func TestUploadTolerance(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	crlfText := func(s string) string { return "\r\n  " + strings.ReplaceAll(s, "\n", "\r\n") + "\r\n\n " }
	// PKCS#8 key, CRLF line endings and surrounding whitespace everywhere.
	res := e.signed(http.MethodPost, "/api/v1/certificate/withExternal", map[string]string{
		"certificateName":      "Crlf-1",
		"privateKey":           crlfText(pkcs8(t, p.ecLeaf.keyPEM)),
		"publicKeyCertificate": crlfText(p.ecLeaf.certPEM),
		"certificateChain":     crlfText(p.chainPEM),
	})
	wantOK(t, res)
	info, ok := e.srv.Certificate(firstCertificateNo)
	if !ok || info.CertificatePEM != p.ecLeaf.certPEM || info.ChainPEM != p.chainPEM {
		t.Fatalf("stored PEM not canonical: %+v", info)
	}
}

// TestInUseOneInstance: a single attached instance is enough to refuse both delete
// operations (1004); once released, either deletes.
func TestInUseOneInstance(t *testing.T) {
	p := getPKI(t)
	deletes := map[string]string{
		"v1": "/api/v1/certificate/%d?certificateName=%s",
		"v2": "/api/v2/certificate/deleteCertificate/%d?certificateName=%s",
	}
	for _, version := range []string{"v1", "v2"} {
		t.Run(version, func(t *testing.T) {
			e := newEnv(t, Options{})
			no := e.create("lb-cert", p.rsaLeaf)
			wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/use", no), map[string]any{"instance_nos": []string{"111"}}))
			for _, v := range []string{"v1", "v2"} {
				wantCode(t, e.signed(http.MethodDelete, fmt.Sprintf(deletes[v], no, "lb-cert"), nil), http.StatusOK, codeDeleteFailed, msgInUse)
			}
			if info, ok := e.srv.Certificate(no); !ok || fmt.Sprint(info.InstanceNos) != "[111]" {
				t.Fatalf("after refused deletes: %+v", info)
			}
			wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/use", no), map[string]any{"instance_nos": []string{}}))
			wantOK(t, e.signed(http.MethodDelete, fmt.Sprintf(deletes[version], no, "lb-cert"), nil))
			if n := e.srv.Stats().Certificates; n != 0 {
				t.Errorf("after delete: %d certificates", n)
			}
		})
	}
}
