package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

// TestControlDNS covers POST, GET and DELETE /_mock/dns.
func TestControlDNS(t *testing.T) {
	e := newEnv(t, Options{})
	list := func() []DNSRecord {
		res := e.control(http.MethodGet, "/_mock/dns", nil)
		if res.status != http.StatusOK {
			t.Fatalf("list: HTTP %d", res.status)
		}
		var body struct{ Records []DNSRecord }
		if err := json.Unmarshal(res.raw, &body); err != nil {
			t.Fatal(err)
		}
		return body.Records
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("empty zone lists %v", got)
	}
	steps := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		want   []DNSRecord // zone afterwards
	}{
		{"publish", http.MethodPost, "/_mock/dns", map[string]any{"name": "_A.Example.com.", "type": "cname", "values": []string{"t.example."}},
			http.StatusOK, []DNSRecord{{Name: "_a.example.com", Type: "CNAME", Values: []string{"t.example."}}}},
		{"second type", http.MethodPost, "/_mock/dns", map[string]any{"name": "_a.example.com", "type": "TXT", "values": []string{`"x"`, "y"}},
			http.StatusOK, []DNSRecord{{Name: "_a.example.com", Type: "CNAME", Values: []string{"t.example."}}, {Name: "_a.example.com", Type: "TXT", Values: []string{`"x"`, "y"}}}},
		{"replace", http.MethodPost, "/_mock/dns", map[string]any{"name": "_a.example.com", "type": "CNAME", "values": []string{"u.example."}},
			http.StatusOK, []DNSRecord{{Name: "_a.example.com", Type: "CNAME", Values: []string{"u.example."}}, {Name: "_a.example.com", Type: "TXT", Values: []string{`"x"`, "y"}}}},
		{"empty values delete", http.MethodPost, "/_mock/dns", map[string]any{"name": "_a.example.com.", "type": "TXT", "values": []string{}},
			http.StatusOK, []DNSRecord{{Name: "_a.example.com", Type: "CNAME", Values: []string{"u.example."}}}},
		{"bad name", http.MethodPost, "/_mock/dns", map[string]any{"name": "a b.example.com", "type": "TXT", "values": []string{"x"}},
			http.StatusBadRequest, []DNSRecord{{Name: "_a.example.com", Type: "CNAME", Values: []string{"u.example."}}}},
		{"bad type", http.MethodPost, "/_mock/dns", map[string]any{"name": "a.example.com", "type": "C-NAME", "values": []string{"x"}},
			http.StatusBadRequest, []DNSRecord{{Name: "_a.example.com", Type: "CNAME", Values: []string{"u.example."}}}},
		{"unknown field", http.MethodPost, "/_mock/dns", map[string]any{"name": "a.example.com", "type": "TXT", "value": "x"},
			http.StatusBadRequest, []DNSRecord{{Name: "_a.example.com", Type: "CNAME", Values: []string{"u.example."}}}},
		{"delete without type", http.MethodDelete, "/_mock/dns?name=_a.example.com", nil,
			http.StatusBadRequest, []DNSRecord{{Name: "_a.example.com", Type: "CNAME", Values: []string{"u.example."}}}},
		{"delete", http.MethodDelete, "/_mock/dns?name=" + url.QueryEscape("_A.EXAMPLE.COM.") + "&type=cname", nil,
			http.StatusOK, []DNSRecord{}},
		{"delete again", http.MethodDelete, "/_mock/dns?name=_a.example.com&type=CNAME", nil,
			http.StatusOK, []DNSRecord{}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			res := e.control(st.method, st.path, st.body)
			if res.status != st.status {
				t.Fatalf("HTTP %d: %s", res.status, res.raw)
			}
			if got := list(); !reflect.DeepEqual(got, st.want) {
				t.Errorf("zone %+v, want %+v", got, st.want)
			}
			if got := e.srv.DNSRecords(); !reflect.DeepEqual(got, st.want) {
				t.Errorf("DNSRecords %+v", got)
			}
		})
	}
}

// TestControlCertificateRoutes covers /validate, /fail, /dcv and /status on requests, and
// that POST /_mock/dns validates pending requests.
func TestControlCertificateRoutes(t *testing.T) {
	p := getPKI(t)
	e := newEnv(t, Options{})
	byDNS := e.request(typeCloudBasic, "ctl-dns", "*.ctl.example", "ctl.example")
	onDemand := e.request(typeGlobalEdge, "ctl-demand", "demand.example")
	toFail := e.request(typeCloudBasic, "ctl-fail", "fail.example")
	ext := e.create("ctl-external", p.ecLeaf)

	// GET /dcv lists the expected records.
	res := e.control(http.MethodGet, fmt.Sprintf("/_mock/certificates/%d/dcv", byDNS), nil)
	var dcv struct{ Records []DCVRecord }
	if err := json.Unmarshal(res.raw, &dcv); err != nil || res.status != http.StatusOK || len(dcv.Records) != 1 {
		t.Fatalf("dcv: HTTP %d %s", res.status, res.raw)
	}
	r := dcv.Records[0]
	if !reflect.DeepEqual(r.Domains, []string{"*.ctl.example", "ctl.example"}) || r.Domain != "ctl.example" || r.Type != recordCNAME || r.Status != validStatusReg {
		t.Errorf("record %+v", r)
	}
	for path, status := range map[string]int{
		fmt.Sprintf("/_mock/certificates/%d/dcv", ext): http.StatusConflict,
		"/_mock/certificates/424242/dcv":               http.StatusNotFound,
		"/_mock/certificates/x/dcv":                    http.StatusBadRequest,
	} {
		if res := e.control(http.MethodGet, path, nil); res.status != status {
			t.Errorf("%s: HTTP %d, want %d", path, res.status, status)
		}
	}

	// POST /_mock/dns issues the request.
	wantCtlOK(t, e.control(http.MethodPost, "/_mock/dns", map[string]any{"name": r.Name, "type": r.Type, "values": []string{r.Value}}))
	if info, _ := e.srv.Certificate(byDNS); info.StatusName != "NORMAL" || info.CertificatePEM == "" {
		t.Errorf("after POST /_mock/dns: %+v", info)
	}
	res = e.control(http.MethodGet, fmt.Sprintf("/_mock/certificates/%d/dcv", byDNS), nil)
	if err := json.Unmarshal(res.raw, &dcv); err != nil || dcv.Records[0].Status != validStatusSuccess {
		t.Errorf("dcv after issuance: %s", res.raw)
	}

	// POST /validate.
	wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/validate", onDemand), nil))
	if info, _ := e.srv.Certificate(onDemand); info.StatusName != "NORMAL_GLOBAL_EDGE_DEDICATED" {
		t.Errorf("after validate: %s", info.StatusName)
	}
	for path, status := range map[string]int{
		fmt.Sprintf("/_mock/certificates/%d/validate", onDemand): http.StatusOK, // idempotent
		fmt.Sprintf("/_mock/certificates/%d/validate", ext):      http.StatusConflict,
		"/_mock/certificates/424242/validate":                    http.StatusNotFound,
		"/_mock/certificates/x/validate":                         http.StatusBadRequest,
	} {
		if res := e.control(http.MethodPost, path, nil); res.status != status {
			t.Errorf("%s: HTTP %d, want %d", path, res.status, status)
		}
	}

	// POST /fail, with and without a reason; POST /status clears the reason.
	failURL := fmt.Sprintf("/_mock/certificates/%d/fail", toFail)
	wantCtlOK(t, e.control(http.MethodPost, failURL, map[string]string{"reason": "domain is on a block list"}))
	wantFields(t, e.v2Of(toFail), map[string]string{"statusName": "FAILED", "statusCode": "-1", "failReason": "domain is on a block list"})
	wantCtlOK(t, e.control(http.MethodPost, failURL, nil))
	wantFields(t, e.v1Of(toFail), map[string]string{"statusName": "FAILED", "failReason": ""})
	wantCtlOK(t, e.control(http.MethodPost, failURL, map[string]string{"reason": "again"}))
	wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/status", toFail), map[string]string{"status": "VALIDATION_EXPIRE"}))
	wantFields(t, e.v2Of(toFail), map[string]string{"statusName": "VALIDATION_EXPIRE", "statusCode": "-4", "failReason": ""})
	if item := e.dcvItem(toFail, "fail.example"); item["validStatusCode"] != validStatusTimeout {
		t.Errorf("forced timeout: %v", item)
	}
	for path, status := range map[string]int{
		"/_mock/certificates/424242/fail": http.StatusNotFound,
		"/_mock/certificates/x/fail":      http.StatusBadRequest,
	} {
		if res := e.control(http.MethodPost, path, map[string]string{"reason": "x"}); res.status != status {
			t.Errorf("%s: HTTP %d, want %d", path, res.status, status)
		}
	}
	if res := e.control(http.MethodPost, failURL, map[string]string{"reason": "x", "code": "1"}); res.status != http.StatusBadRequest {
		t.Errorf("unknown field: HTTP %d", res.status)
	}

	// Reset clears the DNS too.
	wantCtlOK(t, e.control(http.MethodPost, "/_mock/reset", nil))
	if len(e.srv.DNSRecords()) != 0 || e.srv.Stats().Certificates != 0 {
		t.Error("reset left DNS records or certificates")
	}
	// Stats list every new operation.
	stats := e.srv.Stats()
	for _, op := range []string{OpCloudBasicCertificateRequest, OpGlobalEdgeCertificateRequest, OpListDcvStatuses,
		OpGetCertificateChain, OpDownloadCertificate, OpSetRenewalStatus, OpListCloudCertificates, OpDeleteCertificate} {
		if _, ok := stats.Requests[op]; !ok {
			t.Errorf("stats lack %s", op)
		}
	}
}

// TestFaultsOnRequests: a fault before the commit stores nothing; after it, the request
// exists (found by name) though its answer was lost.
func TestFaultsOnRequests(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.AddFault(Fault{Operation: OpCloudBasicCertificateRequest, Count: 1, Status: 503})
	wantGateway(t, e.signed(http.MethodPost, cloudBasicPath, requestBody(typeCloudBasic, "fault-cert", "f.example")), http.StatusServiceUnavailable, "500")
	if e.srv.Stats().Certificates != 0 {
		t.Fatal("a fault before the commit stored the request")
	}
	e.srv.AddFault(Fault{Operation: OpGlobalEdgeCertificateRequest, Count: 1, Status: 429, AfterCommit: true})
	wantGateway(t, e.signed(http.MethodPost, globalEdgePath, requestBody(typeGlobalEdge, "fault-edge", "g.example")), http.StatusTooManyRequests, "410")
	if no := e.noByName("fault-edge"); no != firstCertificateNo {
		t.Errorf("number %d", no)
	}
	if _, err := ParseFault("ListDcvStatuses:drop:1"); err != nil {
		t.Errorf("ParseFault of a new operation: %v", err)
	}
}

// TestConcurrentRequestsAndDNS: many requests, DNS publishes and reads at once, under
// -race; every request ends issued, with unique numbers.
func TestConcurrentRequestsAndDNS(t *testing.T) {
	e := newEnv(t, Options{StateFile: filepath.Join(t.TempDir(), "state.json")})
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for i := range n {
		wg.Add(3)
		typ := typeCloudBasic
		if i%2 == 1 {
			typ = typeGlobalEdge
		}
		name := fmt.Sprintf("conc-%02d", i)
		go func() { // request, then publish its records over the control API
			defer wg.Done()
			res, err := e.trySend(http.MethodPost, requestPath(typ), requestBody(typ, name, fmt.Sprintf("*.h%d.example", i), fmt.Sprintf("h%d.example", i), "shared.example"),
				DemoAccessKey, DemoSecretKey, e.now())
			if err == nil && res.str("returnCode") != "0" {
				err = fmt.Errorf("request %s: %s", name, res.raw)
			}
			if err != nil {
				errs <- err
				return
			}
			var no int64
			for _, c := range e.srv.store.query(filter{Name: name}) {
				no = c.No
			}
			recs, err := e.srv.DCVRecords(no)
			if err != nil {
				errs <- err
				return
			}
			for _, r := range recs {
				if r.Domain == "shared.example" && typ == typeGlobalEdge {
					continue // one TXT name for every Global Edge request: published below
				}
				res, err := e.trySend(http.MethodPost, "/_mock/dns", map[string]any{"name": r.Name, "type": r.Type, "values": []string{r.Value}}, "", "", e.now())
				if err == nil && res.status != http.StatusOK {
					err = fmt.Errorf("publish: %s", res.raw)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
		go func() { // unrelated DNS churn
			defer wg.Done()
			errs <- e.srv.PublishDNS(fmt.Sprintf("noise%d.example", i), "TXT", "v")
			errs <- e.srv.PublishDNS(fmt.Sprintf("noise%d.example", i), "TXT")
		}()
		go func() { // readers
			defer wg.Done()
			for _, uri := range []string{"/api/v2/certificate/getCertificates?page=1&pageSize=10", "/api/v1/certificates"} {
				res, err := e.trySend(http.MethodGet, uri, nil, DemoAccessKey, DemoSecretKey, e.now())
				if err == nil && res.str("returnCode") != "0" {
					err = fmt.Errorf("list: %s", res.raw)
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	// The shared TXT name holds every Global Edge request's token at once.
	var tokens []string
	for _, c := range e.srv.store.query(filter{Cloud: true}) {
		if c.Type == typeGlobalEdge {
			r, _ := c.Issue.recordFor("shared.example")
			tokens = append(tokens, r.Value)
		}
	}
	if err := e.srv.PublishDNS("_acme-challenge.shared.example", recordTXT, tokens...); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	res := e.signed(http.MethodGet, "/api/v2/certificate/getCertificates", nil)
	if res.num("totalCount") != n {
		t.Fatalf("totalCount %d", res.num("totalCount"))
	}
	for _, it := range res.list("sslCertificateList") {
		typ := fmt.Sprint(it["certificateType"])
		if it["statusName"] != issuedLabel(typ) {
			t.Errorf("%v: %v", it["certificateName"], it["statusName"])
		}
		serial := fmt.Sprint(it["serialNumber"])
		if serial == "" || seen[serial] {
			t.Errorf("%v: serial %q", it["certificateName"], serial)
		}
		seen[serial] = true
	}
	// Reloading the state written under all that concurrency gives the same certificates.
	b := newEnv(t, Options{StateFile: e.srv.opts.StateFile})
	if got := b.signed(http.MethodGet, "/api/v2/certificate/getCertificates", nil); string(got.raw) != string(e.signed(http.MethodGet, "/api/v2/certificate/getCertificates", nil).raw) {
		t.Errorf("reloaded state differs")
	}
	if st := e.srv.Stats(); st.Requests[OpCloudBasicCertificateRequest] != n/2 || st.Requests[OpGlobalEdgeCertificateRequest] != n/2 {
		t.Errorf("stats %+v", st.Requests)
	}
}
