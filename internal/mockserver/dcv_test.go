package mockserver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// issuedLabel is the status of an issued certificate of type typ.
func issuedLabel(typ string) string {
	if typ == typeGlobalEdge {
		return "NORMAL_GLOBAL_EDGE_DEDICATED"
	}
	return "NORMAL"
}

// TestValidationByDNS: a request is issued only once every record it expects is published
// with its type and value; names compare without case or trailing dot, CNAME targets
// without trailing dot, TXT values with or without quotes.
func TestValidationByDNS(t *testing.T) {
	type publish func(e *testEnv, recs []DCVRecord)
	each := func(fn func(r DCVRecord) (name, typ string, values []string)) publish {
		return func(e *testEnv, recs []DCVRecord) {
			for _, r := range recs {
				name, typ, values := fn(r)
				if err := e.srv.PublishDNS(name, typ, values...); err != nil {
					e.t.Fatal(err)
				}
			}
		}
	}
	otherType := map[string]string{recordCNAME: recordTXT, recordTXT: recordCNAME}
	cases := []struct {
		name    string
		publish publish
		issued  bool
	}{
		{name: "nothing published", publish: func(*testEnv, []DCVRecord) {}},
		{name: "wrong value", publish: each(func(r DCVRecord) (string, string, []string) {
			return r.Name, r.Type, []string{r.Value + "x"}
		})},
		{name: "value of another case", publish: each(func(r DCVRecord) (string, string, []string) {
			return r.Name, r.Type, []string{strings.ToUpper(r.Value)}
		})},
		{name: "wrong type", publish: each(func(r DCVRecord) (string, string, []string) {
			return r.Name, otherType[r.Type], []string{r.Value}
		})},
		{name: "wrong name", publish: each(func(r DCVRecord) (string, string, []string) {
			return "x" + r.Name, r.Type, []string{r.Value}
		})},
		{name: "one record missing", publish: func(e *testEnv, recs []DCVRecord) {
			each(func(r DCVRecord) (string, string, []string) { return r.Name, r.Type, []string{r.Value} })(e, recs[1:])
		}},
		{name: "published then deleted", publish: func(e *testEnv, recs []DCVRecord) {
			each(func(r DCVRecord) (string, string, []string) { return r.Name, r.Type, []string{r.Value} })(e, recs[:1])
			each(func(r DCVRecord) (string, string, []string) { return r.Name, r.Type, nil })(e, recs[:1])
			each(func(r DCVRecord) (string, string, []string) { return r.Name, r.Type, []string{r.Value} })(e, recs[1:])
		}},
		{name: "exact", issued: true, publish: each(func(r DCVRecord) (string, string, []string) {
			return r.Name, r.Type, []string{r.Value}
		})},
		{name: "other case, trailing dots, quotes", issued: true, publish: each(func(r DCVRecord) (string, string, []string) {
			v := strings.TrimSuffix(r.Value, ".")
			if r.Type == recordTXT {
				v = `"` + r.Value + `"`
			}
			return strings.ToUpper(r.Name) + ".", strings.ToLower(r.Type), []string{v}
		})},
		{name: "among other values", issued: true, publish: each(func(r DCVRecord) (string, string, []string) {
			return r.Name, r.Type, []string{"unrelated", r.Value, "more"}
		})},
	}
	for _, typ := range []string{typeCloudBasic, typeGlobalEdge} {
		for _, tc := range cases {
			t.Run(typ+"/"+tc.name, func(t *testing.T) {
				e := newEnv(t, Options{})
				names := []string{"*.shop.example", "shop.example", "www.shop.example", "api.example.org"}
				no := e.request(typ, "dns-cert", names[0], names[1:]...)
				recs := e.records(no)
				if len(recs) != 3 {
					t.Fatalf("%d records", len(recs))
				}
				tc.publish(e, recs)
				if !tc.issued {
					if st := e.statusOf(no); st != "ONGOING" {
						t.Fatalf("status %s, want ONGOING", st)
					}
					wantCode(t, e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/exportCertificate/%d/chain", no), nil),
						http.StatusBadRequest, codeValidation, msgNotIssued)
					if info, _ := e.srv.Certificate(no); info.CertificatePEM != "" || info.SerialNumber != "" {
						t.Errorf("material before issuance: %+v", info)
					}
					return
				}
				if st := e.statusOf(no); st != issuedLabel(typ) {
					t.Fatalf("status %s, want %s", st, issuedLabel(typ))
				}
				checkIssued(t, e, no, names)
				for _, r := range e.records(no) {
					if r.Status != validStatusSuccess {
						t.Errorf("record %s: %s", r.Name, r.Status)
					}
				}
				// Issued for good: removing the records changes nothing.
				for _, r := range recs {
					if err := e.srv.PublishDNS(r.Name, r.Type); err != nil {
						t.Fatal(err)
					}
				}
				if st := e.statusOf(no); st != issuedLabel(typ) {
					t.Errorf("after removing the records: %s", st)
				}
				if item := e.dcvItem(no, "shop.example"); item["validStatusCode"] != validStatusSuccess {
					t.Errorf("after removing the records: %v", item)
				}
			})
		}
	}
}

// checkIssued checks that every field the lists and the chain report is true of the
// issued PEM, that the leaf's SANs are names and that it verifies against the mock's root.
func checkIssued(t *testing.T, e *testEnv, no int64, names []string) {
	t.Helper()
	info, _ := e.srv.Certificate(no)
	res := e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/exportCertificate/%d/chain", no), nil)
	wantOK(t, res)
	unCRLF := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") + "\n" }
	certPEM := unCRLF(res.str("certificate"))
	chainPEM := unCRLF(res.str("subCaCertificate")) + unCRLF(res.str("rootCaCertificate"))
	if certPEM != info.CertificatePEM || chainPEM != info.ChainPEM || !strings.Contains(res.str("certificate"), "\r\n") {
		t.Fatalf("chain answer differs from the store: %s", res.raw)
	}
	if res.str("subjectCommonName") != names[0] {
		t.Errorf("subjectCommonName %q", res.str("subjectCommonName"))
	}
	leaf := e.verifyLeaf(certPEM, chainPEM, names)
	if d := leaf.NotAfter.Sub(leaf.NotBefore); d != issuedValidity {
		t.Errorf("validity %v", d)
	}
	if now := e.now(); leaf.NotBefore.After(now) || now.Sub(leaf.NotBefore) > time.Minute {
		t.Errorf("notBefore %v, now %v", leaf.NotBefore, now)
	}
	serial := fmt.Sprintf("%X", leaf.SerialNumber)
	wantFields(t, e.v2Of(no), map[string]string{
		"serialNumber": serial, "issuer": leaf.Issuer.String(), "subjectDN": leaf.Subject.String(),
		"signatureAlgorithm": "ECDSA-SHA256", "certPublicKeyInfo": "ECDSA P-256",
		"notBefore": kstText(leaf.NotBefore), "notAfter": kstText(leaf.NotAfter), "issueDate": kstText(leaf.NotBefore),
		"commonName": names[0], "dnsName": strings.Join(names, ","),
	})
	wantFields(t, e.v1Of(no), map[string]string{
		"certSerialNumber": serial, "serialNumber": serial, "caInfo": leaf.Issuer.String(), "issuer": leaf.Issuer.String(),
		"validStartDate": kstText(leaf.NotBefore), "validEndDate": kstText(leaf.NotAfter), "issueDate": kstText(leaf.NotBefore),
		"dnInfo": leaf.Subject.String(), "certPublicKeyInfo": "ECDSA P-256", "certSignAlgorithmName": "ECDSA-SHA256",
		"domainAddress": names[0], "subDomainAddress": strings.Join(names, ","),
	})
	if !strings.Contains(leaf.Issuer.String(), "ncloudcert-mock Intermediate CA") {
		t.Errorf("issuer %s", leaf.Issuer)
	}
	// The key the mock generated matches the leaf.
	if _, _, err := parseUpload(info.PrivateKeyPEM, info.CertificatePEM, info.ChainPEM); err != nil {
		t.Errorf("issued material does not parse as an upload: %v", err)
	}
}

func TestValidateOnDemand(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	no := e.request(typeCloudBasic, "on-demand", "demand.example.com")
	if err := e.srv.ValidateCertificate(no); err != nil {
		t.Fatal(err)
	}
	if st := e.statusOf(no); st != "NORMAL" {
		t.Fatalf("status %s", st)
	}
	checkIssued(t, e, no, []string{"demand.example.com"})
	first, _ := e.srv.Certificate(no)
	if err := e.srv.ValidateCertificate(no); err != nil { // already issued: nothing changes
		t.Fatal(err)
	}
	if again, _ := e.srv.Certificate(no); again.SerialNumber != first.SerialNumber {
		t.Error("validating twice issued again")
	}

	// Validation on demand clears a forced failure and works after the window.
	failed := e.request(typeGlobalEdge, "was-failed", "failed.example.com")
	if err := e.srv.FailCertificate(failed, "boom"); err != nil {
		t.Fatal(err)
	}
	late := e.request(typeCloudBasic, "late-one", "late.example.com")
	e.advance(defaultValidationWindow + time.Minute)
	if st := e.statusOf(late); st != "VALIDATION_EXPIRE" {
		t.Fatalf("late: %s", st)
	}
	for _, n := range []int64{failed, late} {
		if err := e.srv.ValidateCertificate(n); err != nil {
			t.Fatal(err)
		}
	}
	if st := e.statusOf(failed); st != "NORMAL_GLOBAL_EDGE_DEDICATED" || e.v2Of(failed)["failReason"] != "" {
		t.Errorf("failed then validated: %s %v", st, e.v2Of(failed)["failReason"])
	}
	if st := e.statusOf(late); st != "NORMAL" {
		t.Errorf("late then validated: %s", st)
	}

	ext := e.create("external", p.ecLeaf)
	if err := e.srv.ValidateCertificate(ext); err == nil {
		t.Error("validated an external certificate")
	}
	if err := e.srv.ValidateCertificate(424242); err == nil {
		t.Error("validated a missing certificate")
	}
}

func TestDCVDelay(t *testing.T) {
	e := newEnv(t, Options{DCVDelay: time.Minute})
	no := e.request(typeCloudBasic, "delayed", "delay.example.com", "www.delay.example.com")
	requested := e.now()
	e.advance(50 * time.Second)
	if st := e.statusOf(no); st != "ONGOING" {
		t.Fatalf("before the delay: %s", st)
	}
	e.advance(20 * time.Second)
	if st := e.statusOf(no); st != "NORMAL" {
		t.Fatalf("after the delay: %s", st)
	}
	leaf := parseCertPEM(t, func() string { i, _ := e.srv.Certificate(no); return i.CertificatePEM }())
	// Issued when the delay elapsed, not when it was looked at.
	if want := requested.Add(time.Minute); leaf.NotBefore.Before(want.Add(-2*time.Second)) || leaf.NotBefore.After(want.Add(time.Second)) {
		t.Errorf("notBefore %v, want about %v", leaf.NotBefore, want)
	}
	checkIssued(t, e, no, []string{"delay.example.com", "www.delay.example.com"})

	// A delay longer than the window never completes.
	e2 := newEnv(t, Options{DCVDelay: 2 * time.Hour, ValidationWindow: time.Hour})
	no2 := e2.request(typeGlobalEdge, "too-slow", "slow.example.com")
	e2.advance(3 * time.Hour)
	if st := e2.statusOf(no2); st != "VALIDATION_EXPIRE" {
		t.Errorf("delay beyond the window: %s", st)
	}
	// A forced status stops the delay too.
	e3 := newEnv(t, Options{DCVDelay: time.Second})
	no3 := e3.request(typeCloudBasic, "held-back", "held.example.com")
	if err := e3.srv.SetStatus(no3, "ONGOING"); err != nil {
		t.Fatal(err)
	}
	e3.advance(time.Minute)
	if info, _ := e3.srv.Certificate(no3); info.StatusName != "ONGOING" || info.CertificatePEM != "" {
		t.Errorf("forced ONGOING: %+v", info)
	}
	if _, err := New(Options{DCVDelay: -time.Second}); err == nil {
		t.Error("New accepted a negative DCVDelay")
	}
	if _, err := New(Options{ValidationWindow: -time.Second}); err == nil {
		t.Error("New accepted a negative ValidationWindow")
	}
}

func TestValidationWindow(t *testing.T) {
	for _, typ := range []string{typeCloudBasic, typeGlobalEdge} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, Options{ValidationWindow: time.Hour})
			no := e.request(typ, "expiring", "exp.example.com", "other.example.com")
			recs := e.records(no)
			if err := e.srv.PublishDNS(recs[0].Name, recs[0].Type, recs[0].Value); err != nil {
				t.Fatal(err)
			}
			if item := e.dcvItem(no, "exp.example.com"); item["validStatusCode"] != validStatusSuccess {
				t.Errorf("published record: %v", item)
			}
			if item := e.dcvItem(no, "other.example.com"); item["validStatusCode"] != validStatusReg {
				t.Errorf("missing record: %v", item)
			}
			e.advance(time.Hour)
			if st := e.statusOf(no); st != "VALIDATION_EXPIRE" {
				t.Fatalf("status %s", st)
			}
			if v := e.v2Of(no); v["statusCode"] != "-4" {
				t.Errorf("statusCode %v", v["statusCode"])
			}
			for _, d := range []string{"exp.example.com", "other.example.com"} {
				if item := e.dcvItem(no, d); item["validStatusCode"] != validStatusTimeout {
					t.Errorf("%s: %v", d, item)
				}
			}
			// Publishing the rest now is too late.
			if err := e.srv.PublishDCV(no); err != nil {
				t.Fatal(err)
			}
			if st := e.statusOf(no); st != "VALIDATION_EXPIRE" {
				t.Errorf("after a late publish: %s", st)
			}
			wantCode(t, e.download(no, map[string]any{}),
				http.StatusBadRequest, codeValidation, msgNotIssued)
		})
	}
	// Published just before the window closes: issued.
	e := newEnv(t, Options{ValidationWindow: time.Hour})
	no := e.request(typeCloudBasic, "just-in-time", "jit.example.com")
	e.advance(time.Hour - time.Second)
	if err := e.srv.PublishDCV(no); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Hour)
	if st := e.statusOf(no); st != "NORMAL" {
		t.Errorf("published in time: %s", st)
	}
}

// TestForcedStatuses: a forced failure (with its reason), a forced validation timeout,
// expiry and revocation of issued certificates.
func TestForcedStatuses(t *testing.T) {
	e := newEnv(t, Options{})
	no := e.request(typeCloudBasic, "to-fail", "fail.example.com")
	if err := e.srv.FailCertificate(no, "CAA record forbids issuance"); err != nil {
		t.Fatal(err)
	}
	for _, item := range []map[string]any{e.v1Of(no), e.v2Of(no)} {
		wantFields(t, item, map[string]string{"statusCode": "-1", "statusName": "FAILED", "failReason": "CAA record forbids issuance"})
	}
	if err := e.srv.PublishDCV(no); err != nil { // a failed request is not issued
		t.Fatal(err)
	}
	if info, _ := e.srv.Certificate(no); info.StatusName != "FAILED" || info.CertificatePEM != "" || info.FailReason == "" {
		t.Errorf("failed: %+v", info)
	}
	// Back to the derived status: the reason goes, and the published records issue it.
	if err := e.srv.SetStatus(no, ""); err != nil {
		t.Fatal(err)
	}
	if st := e.statusOf(no); st != "NORMAL" || e.v2Of(no)["failReason"] != "" {
		t.Errorf("after clearing: %s", st)
	}

	timeout := e.request(typeGlobalEdge, "to-time-out", "timeout.example.com")
	if err := e.srv.SetStatus(timeout, "VALIDATION_EXPIRE"); err != nil {
		t.Fatal(err)
	}
	if item := e.dcvItem(timeout, "timeout.example.com"); item["validStatusCode"] != validStatusTimeout {
		t.Errorf("forced timeout: %v", item)
	}
	if err := e.srv.PublishDCV(timeout); err != nil {
		t.Fatal(err)
	}
	if st := e.statusOf(timeout); st != "VALIDATION_EXPIRE" {
		t.Errorf("forced timeout then published: %s", st)
	}

	// Issued certificates expire and are revoked like external ones; they stay exportable.
	for label, code := range map[string]string{"EXPIRE": "-2", "REVOKE": "-5"} {
		if err := e.srv.SetStatus(no, label); err != nil {
			t.Fatal(err)
		}
		if v := e.v2Of(no); v["statusName"] != label || v["statusCode"] != code {
			t.Errorf("forced %s: %v/%v", label, v["statusCode"], v["statusName"])
		}
		wantOK(t, e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/exportCertificate/%d/chain", no), nil))
	}
	if err := e.srv.SetStatus(no, ""); err != nil {
		t.Fatal(err)
	}
	e.advance(issuedValidity + time.Hour)
	if st := e.statusOf(no); st != "EXPIRE" {
		t.Errorf("after notAfter: %s", st)
	}
}
