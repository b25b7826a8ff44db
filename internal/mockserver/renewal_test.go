package mockserver

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestRenewalDueBoundaries: automatic renewal starts exactly 30 days before notAfter (not a
// second earlier), needs renewalYn Y and the DCV records still published, and never renews an
// expired, revoked, forced or pending certificate.
func TestRenewalDueBoundaries(t *testing.T) {
	e := newEnv(t, Options{})
	notAfter := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	rec := dcvRecord{Domain: "due.example.com", Name: "_x.due.example.com", Type: recordCNAME, Value: "v.dcv.ncloudcert-mock.test."}
	base := certificate{
		Type: typeCloudBasic, RenewalYn: "Y", Meta: certMeta{NotAfter: notAfter},
		Material: material{CertPEM: "x"},
		Issue:    &issuance{Records: []dcvRecord{rec}, ValidatedAt: notAfter.Add(-90 * 24 * time.Hour)},
	}
	if err := e.srv.PublishDNS(rec.Name, rec.Type, rec.Value); err != nil {
		t.Fatal(err)
	}
	edge := notAfter.Add(-renewalWindow)
	cases := []struct {
		name string
		mod  func(c *certificate)
		now  time.Time
		want bool
	}{
		{"one second before the window", nil, edge.Add(-time.Second), false},
		{"exactly 30 days before notAfter", nil, edge, true},
		{"one second into the window", nil, edge.Add(time.Second), true},
		{"at notAfter", nil, notAfter, true},
		{"one second after notAfter (expired)", nil, notAfter.Add(time.Second), false},
		{"renewal off", func(c *certificate) { c.RenewalYn = "N" }, edge, false},
		{"forced status", func(c *certificate) { c.ForcedStatus = "REVOKE" }, edge, false},
		{"revoked", func(c *certificate) { c.RevokedAt = edge }, edge, false},
		{"pending", func(c *certificate) { is := *c.Issue; is.ValidatedAt = time.Time{}; c.Issue = &is }, edge, false},
		{"external", func(c *certificate) { c.Issue = nil }, edge, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			if tc.mod != nil {
				tc.mod(&c)
			}
			if got := e.srv.renewalDue(&c, tc.now); got != tc.want {
				t.Fatalf("renewalDue = %v, want %v", got, tc.want)
			}
		})
	}
	if err := e.srv.PublishDNS(rec.Name, rec.Type); err != nil { // records removed
		t.Fatal(err)
	}
	if e.srv.renewalDue(&base, edge) {
		t.Fatal("renewed without its DCV records published")
	}
}

// TestAutomaticRenewalInPlace: a Cloud Basic certificate with automatic renewal on and its
// records published renews in place when the clock enters the window: the same number, a
// new serial and dates, status NORMAL, seen by every read.
func TestAutomaticRenewalInPlace(t *testing.T) {
	e := newEnv(t, Options{})
	no := e.request(typeCloudBasic, "auto-renew", "auto.example.com")
	if err := e.srv.PublishDCV(no); err != nil {
		t.Fatal(err)
	}
	wantOK(t, e.signed(http.MethodPost, "/api/v2/certificate/setCertificateRenewal", map[string]any{"certificateNo": no, "renewalYn": "Y"}))
	before, _ := e.srv.Certificate(no)
	e.advance(issuedValidity - renewalWindow - time.Hour) // not yet
	if got := fmt.Sprint(e.v2Of(no)["serialNumber"]); got != before.SerialNumber {
		t.Fatalf("renewed an hour before the window: serial %s, was %s", got, before.SerialNumber)
	}
	e.advance(2 * time.Hour)
	item := e.v2Of(no)
	after, _ := e.srv.Certificate(no)
	if item["serialNumber"] == before.SerialNumber || after.SerialNumber == before.SerialNumber || fmt.Sprint(item["serialNumber"]) != after.SerialNumber {
		t.Fatalf("not renewed in the window: list %v, before %s, after %s", item["serialNumber"], before.SerialNumber, after.SerialNumber)
	}
	if st := e.statusOf(no); st != "NORMAL" || numOf(t, item["certificateNo"]) != no {
		t.Fatalf("status %s, item %v", st, item)
	}
	leaf := parseCertPEM(t, after.CertificatePEM)
	if got := time.Until(leaf.NotAfter) - time.Duration(e.offset.Load()); got < issuedValidity-2*time.Hour {
		t.Fatalf("the renewed leaf is valid only %s more", got)
	}
}

// TestRenewControl: POST /_mock/certificates/{no}/renew renews an issued certificate now
// (Cloud Basic, Global Edge, Advanced from the same CSR key, a registered key staying
// registered) and refuses what cannot renew.
func TestRenewControl(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	cb := e.request(typeCloudBasic, "ctl-renew", "ctl-renew.example.com")
	ge := e.request(typeGlobalEdge, "ctl-renew-ge", "ctl-renew-ge.example.com")
	pending := e.request(typeCloudBasic, "ctl-pending", "ctl-pending.example.com")
	ext := e.create("ctl-ext", p.ecLeaf)
	csr, keyPEM := testCSR(t, "adv-renew.example.com")
	res := e.signed(http.MethodPost, advancedPath, advancedBody(csr, "adv-renew", "adv-renew.example.com"))
	wantOK(t, res)
	adv := numOf(t, res.body["paidCertificate"].(map[string]any)["certificateNo"])
	for _, no := range []int64{cb, ge, adv} {
		if err := e.srv.ValidateCertificate(no); err != nil {
			t.Fatal(err)
		}
	}
	wantOK(t, e.signed(http.MethodPost, "/api/v2/certificate/registPrivateKey", map[string]any{"certificateNo": adv, "privateKey": keyPEM}))

	for no, status := range map[int64]string{cb: "NORMAL", ge: "NORMAL_GLOBAL_EDGE_DEDICATED", adv: "NORMAL"} {
		before, _ := e.srv.Certificate(no)
		wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/renew", no), nil))
		after, _ := e.srv.Certificate(no)
		if after.SerialNumber == before.SerialNumber || after.CertificatePEM == before.CertificatePEM {
			t.Fatalf("%d: serial unchanged %s", no, after.SerialNumber)
		}
		if st := e.statusOf(no); st != status {
			t.Fatalf("%d: status %s after renewal, want %s", no, st, status)
		}
		if no == adv {
			oldLeaf, newLeaf := parseCertPEM(t, before.CertificatePEM), parseCertPEM(t, after.CertificatePEM)
			oldKey, _ := x509.MarshalPKIXPublicKey(oldLeaf.PublicKey)
			newKey, _ := x509.MarshalPKIXPublicKey(newLeaf.PublicKey)
			if !bytes.Equal(oldKey, newKey) {
				t.Fatal("the Advanced renewal changed the public key: it must come from the same CSR")
			}
		}
	}
	for _, tc := range []struct {
		no     int64
		status int
	}{{pending, http.StatusConflict}, {ext, http.StatusConflict}, {999999, http.StatusNotFound}} {
		if res := e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/renew", tc.no), nil); res.status != tc.status {
			t.Fatalf("renew %d: HTTP %d, want %d: %s", tc.no, res.status, tc.status, res.raw)
		}
	}
}
