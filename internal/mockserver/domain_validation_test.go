package mockserver

import (
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"
)

func domainBody(addr, dcvType, issueType string, orgNo any) map[string]any {
	b := map[string]any{"dmnAddr": addr, "dcvType": dcvType, "issueType": issueType}
	if orgNo != nil {
		b["orgNo"] = orgNo
	}
	return b
}

func (e *testEnv) domainList(query string) result {
	e.t.Helper()
	res := e.signed(http.MethodGet, "/api/v2/domain/domains"+query, nil)
	wantOK(e.t, res)
	return res
}

// TestDomainLifecycle: RegisterDomain answers the created item (PENDING, its TXT record),
// the list shows it, publishing the record makes it VALID, the control API makes it
// INVALID, DeleteDomain removes it and a second delete answers 2200.
func TestDomainLifecycle(t *testing.T) {
	e := newEnv(t, Options{})
	res := e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("Example.COM.", "TXT", "CONSOLE", "42"))
	wantOK(t, res)
	items := res.list("domainVldList")
	if res.num("totalRows") != 1 || len(items) != 1 {
		t.Fatalf("register answer: %s", res.raw)
	}
	it := items[0]
	id := numOf(t, it["dmnId"])
	wantFields(t, it, map[string]string{"domainAddress": "example.com", "dcvType": "TXT", "issueType": "CONSOLE",
		"validState": "PENDING", "txtName": "_dnsauth.example.com", "recordType": "TXT", "memberNo": memberNo})
	if numOf(t, it["orgNo"]) != 42 || it["txtValue"] == "" || it["regDate"] == "" {
		t.Fatalf("item: %v", it)
	}
	if _, has := it["validDate"]; has {
		t.Fatalf("a pending domain has a validDate: %v", it)
	}
	listed := e.domainList("?domainAddress=example.com&dcvType=TXT").list("domainVldList")
	if len(listed) != 1 || numOf(t, listed[0]["dmnId"]) != id || listed[0]["validState"] != "PENDING" {
		t.Fatalf("list: %v", listed)
	}

	// A wrong value validates nothing; the right one does, at once.
	if err := e.srv.PublishDNS("_dnsauth.example.com", "TXT", "wrong"); err != nil {
		t.Fatal(err)
	}
	if got := e.domainList("").list("domainVldList")[0]["validState"]; got != "PENDING" {
		t.Fatalf("wrong value: %v", got)
	}
	if err := e.srv.PublishDNS("_dnsauth.example.com", "TXT", fmt.Sprint(it["txtValue"])); err != nil {
		t.Fatal(err)
	}
	valid := e.domainList("?validState=VALID").list("domainVldList")
	if len(valid) != 1 || valid[0]["validState"] != "VALID" || valid[0]["validDate"] == nil {
		t.Fatalf("after publication: %v", valid)
	}
	if valid[0]["txtValue"] != it["txtValue"] || valid[0]["txtName"] != it["txtName"] {
		t.Fatalf("the record changed on validation: %v", valid[0])
	}

	wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/domains/%d/invalid", id), nil))
	if got := e.domainList("").list("domainVldList")[0]["validState"]; got != "INVALID" {
		t.Fatalf("after the control call: %v", got)
	}
	if res := e.control(http.MethodPost, "/_mock/domains/9999/invalid", nil); res.status != http.StatusNotFound {
		t.Fatalf("unknown domain: HTTP %d", res.status)
	}

	wantOK(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v2/domain/domains/%d", id), nil))
	if n := e.domainList("").num("totalRows"); n != 0 {
		t.Fatalf("after delete: %d", n)
	}
	wantCode(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v2/domain/domains/%d", id), nil), http.StatusOK, codeNotFound, msgNoDomainReg)
	if st := e.srv.Stats(); st.Requests[OpRegisterDomain] != 1 || st.Requests[OpDeleteDomain] != 2 || st.Domains != 0 {
		t.Fatalf("stats: %+v", st)
	}
}

// TestDomainRefusals: the body checks, and one registration per domain, dcvType and issueType.
func TestDomainRefusals(t *testing.T) {
	e := newEnv(t, Options{})
	for _, b := range []map[string]any{
		domainBody("", "TXT", "CONSOLE", nil),
		domainBody("*.example.com", "TXT", "CONSOLE", nil),
		domainBody("example", "TXT", "CONSOLE", nil),
		domainBody("example.com", "CNAME", "CONSOLE", nil),
		domainBody("example.com", "TXT", "API", nil),
		domainBody("example.com", "TXT", "ACME", -1),
	} {
		wantCode(t, e.signed(http.MethodPost, "/api/v2/domain/domains", b), http.StatusBadRequest, codeValidation, "")
	}
	wantOK(t, e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("example.com", "PTXT", "ACME", nil)))
	wantCode(t, e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("EXAMPLE.com", "PTXT", "ACME", nil)),
		http.StatusBadRequest, codeValidation, msgDomainTaken)
	wantOK(t, e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("example.com", "PTXT", "CONSOLE", nil)))
	wantOK(t, e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("example.com", "TXT", "CONSOLE", nil)))
	wantCode(t, e.signed(http.MethodDelete, "/api/v2/domain/domains/x", nil), http.StatusBadRequest, codeValidation, "")
}

// TestDomainPersistentValue: a PTXT value is stable (the same domain registered again asks
// for the same record, so a published one validates it at once); TXT values are new each time.
func TestDomainPersistentValue(t *testing.T) {
	e := newEnv(t, Options{})
	register := func(dcvType string) map[string]any {
		res := e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("example.com", dcvType, "CONSOLE", nil))
		wantOK(t, res)
		return res.list("domainVldList")[0]
	}
	first := register("PTXT")
	if err := e.srv.PublishDomainRecord(numOf(t, first["dmnId"])); err != nil {
		t.Fatal(err)
	}
	wantOK(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v2/domain/domains/%v", first["dmnId"]), nil))
	again := register("PTXT")
	if again["txtValue"] != first["txtValue"] || again["validState"] != "VALID" {
		t.Fatalf("PTXT registered again: %v, first %v", again, first)
	}
	once := register("TXT")
	if once["txtValue"] == first["txtValue"] || once["validState"] != "PENDING" {
		t.Fatalf("TXT: %v", once)
	}
}

// TestDomainPaging: default page size 10, pageSize capped at 100, filters, 1-based pages.
func TestDomainPaging(t *testing.T) {
	e := newEnv(t, Options{})
	for i := range 25 {
		org := any(nil)
		if i%5 == 0 {
			org = i + 1
		}
		wantOK(t, e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody(fmt.Sprintf("d%02d.example.com", i), "TXT", "ACME", org)))
	}
	if res := e.domainList(""); res.num("totalRows") != 25 || len(res.list("domainVldList")) != 10 {
		t.Fatalf("default page: %d items of %d", len(res.list("domainVldList")), res.num("totalRows"))
	}
	third := e.domainList("?page=3").list("domainVldList")
	if len(third) != 5 || third[0]["domainAddress"] != "d20.example.com" {
		t.Fatalf("page 3: %v", third)
	}
	if n := len(e.domainList("?pageSize=1000").list("domainVldList")); n != 25 {
		t.Fatalf("pageSize 1000: %d", n)
	}
	if res := e.domainList("?orgNo=6"); res.num("totalRows") != 1 || res.list("domainVldList")[0]["domainAddress"] != "d05.example.com" {
		t.Fatalf("orgNo filter: %s", res.raw)
	}
	if n := e.domainList("?dcvType=PTXT").num("totalRows"); n != 0 {
		t.Fatalf("dcvType filter: %d", n)
	}
	wantCode(t, e.signed(http.MethodGet, "/api/v2/domain/domains?page=x", nil), http.StatusBadRequest, codeValidation, "")
}

// TestDomainDCVDelay: with -dcv-delay a domain turns VALID by itself after the delay.
func TestDomainDCVDelay(t *testing.T) {
	e := newEnv(t, Options{DCVDelay: time.Minute})
	wantOK(t, e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("example.com", "TXT", "CONSOLE", nil)))
	if got := e.srv.Domains()[0].ValidState; got != validStatePending {
		t.Fatalf("before the delay: %s", got)
	}
	e.advance(2 * time.Minute)
	if got := e.srv.Domains()[0].ValidState; got != validStateValid {
		t.Fatalf("after the delay: %s", got)
	}
	wantCtlOK(t, e.control(http.MethodPost, "/_mock/reset", nil))
	if got := e.srv.Domains(); len(got) != 0 {
		t.Fatalf("after reset: %v", got)
	}
}

// TestDomainConcurrent exercises the store under the race detector.
func TestDomainConcurrent(t *testing.T) {
	e := newEnv(t, Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := fmt.Sprintf("c%d.example.com", i)
			res := e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody(addr, "TXT", "CONSOLE", nil))
			if res.status != http.StatusOK {
				t.Errorf("register %s: %s", addr, res.raw)
				return
			}
			id := res.list("domainVldList")[0]["dmnId"]
			_ = e.srv.PublishDNS("_dnsauth."+addr, "TXT", "x")
			e.signed(http.MethodGet, "/api/v2/domain/domains", nil)
			e.signed(http.MethodDelete, fmt.Sprintf("/api/v2/domain/domains/%v", id), nil)
		}()
	}
	wg.Wait()
	if n := len(e.srv.Domains()); n != 0 {
		t.Fatalf("%d domains left", n)
	}
}

// TestDomainPreValidatesPersistentOrders: an Advanced PD request whose domains are, or are
// below, a VALID PTXT console domain is issued without records of its own; a D request, an
// ACME registration or a PENDING one change nothing.
func TestDomainPreValidatesPersistentOrders(t *testing.T) {
	e := newEnv(t, Options{})
	request := func(name, method string) int64 {
		csr, _ := testCSR(t, "pre.example.com", "www.pre.example.com")
		b := advancedBody(csr, name, "pre.example.com", "www.pre.example.com")
		b["validationMethod"] = method
		res := e.signed(http.MethodPost, advancedPath, b)
		wantOK(t, res)
		return numOf(t, res.body["paidCertificate"].(map[string]any)["certificateNo"])
	}
	register := func(issueType string) int64 {
		res := e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("pre.example.com", "PTXT", issueType, nil))
		wantOK(t, res)
		return numOf(t, res.list("domainVldList")[0]["dmnId"])
	}
	acme := register("ACME")
	if err := e.srv.PublishDomainRecord(acme); err != nil {
		t.Fatal(err)
	}
	pd := request("pre-pd", "PD")
	if st := e.statusOf(pd); st != "ONGOING" {
		t.Fatalf("an ACME domain validated a console order: %s", st)
	}
	register("CONSOLE") // the same record: VALID at once
	if got := e.srv.Domains()[1].ValidState; got != validStateValid {
		t.Fatalf("console registration: %s", got)
	}
	if st := e.statusOf(pd); st != "NORMAL_UNREGISTERED_PRIVATE_KEY" {
		t.Fatalf("PD order with a VALID PTXT domain: %s", st)
	}
	if st := e.statusOf(request("pre-d", "D")); st != "ONGOING" {
		t.Fatalf("D order: %s", st)
	}
}

// TestDomainPersist: registrations survive a restart with a state file, with their record,
// state and numbering.
func TestDomainPersist(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	e := newEnv(t, Options{StateFile: file})
	for _, addr := range []string{"a.example.com", "b.example.com"} {
		wantOK(t, e.signed(http.MethodPost, "/api/v2/domain/domains", domainBody(addr, "PTXT", "ACME", 9)))
	}
	if err := e.srv.PublishDomainRecord(firstDomainID); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.InvalidateDomain(firstDomainID + 1); err != nil {
		t.Fatal(err)
	}
	before := e.srv.Domains()
	again := newEnv(t, Options{StateFile: file})
	if after := again.srv.Domains(); !reflect.DeepEqual(after, before) {
		t.Fatalf("after restart %+v, want %+v", after, before)
	}
	res := again.signed(http.MethodPost, "/api/v2/domain/domains", domainBody("c.example.com", "TXT", "CONSOLE", nil))
	wantOK(t, res)
	if id := numOf(t, res.list("domainVldList")[0]["dmnId"]); id != firstDomainID+2 {
		t.Fatalf("next id %d", id)
	}
}
