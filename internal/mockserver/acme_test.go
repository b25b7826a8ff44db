package mockserver

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func eabBody(alias, typ string) map[string]any {
	b := map[string]any{"validationMode": "DNS01", "certificateTypeCode": typ, "validityDays": 198, "alias": alias}
	if typ == "NPO_01" {
		b["organizationNo"] = "1234"
	}
	return b
}

func TestEabCreateListDeactivate(t *testing.T) {
	e := newEnv(t, Options{})
	res := e.signed(http.MethodPost, "/api/v2/acme/account", eabBody("cert-manager", "NPO_01"))
	wantOK(t, res)
	id := res.num("accountId")
	key := res.str("eabHmacKey")
	if id != firstAccountID || res.str("status") != "pending" || res.str("eabKid") == "" || len(key) != 43 || res.body["success"] != true {
		t.Fatalf("create answer: %s", res.raw)
	}

	list := e.signed(http.MethodGet, "/api/v2/acme/accounts?page=2&pageSize=1", nil) // paging ignored
	wantOK(t, list)
	if list.num("totalRows") != 0 || list.num("totalCount") != 1 {
		t.Fatalf("list counts: %s", list.raw)
	}
	items := list.list("accounts")
	if len(items) != 1 {
		t.Fatalf("accounts: %s", list.raw)
	}
	it := items[0]
	if n, _ := it["accountId"].(json.Number).Int64(); n != id {
		t.Errorf("accountId %v", it["accountId"])
	}
	for k, want := range map[string]any{
		"status": "pending", "alias": "cert-manager", "certificateTypeName": "Advanced OV", "certificateTypeCode": "NPO_01",
		"validationMode": "DNS01", "organizationNo": "1234", "eabKid": res.str("eabKid"), "eabHmacKey": maskedHMACKey,
		"eabUsed": false, "eabActive": true, "validityDays": json.Number("198"),
	} {
		if it[k] != want {
			t.Errorf("%s = %v, want %v", k, it[k], want)
		}
	}
	if strings.Contains(string(list.raw), key) {
		t.Error("the list shows the HMAC key")
	}

	if err := e.srv.UseEabCredential(id); err != nil {
		t.Fatal(err)
	}
	if info, _ := e.srv.EabCredential(id); info.Status != "valid" || !info.Used || info.HMACKey != key {
		t.Errorf("after use: %+v", info)
	}

	uri := "/api/v2/acme/account/" + strconv.FormatInt(id, 10) + "/deactivate"
	wantOK(t, e.signed(http.MethodPost, uri, nil))
	// Deactivated credentials still list, with status deactivated.
	it = e.signed(http.MethodGet, "/api/v2/acme/accounts", nil).list("accounts")[0]
	if it["status"] != "deactivated" || it["eabActive"] != false {
		t.Errorf("after deactivation: %v", it)
	}
	wantCode(t, e.signed(http.MethodPost, uri, nil), http.StatusBadRequest, "2000", msgAlreadyDeactivated)
	wantCode(t, e.signed(http.MethodPost, "/api/v2/acme/account/999/deactivate", nil), http.StatusOK, "2200", msgNoAccount)
	wantCode(t, e.signed(http.MethodPost, "/api/v2/acme/account/x/deactivate", nil), http.StatusOK, "2200", msgNoAccount)

	if err := e.srv.RemoveEabCredential(id); err != nil {
		t.Fatal(err)
	}
	if l := e.signed(http.MethodGet, "/api/v2/acme/accounts", nil); l.num("totalCount") != 0 || len(l.list("accounts")) != 0 || l.body["accounts"] == nil {
		t.Errorf("after removal: %s", l.raw)
	}
	for _, op := range []string{OpCreateEabCredential, OpListEabCredentials, OpDeactivateEabCredential} {
		if e.srv.Stats().Requests[op] == 0 {
			t.Errorf("%s not counted in stats", op)
		}
	}
}

func TestEabCreateRefusals(t *testing.T) {
	e := newEnv(t, Options{})
	for name, mutate := range map[string]func(b map[string]any){
		"no mode":         func(b map[string]any) { delete(b, "validationMode") },
		"bad mode":        func(b map[string]any) { b["validationMode"] = "HTTP01" },
		"no type":         func(b map[string]any) { delete(b, "certificateTypeCode") },
		"bad type":        func(b map[string]any) { b["certificateTypeCode"] = "NCP_PAID_DV_01" },
		"no validity":     func(b map[string]any) { delete(b, "validityDays") },
		"validity 0":      func(b map[string]any) { b["validityDays"] = 0 },
		"validity 201":    func(b map[string]any) { b["validityDays"] = 201 },
		"validity text":   func(b map[string]any) { b["validityDays"] = "ninety" },
		"no alias":        func(b map[string]any) { delete(b, "alias") },
		"alias charset":   func(b map[string]any) { b["alias"] = "has space" },
		"alias leading -": func(b map[string]any) { b["alias"] = "-x" },
		"OV without org":  func(b map[string]any) { b["certificateTypeCode"] = "NPO_01" },
	} {
		b := eabBody("ok", "NPD_01")
		mutate(b)
		res := e.signed(http.MethodPost, "/api/v2/acme/account", b)
		if res.status != http.StatusBadRequest || res.str("returnCode") != "2000" {
			t.Errorf("%s: HTTP %d %s", name, res.status, res.raw)
		}
	}
	// Accepted: validityDays as a string, the bounds, a numeric organizationNo, a repeated alias.
	b := eabBody("same", "NPO_01")
	b["validityDays"], b["organizationNo"] = "200", 77
	wantOK(t, e.signed(http.MethodPost, "/api/v2/acme/account", b))
	b = eabBody("same", "NPD_01")
	b["validityDays"] = 1
	wantOK(t, e.signed(http.MethodPost, "/api/v2/acme/account", b))
	if ids := e.srv.EabCredentialIDs(); len(ids) != 2 {
		t.Errorf("ids %v", ids)
	}
	if info, _ := e.srv.EabCredential(firstAccountID); info.OrganizationNo != "77" || info.ValidityDays != 200 {
		t.Errorf("stored %+v", info)
	}
	if info, _ := e.srv.EabCredential(firstAccountID + 1); info.OrganizationNo != "" {
		t.Errorf("DV kept organizationNo: %+v", info)
	}
}

// A fault after commit stores the credential and loses the answer; Reset clears them.
func TestEabFaultAfterCommitAndReset(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.AddFault(Fault{Operation: OpCreateEabCredential, Count: 1, Status: http.StatusServiceUnavailable, AfterCommit: true})
	wantGateway(t, e.signed(http.MethodPost, "/api/v2/acme/account", eabBody("lost", "NPD_01")), http.StatusServiceUnavailable, "500")
	if ids := e.srv.EabCredentialIDs(); len(ids) != 1 {
		t.Fatalf("ids after a committed fault: %v", ids)
	}
	e.srv.Reset()
	if ids := e.srv.EabCredentialIDs(); len(ids) != 0 {
		t.Fatalf("ids after reset: %v", ids)
	}
	wantOK(t, e.signed(http.MethodPost, "/api/v2/acme/account", eabBody("again", "NPD_01")))
	if ids := e.srv.EabCredentialIDs(); len(ids) != 1 || ids[0] != firstAccountID {
		t.Fatalf("numbering after reset: %v", ids)
	}
}

func TestEabConcurrent(t *testing.T) {
	e := newEnv(t, Options{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			res := e.signed(http.MethodPost, "/api/v2/acme/account", eabBody("c", "NPD_01"))
			if res.status == http.StatusOK {
				_ = e.srv.UseEabCredential(res.num("accountId"))
				e.signed(http.MethodGet, "/api/v2/acme/accounts", nil)
				e.signed(http.MethodPost, "/api/v2/acme/account/"+strconv.FormatInt(res.num("accountId"), 10)+"/deactivate", nil)
			}
		})
	}
	wg.Wait()
	if ids := e.srv.EabCredentialIDs(); len(ids) != 8 {
		t.Fatalf("%d credentials", len(ids))
	}
}
