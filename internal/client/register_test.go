package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func input(name, serial string) ExternalCertificateInput {
	// The fake uses the certificate text as the serial.
	return ExternalCertificateInput{Name: name, PrivateKey: "KEY", Certificate: serial, Chain: "CHAIN", SerialNumber: serial}
}

func TestRequestBodies(t *testing.T) {
	var bodies []map[string]any
	var paths []string
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		bodies, paths = append(bodies, b), append(paths, r.Method+" "+r.URL.RequestURI())
		writeJSON(w, 200, success(map[string]any{"sslCertificateList": []any{map[string]any{"certificateNo": 5, "certificateName": "n"}}}))
	}))
	in := ExternalCertificateInput{Name: "n", PrivateKey: "K", Certificate: "C", Chain: "CH"}
	if _, err := c.CreateExternalCertificate(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterExternalCertificate(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	in.No = 5
	if _, err := c.RegisterExternalCertificate(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"certificateName": "n", "privateKey": "K", "publicKeyCertificate": "C", "certificateChain": "CH"},
		{"certificateName": "n", "privateKey": "K", "certificateBody": "C", "certificateChain": "CH"},
		{"certificateName": "n", "certificateNo": float64(5), "privateKey": "K", "certificateBody": "C", "certificateChain": "CH"},
	}
	if !reflect.DeepEqual(bodies, want) {
		t.Errorf("bodies = %v", bodies)
	}
	wantPaths := []string{"POST /api/v1/certificate/withExternal", "POST /api/v2/certificate/withExternal", "POST /api/v2/certificate/withExternal"}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Errorf("paths = %v", paths)
	}
}

func TestCreateHappyPath(t *testing.T) {
	fs := newFakeService(t)
	c, _ := newTestClient(t, fs)
	cert, err := c.CreateExternalCertificate(context.Background(), input("web", "0A:01"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.Name != "web" || cert.SerialNumber != "a01" || fs.count(opCreateExternalCertificate) != 1 || fs.count(opGetCertificateList) != 0 {
		t.Errorf("cert=%+v calls=%v", cert, fs.snapshot())
	}
}

// `{"returnCode":"0","returnMessage":"Success","totalRows":1}`: the certificate is looked up.
func TestCreateMinimalSuccessLooksUp(t *testing.T) {
	fs := newFakeService(t)
	fs.mu.Lock()
	fs.omitCreated = true
	fs.mu.Unlock()
	c, _ := newTestClient(t, fs)
	cert, err := c.CreateExternalCertificate(context.Background(), input("web", "0A:01"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.No == 0 || fs.count(opGetCertificateList) != 1 {
		t.Errorf("cert=%+v calls=%v", cert, fs.snapshot())
	}
}

func TestCreate503ThenLookupThenResend(t *testing.T) {
	fs := newFakeService(t)
	fs.addFault(opCreateExternalCertificate, fault{status: 503})
	c, _ := newTestClient(t, fs)
	cert, err := c.CreateExternalCertificate(context.Background(), input("web", "0A:01"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.No == 0 || fs.count(opCreateExternalCertificate) != 2 || fs.count(opGetCertificateList) != 1 || fs.numCerts() != 1 {
		t.Errorf("cert=%+v calls=%v certs=%d", cert, fs.snapshot(), fs.numCerts())
	}
}

func TestCreate503AfterApplyAdopted(t *testing.T) {
	fs := newFakeService(t)
	fs.addFault(opCreateExternalCertificate, fault{status: 503, afterApply: true})
	c, _ := newTestClient(t, fs)
	cert, err := c.CreateExternalCertificate(context.Background(), input("web", "0A:01"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.No == 0 || fs.count(opCreateExternalCertificate) != 1 || fs.numCerts() != 1 {
		t.Errorf("cert=%+v calls=%v", cert, fs.snapshot())
	}
}

func TestCreateDroppedAfterCommitAdopted(t *testing.T) {
	fs := newFakeService(t)
	fs.addFault(opCreateExternalCertificate, fault{drop: true})
	c, _ := newTestClient(t, fs)
	cert, err := c.CreateExternalCertificate(context.Background(), input("web", "0A:01"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.No == 0 || cert.SerialNumber != "a01" {
		t.Errorf("cert = %+v", cert)
	}
	if fs.count(opCreateExternalCertificate) != 1 || fs.numCerts() != 1 {
		t.Errorf("registrations: calls=%v certs=%d, want exactly one", fs.snapshot(), fs.numCerts())
	}
}

// A name held by another certificate is never adopted: the error names it, with the
// service's refusal wrapped.
func TestCreateNameTakenByAnotherCertificate(t *testing.T) {
	fs := newFakeService(t)
	other := fs.addCert("web", "ff", nil)
	c, _ := newTestClient(t, fs)
	_, err := c.CreateExternalCertificate(context.Background(), input("web", "0A:01"))
	var taken *NameInUseError
	if !errors.As(err, &taken) || taken.Existing.No != other || taken.SameMaterial || !hasCode(err, "2000") || IsUncertain(err) || !IsNameInUse(err) {
		t.Fatalf("err = %#v", err)
	}
	for _, want := range []string{`"web"`, "already used by certificate 1001", "different certificate"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err.Error(), want)
		}
	}
	if fs.count(opCreateExternalCertificate) != 1 || fs.numCerts() != 1 || fs.serial(other) != "ff" {
		t.Errorf("calls=%v", fs.snapshot())
	}
}

// The same certificate already registered under the name (another workspace, or an apply
// that was killed) is not adopted on a plain duplicate answer: it must be imported.
func TestCreateDuplicateSameSerialNotAdopted(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "0a:01", nil)
	c, _ := newTestClient(t, fs)
	cert, err := c.CreateExternalCertificate(context.Background(), input("web", "0A01"))
	var taken *NameInUseError
	if cert != nil || !errors.As(err, &taken) || taken.Existing.No != no || !taken.SameMaterial || !strings.Contains(err.Error(), "same certificate") {
		t.Fatalf("cert=%+v err=%v", cert, err)
	}
	if fs.count(opCreateExternalCertificate) != 1 || fs.numCerts() != 1 {
		t.Errorf("calls=%v", fs.snapshot())
	}
}

// A POST throttled by the gateway provably did not land, so the transport retries it
// without looking anything up.
func TestCreateRetriedOn429(t *testing.T) {
	fs := newFakeService(t)
	fs.addFault(opCreateExternalCertificate, fault{status: 429}, fault{status: 429})
	c, _ := newTestClient(t, fs)
	cert, err := c.CreateExternalCertificate(context.Background(), input("web", "0A:01"))
	if err != nil || cert.No == 0 {
		t.Fatalf("cert=%+v err=%v", cert, err)
	}
	if fs.count(opCreateExternalCertificate) != 3 || fs.count(opGetCertificateList) != 0 || fs.numCerts() != 1 {
		t.Errorf("calls=%v certs=%d", fs.snapshot(), fs.numCerts())
	}
}

func TestCreateRefusedNotRetried(t *testing.T) {
	var posts, gets counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			gets.inc()
			writeJSON(w, 200, success(map[string]any{"totalRows": 0, "sslCertificateList": []any{}}))
			return
		}
		posts.inc()
		writeJSON(w, 400, map[string]any{"returnCode": "2000", "returnMessage": "must start with an alphabetic character"})
	}))
	_, err := c.CreateExternalCertificate(context.Background(), input("1bad", "01"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "2000" || apiErr.HTTPStatus != 400 || IsUncertain(err) {
		t.Fatalf("err = %v", err)
	}
	if err.Error() != "createExternalCertificate: HTTP 400, code 2000: must start with an alphabetic character" {
		t.Errorf("Error() = %q", err.Error())
	}
	if posts.get() != 1 || gets.get() != 1 {
		t.Errorf("posts=%d gets=%d", posts.get(), gets.get())
	}
}

func TestCreateUncertainBounded(t *testing.T) {
	fs := newFakeService(t)
	fs.addFault(opCreateExternalCertificate, fault{status: 502}, fault{status: 502}, fault{status: 502}, fault{status: 502}, fault{status: 502})
	c, _ := newTestClient(t, fs, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.CreateExternalCertificate(context.Background(), input("web", "01"))
	var apiErr *APIError
	if !IsUncertain(err) || !errors.As(err, &apiErr) || apiErr.HTTPStatus != 502 {
		t.Fatalf("err = %v", err)
	}
	if fs.count(opCreateExternalCertificate) != 3 || fs.count(opGetCertificateList) != 3 || fs.numCerts() != 0 {
		t.Errorf("calls=%v", fs.snapshot())
	}
}

func TestRenewDroppedAfterCommitAdopted(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "01", []string{"111"})
	fs.addFault(opRegisterExternalCertificate, fault{drop: true})
	c, _ := newTestClient(t, fs)
	in := input("web", "02")
	in.No = no
	cert, err := c.RegisterExternalCertificate(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if cert.No != no || cert.SerialNumber != "2" || fs.count(opRegisterExternalCertificate) != 1 {
		t.Errorf("cert=%+v calls=%v", cert, fs.snapshot())
	}
}

func TestRenew503ThenResend(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addCert("web", "01", nil)
	fs.addFault(opRegisterExternalCertificate, fault{status: 503})
	c, _ := newTestClient(t, fs)
	in := input("web", "02")
	in.No = no
	cert, err := c.RegisterExternalCertificate(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if cert.No != no || cert.SerialNumber != "2" || fs.count(opRegisterExternalCertificate) != 2 || fs.count(opGetCertificateList) != 1 {
		t.Errorf("cert=%+v calls=%v", cert, fs.snapshot())
	}
}

func TestRegisterNewV2(t *testing.T) {
	fs := newFakeService(t)
	fs.addFault(opRegisterExternalCertificate, fault{drop: true})
	c, _ := newTestClient(t, fs)
	cert, err := c.RegisterExternalCertificate(context.Background(), input("web", "0A:01"))
	if err != nil || cert.No == 0 || fs.numCerts() != 1 || fs.count(opRegisterExternalCertificate) != 1 {
		t.Fatalf("cert=%+v err=%v calls=%v", cert, err, fs.snapshot())
	}
}

func TestRegisterV2ForbiddenForSubAccount(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		w.Header().Set("x-ncp-apigw-response-origin", "ENDPOINT")
		w.WriteHeader(403)
	}))
	_, err := c.RegisterExternalCertificate(context.Background(), ExternalCertificateInput{No: 5, Name: "web", PrivateKey: "k", Certificate: "c"})
	if !IsForbidden(err) || IsUncertain(err) || !strings.Contains(err.Error(), "main-account") || !strings.Contains(err.Error(), testAccessKey) {
		t.Fatalf("err = %v", err)
	}
	if n.get() != 1 {
		t.Errorf("%d requests", n.get())
	}
}

// After an uncertain attempt, a certificate holding the name is adopted only with proof
// that it is this create's own: the same serial, registered after the create began.
func TestCreateAdoptsOnlyWithProof(t *testing.T) {
	now := time.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateTime)
	for _, tt := range []struct {
		name    string
		serial  string
		regDate string
		adopt   bool
	}{
		{"same serial, registered now", "01", now, true},
		{"no serial, registered now", "", now, false},
		{"other serial, registered now", "02", now, false},
		{"same serial, registered long before", "01", "2020-01-01 00:00:00", false},
		// The service's Date header pins its clock: 10 seconds before is not "since".
		{"same serial, registered seconds before", "01", time.Now().Add(-10 * time.Second).In(time.FixedZone("KST", 9*3600)).Format(time.DateTime), false},
		{"same serial, no registration date", "01", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var posts counter
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == "POST" {
					posts.inc()
					w.WriteHeader(502)
					return
				}
				writeJSON(w, 200, success(map[string]any{"sslCertificateList": []any{
					map[string]any{"certificateNo": 9, "certificateName": "web", "regDate": tt.regDate, "serialNumber": tt.serial},
				}}))
			}))
			cert, err := c.CreateExternalCertificate(context.Background(), input("web", "01"))
			if tt.adopt && (err != nil || cert.No != 9) {
				t.Fatalf("cert=%+v err=%v", cert, err)
			}
			var taken *NameInUseError
			if !tt.adopt && (!errors.As(err, &taken) || IsUncertain(err) || taken.Existing.No != 9 || taken.SameMaterial != (tt.serial == "01")) {
				t.Fatalf("err = %v", err)
			}
			if posts.get() != 1 {
				t.Errorf("%d posts", posts.get())
			}
		})
	}
}
