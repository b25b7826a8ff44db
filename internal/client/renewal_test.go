package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
)

func TestSetRenewalStatus(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addRequested("cb", string(CloudBasic), kstNow(), "example.com")
	c, _ := newTestClient(t, fs)
	ctx := context.Background()
	if err := c.SetRenewalStatus(ctx, no, true); err != nil || fs.field(no, "renewalYn") != "Y" {
		t.Fatalf("enable: %v, renewalYn %v", err, fs.field(no, "renewalYn"))
	}
	if err := c.SetRenewalStatus(ctx, no, false); err != nil || fs.field(no, "renewalYn") != "N" {
		t.Fatalf("disable: %v", err)
	}
	want := []map[string]any{{"certificateNo": float64(no), "renewalYn": "Y"}, {"certificateNo": float64(no), "renewalYn": "N"}}
	if got := fs.bodiesOf(opSetRenewalStatus); !reflect.DeepEqual(got, want) {
		t.Errorf("bodies = %v", got)
	}
	if err := c.SetRenewalStatus(ctx, 42, true); !IsNotFound(err) {
		t.Errorf("missing: %v", err)
	}
}

// Setting a flag twice is harmless: after a 503 or a dropped connection, the client sends
// it again itself instead of reporting an uncertain outcome.
func TestSetRenewalStatusRetried(t *testing.T) {
	for _, flt := range []fault{{status: 503}, {status: 503, afterApply: true}, {drop: true}} {
		fs := newFakeService(t)
		no := fs.addRequested("cb", string(CloudBasic), kstNow(), "example.com")
		fs.addFault(opSetRenewalStatus, flt)
		c, _ := newTestClient(t, fs)
		if err := c.SetRenewalStatus(context.Background(), no, true); err != nil {
			t.Fatalf("%+v: %v", flt, err)
		}
		if fs.count(opSetRenewalStatus) != 2 || fs.field(no, "renewalYn") != "Y" || fs.count(opGetCertificateList) != 0 {
			t.Errorf("%+v: calls = %v", flt, fs.snapshot())
		}
	}
}

// Sites without API 2.0 send nothing for any of the v2 operations.
func TestNewV2OperationsNotSentOnGov(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		writeJSON(w, 200, emptyList())
	}), func(cfg *Config) { cfg.Site = "gov" })
	ctx := context.Background()
	ops := map[string]func() error{
		"RequestCertificate cloud basic": func() error { _, err := c.RequestCertificate(ctx, cloudBasic("web", "example.com")); return err },
		"RequestCertificate global edge": func() error {
			_, err := c.RequestCertificate(ctx, CertificateRequest{Type: GlobalEdge, Name: "web", CommonName: "example.com"})
			return err
		},
		"ListCloudCertificates": func() error { _, err := c.ListCloudCertificates(ctx, ""); return err },
		"ListCertificates":      func() error { _, err := c.ListCertificates(ctx, ""); return err },
		"ListDcvStatuses":       func() error { _, err := c.ListDcvStatuses(ctx, 1, "example.com", "TXT"); return err },
		"DownloadCertificate":   func() error { _, err := c.DownloadCertificate(ctx, 1); return err },
		"SetRenewalStatus":      func() error { return c.SetRenewalStatus(ctx, 1, true) },
	}
	for name, op := range ops {
		if err := op(); !errors.Is(err, ErrV2Unavailable) || IsNameInUse(err) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if n.get() != 0 {
		t.Errorf("%d requests sent", n.get())
	}
}
