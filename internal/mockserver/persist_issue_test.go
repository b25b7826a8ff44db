package mockserver

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestStateFileIssued: pending requests with their records and deadlines, issued material,
// failure reasons, renewal settings, the CA, the DNS and the counters survive a restart.
func TestStateFileIssued(t *testing.T) {
	p := getPKI(t)
	path := filepath.Join(t.TempDir(), "state.json")
	a := newEnv(t, Options{StateFile: path, DCVDelay: time.Hour, ValidationWindow: 48 * time.Hour})
	pending := a.request(typeCloudBasic, "st-pending", "*.pend.example", "pend.example")
	issued := a.request(typeGlobalEdge, "st-issued", "issued.example")
	failed := a.request(typeCloudBasic, "st-failed", "failed.example")
	ext := a.create("st-external", p.ecLeaf)
	if err := a.srv.PublishDCV(issued); err != nil {
		t.Fatal(err)
	}
	if err := a.srv.FailCertificate(failed, "rate limited by the CA"); err != nil {
		t.Fatal(err)
	}
	wantOK(t, a.signed("POST", "/api/v2/certificate/setCertificateRenewal", map[string]any{"certificateNo": issued, "renewalYn": "Y"}))
	if err := a.srv.PublishDNS("www.Example.org.", "a", "192.0.2.1", "192.0.2.2"); err != nil {
		t.Fatal(err)
	}
	// Half of the pending request's records are published (one record here: published
	// with a wrong value, so it stays pending).
	recs := a.records(pending)
	if err := a.srv.PublishDNS(recs[0].Name, recs[0].Type, "wrong."); err != nil {
		t.Fatal(err)
	}

	b := newEnv(t, Options{StateFile: path})
	for _, no := range []int64{pending, issued, failed, ext} {
		want, _ := a.srv.Certificate(no)
		got, ok := b.srv.Certificate(no)
		if !ok {
			t.Fatalf("certificate %d lost", no)
		}
		want.RegisteredAt, want.UpdatedAt = want.RegisteredAt.UTC(), want.UpdatedAt.UTC()
		got.RegisteredAt, got.UpdatedAt = got.RegisteredAt.UTC(), got.UpdatedAt.UTC()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("certificate %d:\n got %+v\nwant %+v", no, got, want)
		}
	}
	if !reflect.DeepEqual(b.srv.DNSRecords(), a.srv.DNSRecords()) {
		t.Errorf("DNS:\n got %+v\nwant %+v", b.srv.DNSRecords(), a.srv.DNSRecords())
	}
	if !reflect.DeepEqual(b.records(pending), recs) {
		t.Errorf("records changed: %+v", b.records(pending))
	}
	if b.srv.ca.rootPEM != a.srv.ca.rootPEM || b.srv.ca.intermediatePEM != a.srv.ca.intermediatePEM {
		t.Error("the CA changed")
	}
	// The reloaded request is validated by its records, by the CA that signed the others.
	if err := b.srv.PublishDNS(recs[0].Name, recs[0].Type, recs[0].Value); err != nil {
		t.Fatal(err)
	}
	if st := b.statusOf(pending); st != "NORMAL" {
		t.Fatalf("reloaded request: %s", st)
	}
	checkIssued(t, b, pending, []string{"*.pend.example", "pend.example"})
	info, _ := b.srv.Certificate(issued)
	b.verifyLeaf(info.CertificatePEM, info.ChainPEM, []string{"issued.example"})
	// Counters continue; the DCV delay and window of a request travel with it.
	res := b.signed("POST", cloudBasicPath, requestBody(typeCloudBasic, "st-next", "next.example"))
	wantOK(t, res)
	if res.str("requestSn") != "900004" || b.noByName("st-next") != ext+1 {
		t.Errorf("counters: %s", res.raw)
	}
	if r := b.records(b.noByName("st-next")); r[0].ValidSn != firstValidSn+3 {
		t.Errorf("validSn %d", r[0].ValidSn)
	}

	// The first request's DCV delay (1 h) was stored with it: a third start completes it.
	c := newEnv(t, Options{StateFile: path})
	c.advance(2 * time.Hour)
	if st := c.statusOf(b.noByName("st-next")); st != "ONGOING" {
		t.Errorf("request made without a delay: %s", st)
	}
	d := newEnv(t, Options{StateFile: path, DCVDelay: time.Minute})
	no := d.request(typeCloudBasic, "st-delayed", "delayed.example")
	e := newEnv(t, Options{StateFile: path})
	e.advance(2 * time.Minute)
	if st := e.statusOf(no); st != "NORMAL" {
		t.Errorf("stored delay: %s", st)
	}
	if st := e.statusOf(failed); st != "FAILED" {
		t.Errorf("failed: %s", st)
	}

	// The window too: 48 h, whatever the window of the server that reloads it.
	path2 := filepath.Join(t.TempDir(), "state.json")
	g := newEnv(t, Options{StateFile: path2, ValidationWindow: 48 * time.Hour})
	windowed := g.request(typeGlobalEdge, "st-window", "window.example")
	h := newEnv(t, Options{StateFile: path2, ValidationWindow: time.Hour})
	h.advance(47 * time.Hour)
	if st := h.statusOf(windowed); st != "ONGOING" {
		t.Errorf("before the stored window closes: %s", st)
	}
	h.advance(2 * time.Hour)
	if st := h.statusOf(windowed); st != "VALIDATION_EXPIRE" {
		t.Errorf("after the stored window: %s", st)
	}
}

func TestStateFileIssuedErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	a := newEnv(t, Options{StateFile: good})
	a.request(typeCloudBasic, "bad-pending", "p.example")
	issued := a.request(typeGlobalEdge, "bad-issued", "i.example")
	if err := a.srv.ValidateCertificate(issued); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	var base stateFile
	if err := json.Unmarshal(data, &base); err != nil {
		t.Fatal(err)
	}
	if base.Version != stateVersion || base.CA == nil || len(base.Certificates) != 2 || base.Certificates[0].Request == nil {
		t.Fatalf("state: %s", data)
	}
	if base.Certificates[1].Request.ValidatedAt == nil || base.Certificates[0].Request.ValidatedAt != nil {
		t.Fatalf("validated_at: %s", data)
	}
	cases := []struct {
		name   string
		mutate func(st *stateFile)
	}{
		{"pending with material", func(st *stateFile) { st.Certificates[0].CertificatePEM = st.Certificates[1].CertificatePEM }},
		{"issued without material", func(st *stateFile) { st.Certificates[1].CertificatePEM = "" }},
		{"request of an external certificate", func(st *stateFile) { st.Certificates[0].Type = typeExternal }},
		{"cloud type without a request", func(st *stateFile) { st.Certificates[0].Request = nil }},
		{"unknown type", func(st *stateFile) { st.Certificates[0].Type = "NCP_PAID_DV_01" }},
		{"invalid name", func(st *stateFile) { st.Certificates[0].Request.Names = []string{"a..example"} }},
		{"name without a record", func(st *stateFile) {
			st.Certificates[0].Request.Names = append(st.Certificates[0].Request.Names, "x.example")
		}},
		{"record of the wrong type", func(st *stateFile) { st.Certificates[0].Request.Records[0].Type = recordTXT }},
		{"renewal value", func(st *stateFile) { st.Certificates[0].RenewalYn = "yes" }},
		{"CA key of another CA", func(st *stateFile) {
			other, err := newAuthority(time.Now())
			if err != nil {
				t.Fatal(err)
			}
			st.CA.IntermediateKeyPEM = other.intKeyPEM
		}},
		{"invalid DNS record", func(st *stateFile) { st.DNS = []DNSRecord{{Name: "bad name", Type: "A", Values: []string{"x"}}} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var st stateFile
			if err := json.Unmarshal(data, &st); err != nil {
				t.Fatal(err)
			}
			tc.mutate(&st)
			out, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "state.json")
			if err := os.WriteFile(path, out, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := New(Options{StateFile: path}); err == nil {
				t.Error("New accepted the state file")
			}
		})
	}

	// A version 1 file (external certificates only, no CA) still loads, with a new CA.
	p := getPKI(t)
	v1 := filepath.Join(dir, "v1.json")
	now := time.Now()
	old := map[string]any{"version": 1, "next_certificate_no": 100002, "certificates": []any{map[string]any{
		"certificate_no": 100001, "name": "old-cert", "type": "EXTERNAL", "private_key_pem": p.ecLeaf.keyPEM,
		"certificate_pem": p.ecLeaf.certPEM, "certificate_chain_pem": p.chainPEM, "instance_nos": []string{},
		"registered_at": now, "updated_at": now,
	}}}
	raw, _ := json.Marshal(old)
	if err := os.WriteFile(v1, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, Options{StateFile: v1})
	if st := e.statusOf(100001); st != "NORMAL" || e.srv.ca == nil {
		t.Errorf("v1 file: %s", st)
	}
}
