package mockserver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"net/http"
	"strings"
	"testing"
)

const advancedPath = "/api/v2/certificate/requestPaidCertificateIssuance"

// testCSR makes a key and a CSR for cn and sans.
func testCSR(t testing.TB, cn string, sans ...string) (string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: cn}, DNSNames: sans,
	}, key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, err := privateKeyPEM(key)
	if err != nil {
		t.Fatal(err)
	}
	return encodeBlock("CERTIFICATE REQUEST", der), keyPEM
}

func advancedBody(csr, name, cn string, sans ...string) map[string]any {
	b := map[string]any{
		"csr": csr, "certificateType": typeAdvancedDV, "certificateName": name, "commonName": cn,
		"validationMethod": "D", "subscriptionPeriod": 1,
	}
	if sans != nil {
		b["dnsName"] = sans
	}
	return b
}

func TestAdvancedRequestRefusals(t *testing.T) {
	csr, _ := testCSR(t, "adv.example.com", "adv.example.com", "www.adv.example.com")
	other, _ := testCSR(t, "other.example.com")
	bad := strings.Replace(csr, "A", "B", 5)
	cases := []struct {
		name string
		edit func(b map[string]any)
		msg  string
	}{
		{"bad csr", func(b map[string]any) { b["csr"] = bad }, "csr is not a valid"},
		{"not pem", func(b map[string]any) { b["csr"] = "hello" }, ""},
		{"names mismatch", func(b map[string]any) { b["csr"] = other }, "do not match"},
		{"missing san", func(b map[string]any) { b["dnsName"] = []string{} }, "do not match"},
		{"ov without org", func(b map[string]any) { b["certificateType"] = typeAdvancedOV }, "organizationNo"},
		{"bad type", func(b map[string]any) { b["certificateType"] = typeCloudBasic }, "certificateType"},
		{"bad method", func(b map[string]any) { b["validationMethod"] = "E" }, "validationMethod"},
		{"period 4", func(b map[string]any) { b["subscriptionPeriod"] = 4 }, "subscriptionPeriod"},
		{"period 0", func(b map[string]any) { b["subscriptionPeriod"] = "0" }, "subscriptionPeriod"},
		{"no csr", func(b map[string]any) { delete(b, "csr") }, "csr is required"},
		{"bad name", func(b map[string]any) { b["certificateName"] = "1x" }, ""},
	}
	e := newEnv(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := advancedBody(csr, "adv-1", "adv.example.com", "WWW.adv.example.com")
			tc.edit(b)
			res := e.signed(http.MethodPost, advancedPath, b)
			if res.status != http.StatusBadRequest || res.str("returnCode") != codeValidation ||
				!strings.Contains(res.str("returnMessage"), tc.msg) {
				t.Fatalf("got %d %s", res.status, res.raw)
			}
		})
	}
	if st := e.srv.Stats(); st.Certificates != 0 || st.Orders != 0 {
		t.Fatalf("stored after refusals: %+v", st)
	}
	// OV with organizationNo is accepted.
	b := advancedBody(csr, "adv-ov", "adv.example.com", "www.adv.example.com")
	b["certificateType"], b["organizationNo"] = typeAdvancedOV, 42
	wantOK(t, e.signed(http.MethodPost, advancedPath, b))
}

func TestAdvancedRequestToken(t *testing.T) {
	e := newEnv(t, Options{})
	csr, _ := testCSR(t, "tok.example.com")
	b := advancedBody(csr, "tok-1", "tok.example.com")
	b["requestToken"] = "token-a"
	first := e.signed(http.MethodPost, advancedPath, b)
	wantOK(t, first)
	again := e.signed(http.MethodPost, advancedPath, b)
	wantOK(t, again)
	p1, p2 := first.body["paidCertificate"].(map[string]any), again.body["paidCertificate"].(map[string]any)
	if p1["orderId"] != "900001" || p1["orderId"] != p2["orderId"] || numOf(t, p1["certificateNo"]) != numOf(t, p2["certificateNo"]) ||
		p1["statusName"] != "ONGOING" || p1["statusCode"] != "0" || p1["certificateName"] != "tok-1" || p1["commonName"] != "tok.example.com" {
		t.Fatalf("answers differ or wrong: %s / %s", first.raw, again.raw)
	}
	b["requestToken"] = "token-b"
	wantCode(t, e.signed(http.MethodPost, advancedPath, b), http.StatusBadRequest, codeValidation, msgNameTaken)
	st := e.srv.Stats()
	if st.Requests[OpAdvancedCertificateRequest] != 3 || st.Certificates != 1 || st.Orders != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestAdvancedFlow(t *testing.T) {
	for _, method := range []string{"D", "PD"} {
		t.Run(method, func(t *testing.T) {
			e := newEnv(t, Options{})
			csr, keyPEM := testCSR(t, "flow.example.com", "*.flow.example.com")
			b := advancedBody(csr, "flow-1", "flow.example.com", "*.flow.example.com")
			b["validationMethod"] = method
			res := e.signed(http.MethodPost, advancedPath, b)
			wantOK(t, res)
			no := numOf(t, res.body["paidCertificate"].(map[string]any)["certificateNo"])
			recs := e.records(no)
			if len(recs) != 1 || recs[0].Type != recordTXT || !strings.HasPrefix(recs[0].Name, "_dcv-") ||
				!strings.HasSuffix(recs[0].Name, ".flow.example.com") {
				t.Fatalf("records %+v", recs)
			}
			item := e.dcvItem(no, "*.flow.example.com")
			if item["recordType"] != recordTXT || item["txtName"] != recs[0].Name || item["validStatusCode"] != validStatusReg {
				t.Fatalf("dcv item %v", item)
			}
			if st := e.statusOf(no); st != "ONGOING" {
				t.Fatalf("status %s", st)
			}
			if err := e.srv.PublishDNS(recs[0].Name, recs[0].Type, recs[0].Value); err != nil {
				t.Fatal(err)
			}
			if st := e.statusOf(no); st != "NORMAL_UNREGISTERED_PRIVATE_KEY" {
				t.Fatalf("status after DNS %s", st)
			}
			item2 := e.v2Of(no)
			if item2["orderId"] != "900001" || item2["certificateType"] != typeAdvancedDV {
				t.Fatalf("list item %v", item2)
			}
			cloud := e.signed(http.MethodGet, "/api/v2/certificate/getCertificates", nil)
			if strings.Contains(string(cloud.raw), "flow-1") {
				t.Fatalf("cloud list holds an Advanced certificate: %s", cloud.raw)
			}
			// Refusals of RegisterPrivateKey.
			otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			otherPEM, _ := privateKeyPEM(otherKey)
			reg := "/api/v2/certificate/registPrivateKey"
			wantCode(t, e.signed(http.MethodPost, reg, map[string]any{"certificateNo": no, "privateKey": otherPEM}), http.StatusOK, codeKeyMismatch, "")
			wantCode(t, e.signed(http.MethodPost, reg, map[string]any{"certificateNo": no, "privateKey": "garbage"}), http.StatusOK, codeBadPEM, "")
			wantCode(t, e.signed(http.MethodPost, reg, map[string]any{"certificateNo": 999999, "privateKey": keyPEM}), http.StatusOK, codeNotFound, "")
			if st := e.statusOf(no); st != "NORMAL_UNREGISTERED_PRIVATE_KEY" {
				t.Fatalf("status after refusals %s", st)
			}
			wantOK(t, e.signed(http.MethodPost, reg, map[string]any{"certificateNo": no, "privateKey": keyPEM}))
			if st := e.statusOf(no); st != "NORMAL" {
				t.Fatalf("status after key %s", st)
			}
			res = e.signed(http.MethodPost, reg, map[string]any{"certificateNo": no, "privateKey": keyPEM})
			if res.status != http.StatusBadRequest || res.str("returnCode") != codeValidation {
				t.Fatalf("second registration: %s", res.raw)
			}
		})
	}
}

func TestAdvancedPersist(t *testing.T) {
	path := t.TempDir() + "/state.json"
	e := newEnv(t, Options{StateFile: path})
	csr, keyPEM := testCSR(t, "keep.example.com")
	b := advancedBody(csr, "keep-1", "keep.example.com")
	b["requestToken"], b["validationMethod"] = "tok", "PD"
	res := e.signed(http.MethodPost, advancedPath, b)
	wantOK(t, res)
	no := numOf(t, res.body["paidCertificate"].(map[string]any)["certificateNo"])
	b2 := advancedBody(csr, "keep-2", "keep.example.com")
	wantOK(t, e.signed(http.MethodPost, advancedPath, b2)) // stays ONGOING
	recs := e.records(no)
	if err := e.srv.PublishDNS(recs[0].Name, recs[0].Type, recs[0].Value); err != nil {
		t.Fatal(err)
	}
	if st := e.statusOf(no); st != "NORMAL_UNREGISTERED_PRIVATE_KEY" {
		t.Fatalf("status %s", st)
	}
	if err := e.srv.Save(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, Options{StateFile: path})
	if st := e2.statusOf(no); st != "NORMAL_UNREGISTERED_PRIVATE_KEY" {
		t.Fatalf("status after reload %s", st)
	}
	if st := e2.srv.Stats(); st.Orders != 2 || st.Certificates != 2 {
		t.Fatalf("stats after reload %+v", st)
	}
	again := e2.signed(http.MethodPost, advancedPath, b)
	wantOK(t, again)
	if p := again.body["paidCertificate"].(map[string]any); p["orderId"] != "900001" || numOf(t, p["certificateNo"]) != no {
		t.Fatalf("token after reload: %s", again.raw)
	}
	res = e2.signed(http.MethodPost, advancedPath, advancedBody(csr, "keep-3", "keep.example.com"))
	if p := res.body["paidCertificate"].(map[string]any); p["orderId"] != "900003" {
		t.Fatalf("order id after reload: %s", res.raw)
	}
	wantOK(t, e2.signed(http.MethodPost, "/api/v2/certificate/registPrivateKey", map[string]any{"certificateNo": no, "privateKey": keyPEM}))
	if err := e2.srv.Save(); err != nil {
		t.Fatal(err)
	}
	e3 := newEnv(t, Options{StateFile: path})
	if st := e3.statusOf(no); st != "NORMAL" {
		t.Fatalf("status after second reload %s", st)
	}
}
