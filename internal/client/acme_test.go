package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// eabFake is a small ACME EAB service: numbers as strings, dates in KST, scripted faults.
type eabFake struct {
	mu       sync.Mutex
	next     int64
	accounts []map[string]any
	calls    map[string]int
	faults   map[string][]fault
	bodies   []map[string]any
	// noAccounts answers the list without its accounts field.
	noAccounts bool
	// refuseDeactivate answers every deactivation with HTTP 400 / 2000.
	refuseDeactivate bool
}

func newEabFake() *eabFake {
	return &eabFake{next: 59001, calls: map[string]int{}, faults: map[string][]fault{}}
}

func (f *eabFake) add(alias, typ, mode, status, createdAt string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.next
	f.next++
	f.accounts = append(f.accounts, map[string]any{
		"accountId": strconv.FormatInt(id, 10), "status": status, "alias": alias, "certificateTypeName": typ,
		"validationMode": mode, "validityDays": "198", "createdAt": createdAt, "eabKid": "kid-" + alias,
		"eabHmacKey": "****", "eabUsed": "false", "eabActive": status != "deactivated",
	})
	return id
}

func (f *eabFake) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *eabFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var op string
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/v2/acme/accounts":
		op = opListEabCredentials
	case r.Method == http.MethodPost && r.URL.Path == "/api/v2/acme/account":
		op = opCreateEabCredential
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/deactivate"):
		op = opDeactivateEabCredential
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"errorCode": "300", "message": "Not Found Exception"}})
		return
	}
	f.mu.Lock()
	f.calls[op]++
	var flt *fault
	if q := f.faults[op]; len(q) > 0 {
		flt, f.faults[op] = &q[0], q[1:]
	}
	f.mu.Unlock()
	if flt != nil && !flt.afterApply {
		f.fail(w, *flt)
		return
	}
	status, body := f.apply(op, r)
	if flt != nil {
		f.fail(w, *flt)
		return
	}
	writeJSON(w, status, body)
}

func (f *eabFake) fail(w http.ResponseWriter, flt fault) {
	if flt.drop {
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		_ = conn.Close()
		return
	}
	writeJSON(w, flt.status, map[string]any{"error": map[string]any{"errorCode": "500", "message": "Endpoint Error"}})
}

func (f *eabFake) apply(op string, r *http.Request) (int, map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch op {
	case opListEabCredentials:
		if f.noAccounts {
			return http.StatusOK, success(map[string]any{"totalRows": 0})
		}
		return http.StatusOK, success(map[string]any{"totalRows": 0, "totalCount": strconv.Itoa(len(f.accounts)), "accounts": f.accounts})
	case opCreateEabCredential:
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		f.bodies = append(f.bodies, b)
		id := f.next
		f.next++
		now := time.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateTime)
		f.accounts = append(f.accounts, map[string]any{
			"accountId": id, "status": "pending", "alias": b["alias"], "certificateTypeCode": b["certificateTypeCode"],
			"validationMode": b["validationMode"], "validityDays": b["validityDays"], "createdAt": now,
			"eabKid": "kid-new", "eabHmacKey": "****", "eabUsed": false, "eabActive": true,
		})
		return http.StatusOK, success(map[string]any{"accountId": strconv.FormatInt(id, 10), "status": "pending", "eabKid": "kid-new", "eabHmacKey": "secret-hmac"})
	default:
		id := strings.Split(r.URL.Path, "/")[5]
		for _, a := range f.accounts {
			if a["accountId"] == id || a["accountId"] == json.Number(id) || strconv.FormatInt(toInt(a["accountId"]), 10) == id {
				if f.refuseDeactivate || a["status"] == "deactivated" {
					return http.StatusBadRequest, map[string]any{"returnCode": "2000", "returnMessage": "already deactivated"}
				}
				a["status"] = "deactivated"
				return http.StatusOK, success(nil)
			}
		}
		return http.StatusOK, map[string]any{"returnCode": "2200", "returnMessage": "No ACME account was found."}
	}
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func eabInput(alias string) EabCredentialInput {
	return EabCredentialInput{ValidationMode: EabModeDNS01, CertificateType: EabTypeDV, ValidityDays: 198, Alias: alias}
}

func TestCreateEabCredential(t *testing.T) {
	f := newEabFake()
	c, _ := newTestClient(t, f)
	f.add("cm", "Advanced DV", "DNS01", "deactivated", "2020-01-01 00:00:00") // a deactivated holder does not block
	in := eabInput("cm")
	in.CertificateType, in.OrganizationNo = EabTypeOV, "1234"
	got, err := c.CreateEabCredential(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Adopted || got.Credential.AccountID != 59002 || got.Credential.HMACKey != "secret-hmac" || got.Credential.Kid != "kid-new" {
		t.Fatalf("created %+v", got)
	}
	if b := f.bodies[0]; b["organizationNo"] != "1234" || b["certificateTypeCode"] != "NPO_01" || b["validityDays"] != float64(198) {
		t.Errorf("body %v (organizationNo must be a string)", b)
	}
	all, err := c.ListEabCredentials(context.Background())
	if err != nil || len(all) != 2 {
		t.Fatalf("list: %v %v", all, err)
	}
	if all[0].AccountID != 59001 || !all[0].Deactivated() || all[0].CertificateType != EabTypeDV || all[0].ValidityDays != 198 ||
		all[0].CreatedAt.Format(time.RFC3339) != "2019-12-31T15:00:00Z" || all[0].HMACKey != "" {
		t.Errorf("decoded %+v", all[0])
	}
}

func TestCreateEabCredential_aliasInUse(t *testing.T) {
	f := newEabFake()
	c, _ := newTestClient(t, f)
	id := f.add("cm", "Advanced DV", "PRE", "valid", "2020-01-01 00:00:00")
	_, err := c.CreateEabCredential(context.Background(), eabInput("cm"))
	var taken *EabAliasInUseError
	if !errors.As(err, &taken) || taken.AfterLostAnswer || len(taken.Existing) != 1 || taken.Existing[0].AccountID != id {
		t.Fatalf("err = %v", err)
	}
	if n := f.count(opCreateEabCredential); n != 0 {
		t.Fatalf("%d creates sent", n)
	}
}

// A lost answer is settled by the list: adopted when it landed, sent again when it did not.
func TestCreateEabCredential_lostAnswer(t *testing.T) {
	for name, tc := range map[string]struct {
		faults  []fault
		creates int
		adopted bool
	}{
		"503 after commit":     {[]fault{{status: 503, afterApply: true}}, 1, true},
		"dropped after commit": {[]fault{{drop: true, afterApply: true}}, 1, true},
		"dropped before":       {[]fault{{drop: true}}, 2, false},
		"503 before":           {[]fault{{status: 503}}, 2, false},
	} {
		t.Run(name, func(t *testing.T) {
			f := newEabFake()
			c, _ := newTestClient(t, f)
			f.faults[opCreateEabCredential] = tc.faults
			got, err := c.CreateEabCredential(context.Background(), eabInput("lost"))
			if err != nil {
				t.Fatal(err)
			}
			if n := f.count(opCreateEabCredential); n != tc.creates {
				t.Errorf("%d creates, want %d", n, tc.creates)
			}
			if len(f.accounts) != 1 || got.Adopted != tc.adopted || (got.Adopted && got.Credential.HMACKey != "") || got.Credential.AccountID != 59001 {
				t.Errorf("got %+v, %d accounts", got, len(f.accounts))
			}
		})
	}
}

// After a lost answer, a credential with the alias is adopted only with proof.
func TestCreateEabCredential_lostAnswerWithoutProof(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(f *eabFake)
	}{
		"another type appeared": {func(f *eabFake) {
			f.accounts[0]["certificateTypeCode"] = "NPO_01"
		}},
		"created before the create began": {func(f *eabFake) { f.accounts[0]["createdAt"] = "2020-01-01 00:00:00" }},
		"two appeared": {func(f *eabFake) {
			f.accounts = append(f.accounts, map[string]any{"accountId": 70000, "alias": "lost", "status": "pending"})
		}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newEabFake()
			f.faults[opCreateEabCredential] = []fault{{status: 503, afterApply: true}}
			// The list that follows the lost answer sees the change.
			c, _ := newTestClient(t, &mutatingList{fake: f, mutate: tc.mutate})
			_, err := c.CreateEabCredential(context.Background(), eabInput("lost"))
			var taken *EabAliasInUseError
			if !errors.As(err, &taken) || !taken.AfterLostAnswer || !IsUncertain(err) {
				t.Fatalf("err = %v", err)
			}
			if n := f.count(opCreateEabCredential); n != 1 {
				t.Errorf("%d creates, want 1", n)
			}
		})
	}
}

// mutatingList applies mutate once a create has been received, before the next list.
type mutatingList struct {
	fake    *eabFake
	mutate  func(f *eabFake)
	applied bool
}

func (m *mutatingList) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && m.fake.count(opCreateEabCredential) > 0 && !m.applied {
		m.applied = true
		m.fake.mu.Lock()
		m.mutate(m.fake)
		m.fake.mu.Unlock()
	}
	m.fake.ServeHTTP(w, r)
}

// Only a well-formed list proves a credential gone.
func TestReadEabCredential_evidence(t *testing.T) {
	f := newEabFake()
	c, _ := newTestClient(t, f)
	id := f.add("a", "NPD_01", "PRE", "valid", "")
	if got, err := c.ReadEabCredential(context.Background(), id); err != nil || got == nil || got.Alias != "a" {
		t.Fatalf("read: %+v %v", got, err)
	}
	if got, err := c.ReadEabCredential(context.Background(), id+1); err != nil || got != nil {
		t.Fatalf("absent: %+v %v", got, err)
	}
	f.noAccounts = true
	if got, err := c.ReadEabCredential(context.Background(), id+1); err == nil || got != nil || IsNotFound(err) {
		t.Fatalf("a list without accounts: %+v %v", got, err)
	}
	html, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html>not found</html>"))
	}))
	if got, err := html.ReadEabCredential(context.Background(), id); err == nil || got != nil {
		t.Fatalf("an HTML 404: %+v %v", got, err)
	}
}

func TestDeactivateEabCredential(t *testing.T) {
	f := newEabFake()
	c, _ := newTestClient(t, f)
	ctx := context.Background()
	id := f.add("a", "NPD_01", "PRE", "valid", "")
	if out, err := c.DeactivateEabCredential(ctx, id); err != nil || out != EabDeactivatedNow {
		t.Fatalf("first: %v %v", out, err)
	}
	if out, err := c.DeactivateEabCredential(ctx, id); err != nil || out != EabAlreadyDeactivated {
		t.Fatalf("again: %v %v", out, err)
	}
	if out, err := c.DeactivateEabCredential(ctx, 1); err != nil || out != EabMissing {
		t.Fatalf("missing: %v %v", out, err)
	}
	// A refusal of a credential still active is an error.
	other := f.add("b", "NPD_01", "PRE", "valid", "")
	f.refuseDeactivate = true
	if _, err := c.DeactivateEabCredential(ctx, other); err == nil {
		t.Fatal("a refused deactivation of an active credential succeeded")
	}
	// A lost answer is retried (deactivation is idempotent) and settled.
	f.refuseDeactivate = false
	third := f.add("c", "NPD_01", "PRE", "valid", "")
	f.faults[opDeactivateEabCredential] = []fault{{status: 503, afterApply: true}}
	if out, err := c.DeactivateEabCredential(ctx, third); err != nil || out != EabAlreadyDeactivated {
		t.Fatalf("after a lost answer: %v %v", out, err)
	}
}

func TestListEabCredentials_concurrent(t *testing.T) {
	f := newEabFake()
	c, _ := newTestClient(t, f)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			if i%2 == 0 {
				_, _ = c.CreateEabCredential(context.Background(), eabInput("p"+strconv.Itoa(i)))
			} else {
				_, _ = c.ListEabCredentials(context.Background())
			}
		})
	}
	wg.Wait()
	if n := f.count(opCreateEabCredential); n != 3 {
		t.Fatalf("%d creates", n)
	}
}

// A success answer without accountId: the credential is found by alias, with the key the
// answer did carry. Items reported inactive without a status label are deactivated.
func TestCreateEabCredential_answerWithoutID(t *testing.T) {
	f := newEabFake()
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			f.mu.Lock()
			f.calls[opCreateEabCredential]++
			f.accounts = append(f.accounts, map[string]any{"accountId": "59001", "alias": "noid", "status": "pending", "eabKid": "kid-x"},
				map[string]any{"accountId": 58000, "alias": "old", "eabActive": "false"})
			f.mu.Unlock()
			writeJSON(w, http.StatusOK, success(map[string]any{"eabHmacKey": "the-key"}))
			return
		}
		f.ServeHTTP(w, r)
	}))
	got, err := c.CreateEabCredential(context.Background(), eabInput("noid"))
	if err != nil || got.Adopted || got.Credential.AccountID != 59001 || got.Credential.HMACKey != "the-key" || got.Credential.Kid != "kid-x" {
		t.Fatalf("got %+v, %v", got, err)
	}
	all, _ := c.ListEabCredentials(context.Background())
	if len(all) != 2 || !all[1].Deactivated() {
		t.Fatalf("list %+v", all)
	}
}
