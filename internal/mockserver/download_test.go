package mockserver

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// download calls DownloadCertificate; a JSON answer is decoded, a ZIP kept raw.
func (e *testEnv) download(no int64, body any) result {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v2/certificate/exportCertificate/%d", e.ts.URL, no), rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/zip")
	signHeaders(req, DemoAccessKey, DemoSecretKey, e.now())
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	res := result{status: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&res.body); err != nil {
			e.t.Fatal(err)
		}
	}
	return res
}

// unzip reads every file of a ZIP answer.
func unzip(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(body)
	}
	return files
}

func TestDownloadCertificate(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	cb := e.request(typeCloudBasic, "zip-basic", "*.zip.example", "zip.example")
	ge := e.request(typeGlobalEdge, "zip-edge", "edge.zip.example")
	ext := e.create("zip-external", p.rsaLeaf)
	download := func(no int64, body any) result { return e.download(no, body) }

	// Before issuance: JSON errors.
	wantCode(t, download(cb, map[string]any{}), http.StatusBadRequest, codeValidation, msgNotIssued)
	for _, no := range []int64{cb, ge} {
		if err := e.srv.PublishDCV(no); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		no    int64
		names []string
		key   bool
	}{
		{cb, []string{"*.zip.example", "zip.example"}, true},
		{ge, []string{"edge.zip.example"}, true},
		{ext, nil, false},
	} {
		for _, body := range []any{map[string]any{}, map[string]any{"certificateNo": tc.no, "type": "PEM"}, map[string]any{"certificateNo": fmt.Sprint(tc.no), "passwd": "ignored"}} {
			res := download(tc.no, body)
			if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/zip" ||
				!strings.Contains(res.header.Get("Content-Disposition"), ".zip") {
				t.Fatalf("download %d: HTTP %d %v", tc.no, res.status, res.header)
			}
			files := unzip(t, res.raw)
			var names []string
			for n := range files {
				names = append(names, n)
			}
			slices.Sort(names)
			want := []string{"certificate.pem", "chain.pem"}
			if tc.key {
				want = []string{"certificate.pem", "chain.pem", "private_key.pem"}
			}
			if !slices.Equal(names, want) {
				t.Fatalf("ZIP of %d holds %v, want %v", tc.no, names, want)
			}
			info, _ := e.srv.Certificate(tc.no)
			if files["certificate.pem"] != info.CertificatePEM || files["chain.pem"] != info.ChainPEM {
				t.Errorf("ZIP of %d differs from the store", tc.no)
			}
			if tc.key {
				e.verifyLeaf(files["certificate.pem"], files["chain.pem"], tc.names)
				if _, _, err := parseUpload(files["private_key.pem"], files["certificate.pem"], files["chain.pem"]); err != nil {
					t.Errorf("private_key.pem does not match: %v", err)
				}
				if !strings.HasPrefix(files["private_key.pem"], "-----BEGIN PRIVATE KEY-----\n") {
					t.Errorf("key is not PKCS#8")
				}
			} else if files["chain.pem"] != p.chainPEM {
				t.Errorf("external chain.pem differs from the upload")
			}
		}
	}

	// Refusals, all JSON.
	cases := []struct {
		name   string
		no     int64
		body   any
		status int
		code   string
	}{
		{"no body", cb, nil, http.StatusBadRequest, codeValidation},
		{"type DER", cb, map[string]any{"type": "DER"}, http.StatusBadRequest, codeValidation},
		{"other number in the body", cb, map[string]any{"certificateNo": ge}, http.StatusBadRequest, codeValidation},
		{"missing certificate", 424242, map[string]any{}, http.StatusOK, codeNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := download(tc.no, tc.body)
			wantCode(t, res, tc.status, tc.code, "")
			if !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", res.header.Get("Content-Type"))
			}
		})
	}
	if got := e.srv.Requests(OpDownloadCertificate); got != 9+1+len(cases) {
		t.Errorf("DownloadCertificate counted %d", got)
	}
}

func TestChainOfPendingAndMissing(t *testing.T) {
	e := newEnv(t, Options{})
	no := e.request(typeGlobalEdge, "chain-pending", "pending.example.com")
	for _, tc := range []struct {
		uri    string
		status int
		code   string
	}{
		{fmt.Sprintf("/api/v2/certificate/exportCertificate/%d/chain", no), http.StatusBadRequest, codeValidation},
		{"/api/v2/certificate/exportCertificate/424242/chain", http.StatusOK, codeNotFound},
		{"/api/v2/certificate/exportCertificate/0/chain", http.StatusBadRequest, codeValidation},
	} {
		wantCode(t, e.signed(http.MethodGet, tc.uri, nil), tc.status, tc.code, "")
	}
	if err := e.srv.FailCertificate(no, "x"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/exportCertificate/%d/chain", no), nil), http.StatusBadRequest, codeValidation, msgNotIssued)
}

func TestSetRenewalStatus(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	cb := e.request(typeCloudBasic, "renew-basic", "renew.example.com")
	ge := e.request(typeGlobalEdge, "renew-edge", "renew-edge.example.com")
	ext := e.create("renew-ext", p.ecLeaf)
	if err := e.srv.ValidateCertificate(ge); err != nil {
		t.Fatal(err)
	}
	const path = "/api/v2/certificate/setCertificateRenewal"
	cases := []struct {
		name   string
		body   any
		status int
		code   string
		no     int64
		want   string // renewalYn afterwards
	}{
		{"enable pending Cloud Basic", map[string]any{"certificateNo": cb, "renewalYn": "Y"}, http.StatusOK, "0", cb, "Y"},
		{"enable again", map[string]any{"certificateNo": cb, "renewalYn": "Y"}, http.StatusOK, "0", cb, "Y"},
		{"disable", map[string]any{"certificateNo": fmt.Sprint(cb), "renewalYn": "N"}, http.StatusOK, "0", cb, "N"},
		{"enable issued Global Edge", map[string]any{"certificateNo": ge, "renewalYn": "Y"}, http.StatusOK, "0", ge, "Y"},
		{"external refused", map[string]any{"certificateNo": ext, "renewalYn": "Y"}, http.StatusBadRequest, codeValidation, ext, "N"},
		{"lower-case y", map[string]any{"certificateNo": cb, "renewalYn": "y"}, http.StatusBadRequest, codeValidation, cb, "N"},
		{"renewalYn missing", map[string]any{"certificateNo": cb}, http.StatusBadRequest, codeValidation, cb, "N"},
		{"certificateNo missing", map[string]any{"renewalYn": "Y"}, http.StatusBadRequest, codeValidation, cb, "N"},
		{"missing certificate", map[string]any{"certificateNo": 424242, "renewalYn": "Y"}, http.StatusOK, codeNotFound, cb, "N"},
		{"no body", nil, http.StatusBadRequest, codeValidation, cb, "N"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.signed(http.MethodPost, path, tc.body)
			wantCode(t, res, tc.status, tc.code, "")
			if tc.code == "0" && (res.num("totalRows") != 0 || res.str("returnMessage") != "Success") {
				t.Errorf("answer %s", res.raw)
			}
			if v1, v2 := e.v1Of(tc.no), e.v2Of(tc.no); v1["renewalYn"] != tc.want || v2["renewalYn"] != tc.want {
				t.Errorf("renewalYn v1 %v v2 %v, want %s", v1["renewalYn"], v2["renewalYn"], tc.want)
			}
			if info, _ := e.srv.Certificate(tc.no); info.RenewalYn != tc.want {
				t.Errorf("stored %q", info.RenewalYn)
			}
		})
	}
	if got := e.srv.Requests(OpSetRenewalStatus); got != len(cases) {
		t.Errorf("SetRenewalStatus counted %d", got)
	}
}

// TestDeleteIssued: both deletes work for pending and issued certificates, with the name
// check and the in-use refusal of external certificates.
func TestDeleteIssued(t *testing.T) {
	e := newEnv(t, Options{})
	pending := e.request(typeCloudBasic, "del-pending", "p.example.com")
	issued := e.request(typeGlobalEdge, "del-issued", "i.example.com")
	if err := e.srv.PublishDCV(issued); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetInUse(issued, "7001"); err != nil {
		t.Fatal(err)
	}
	v1 := func(no int64, name string) string {
		return fmt.Sprintf("/api/v1/certificate/%d?certificateName=%s", no, name)
	}
	v2 := func(no int64, name string) string {
		return fmt.Sprintf("/api/v2/certificate/deleteCertificate/%d?certificateName=%s", no, name)
	}
	cases := []struct {
		name  string
		uri   string
		code  string
		msg   string
		count int // certificates left
	}{
		{"v2 wrong name", v2(issued, "other"), codeDeleteFailed, msgDeleteMismatch, 2},
		{"v2 in use", v2(issued, "del-issued"), codeDeleteFailed, msgInUse, 2},
		{"v1 in use", v1(issued, "del-issued"), codeDeleteFailed, msgInUse, 2},
		{"v1 pending", v1(pending, "del-pending"), "0", "Success", 1},
		{"v1 again", v1(pending, "del-pending"), codeNoCertificate, msgNoCertificate, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, e.signed(http.MethodDelete, tc.uri, nil), http.StatusOK, tc.code, tc.msg)
			if n := e.srv.Stats().Certificates; n != tc.count {
				t.Errorf("%d certificates left", n)
			}
		})
	}
	if err := e.srv.SetInUse(issued); err != nil {
		t.Fatal(err)
	}
	wantOK(t, e.signed(http.MethodDelete, v2(issued, "del-issued"), nil))
	if e.srv.Stats().Certificates != 0 || len(e.srv.store.pendingCertificates()) != 0 {
		t.Error("certificates left")
	}
	// The name is free again.
	e.request(typeCloudBasic, "del-issued", "again.example.com")
}

// TestListCloudCertificates: Cloud Basic and Global Edge only, paged like ListCertificates;
// the other lists keep every type.
func TestListCloudCertificates(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	var cloud []string
	for i := range 7 {
		e.create(fmt.Sprintf("ext-%d", i), p.ecLeaf)
		typ := typeCloudBasic
		if i%2 == 1 {
			typ = typeGlobalEdge
		}
		name := fmt.Sprintf("cloud-%d", i)
		e.request(typ, name, fmt.Sprintf("h%d.example.com", i))
		cloud = append(cloud, name)
	}
	names := func(res result) string {
		var out []string
		for _, it := range res.list("sslCertificateList") {
			out = append(out, fmt.Sprint(it["certificateName"]))
		}
		return strings.Join(out, ",")
	}
	all := strings.Join(cloud, ",")
	for _, tc := range []struct{ query, want string }{
		{"", all},
		{"?pageSize=0&page=2", all},
		{"?page=1&pageSize=3", "cloud-0,cloud-1,cloud-2"},
		{"?page=3&pageSize=3", "cloud-6"},
		{"?page=4&pageSize=3", ""},
		{"?pageSize=1000", all},
	} {
		res := e.signed(http.MethodGet, "/api/v2/certificate/getCertificates"+tc.query, nil)
		wantOK(t, res)
		if got := names(res); got != tc.want || res.num("totalCount") != 7 {
			t.Errorf("%s: %q totalCount %d, want %q", tc.query, got, res.num("totalCount"), tc.want)
		}
	}
	res := e.signed(http.MethodGet, "/api/v2/certificate/getCertificates?certificateName=cloud-3", nil)
	if names(res) != "cloud-3" || res.num("totalCount") != 1 {
		t.Errorf("name filter: %s", res.raw)
	}
	res = e.signed(http.MethodGet, "/api/v2/certificate/getCertificates?certificateName=ext-3", nil)
	wantOK(t, res)
	if res.num("totalCount") != 0 || !bytes.Contains(res.raw, []byte(`"sslCertificateList":[]`)) {
		t.Errorf("external by name: %s", res.raw)
	}
	wantCode(t, e.signed(http.MethodGet, "/api/v2/certificate/getCertificates?pageSize=x", nil), http.StatusBadRequest, codeValidation, "")

	// ListCertificates and v1 still list everything, externals as before.
	res = e.signed(http.MethodGet, "/api/v2/certificate/certificates", nil)
	if res.num("totalCount") != 14 {
		t.Errorf("ListCertificates: %d", res.num("totalCount"))
	}
	for _, it := range res.list("sslCertificateList") {
		ext := strings.HasPrefix(fmt.Sprint(it["certificateName"]), "ext-")
		if (it["externalYn"] == "Y") != ext || (it["certificateType"] == typeExternal) != ext {
			t.Errorf("item %v: externalYn %v type %v", it["certificateName"], it["externalYn"], it["certificateType"])
		}
	}
	res = e.signed(http.MethodGet, "/api/v1/certificates", nil)
	if res.num("totalRows") != 14 {
		t.Errorf("v1: %d", res.num("totalRows"))
	}
	st := e.srv.Stats()
	if st.Requests[OpListCloudCertificates] != 9 || st.Requests[OpCloudBasicCertificateRequest] != 4 || st.Requests[OpGlobalEdgeCertificateRequest] != 3 {
		t.Errorf("stats %+v", st.Requests)
	}
}
