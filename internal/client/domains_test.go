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

// fakeDomains is a small in-test domain service: RegisterDomain, ListDomainValidations and
// DeleteDomain, with switches for the undocumented parts the client must tolerate.
type fakeDomains struct {
	t       *testing.T
	mu      sync.Mutex
	next    int64
	items   []map[string]any
	calls   map[string]int
	queries []string
	// dropRegister drops the connection of the next n registrations after storing them.
	dropRegister int
	// fail503 answers every registration HTTP 503 before looking at it (an uncertain outcome).
	fail503 bool
	// bareRegister answers a registration with the envelope only (no dmnId).
	bareRegister bool
	// lean lists items with the documented fields only, dmnId as a string.
	lean bool
}

func newFakeDomains(t *testing.T) *fakeDomains {
	return &fakeDomains{t: t, next: 573, calls: map[string]int{}}
}

func (f *fakeDomains) add(addr, dcvType, regDate string) map[string]any {
	it := map[string]any{"dmnId": f.next, "memberNo": "2600001", "domainAddress": addr, "dcvType": dcvType,
		"issueType": "CONSOLE", "validState": "PENDING", "txtName": "_dnsauth." + addr, "txtValue": "v-" + addr, "regDate": regDate}
	f.next++
	f.items = append(f.items, it)
	return it
}

func (f *fakeDomains) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeDomains) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && r.URL.Path == domainsPath:
		f.calls[opRegisterDomain]++
		if f.fail503 {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": map[string]any{"errorCode": "500", "message": "Endpoint Error"}})
			return
		}
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		addr, typ := b["dmnAddr"].(string), b["dcvType"].(string)
		for _, it := range f.items {
			if it["domainAddress"] == addr && it["dcvType"] == typ {
				writeJSON(w, http.StatusBadRequest, map[string]any{"returnCode": "2000", "returnMessage": "already registered"})
				return
			}
		}
		it := f.add(addr, typ, time.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateTime))
		if f.dropRegister > 0 {
			f.dropRegister--
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
			return
		}
		if f.bareRegister {
			writeJSON(w, http.StatusOK, success(map[string]any{"totalRows": 1}))
			return
		}
		writeJSON(w, http.StatusOK, success(map[string]any{"totalRows": 1, "domainVldList": []any{it}}))
	case r.Method == http.MethodGet && r.URL.Path == domainsPath:
		f.calls[opListDomainValidations]++
		f.queries = append(f.queries, r.URL.RawQuery)
		q := r.URL.Query()
		out := []any{}
		for _, it := range f.items {
			if a := q.Get("domainAddress"); a != "" && it["domainAddress"] != a {
				continue
			}
			if d := q.Get("dcvType"); d != "" && it["dcvType"] != d {
				continue
			}
			if f.lean {
				out = append(out, map[string]any{"dmnId": strconv.FormatInt(it["dmnId"].(int64), 10), "memberNo": "2600001",
					"domainAddress": it["domainAddress"], "dcvType": it["dcvType"]})
				continue
			}
			out = append(out, it)
		}
		total := len(out)
		if q.Get("page") != "1" {
			out = []any{}
		}
		writeJSON(w, http.StatusOK, success(map[string]any{"totalRows": total, "domainVldList": out}))
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, domainsPath+"/"):
		f.calls[opDeleteDomain]++
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, domainsPath+"/"), 10, 64)
		for i, it := range f.items {
			if it["dmnId"] == id {
				f.items = append(f.items[:i], f.items[i+1:]...)
				writeJSON(w, http.StatusOK, success(map[string]any{"totalRows": 1}))
				return
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"returnCode": "2200", "returnMessage": "The domain does not exist."})
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"errorCode": "300", "message": "Not Found Exception"}})
	}
}

var testDomain = DomainInput{Domain: "example.com", DcvType: DcvTypePersistentTXT, IssueType: IssueTypeConsole, OrgNo: 7}

// TestRegisterDomain: the answer's item is returned; the body carries the wire fields.
func TestRegisterDomain(t *testing.T) {
	f := newFakeDomains(t)
	c, _ := newTestClient(t, f)
	d, err := c.RegisterDomain(context.Background(), testDomain)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != 573 || d.Domain != "example.com" || d.DcvType != "PTXT" || d.ValidState != DomainPending ||
		d.RecordName != "_dnsauth.example.com" || d.RecordType != "TXT" || len(d.RecordValues) != 1 || d.RegisteredAt.IsZero() {
		t.Fatalf("got %+v", d)
	}
	if f.count(opRegisterDomain) != 1 || f.count(opListDomainValidations) != 0 {
		t.Fatalf("calls: %v", f.calls)
	}
}

// TestRegisterDomainLostAnswer: a registration whose answer was lost after it landed is
// found by a look-up, dated after the call began, and adopted: exactly one registration.
func TestRegisterDomainLostAnswer(t *testing.T) {
	f := newFakeDomains(t)
	f.dropRegister = 1
	c, _ := newTestClient(t, f)
	d, err := c.RegisterDomain(context.Background(), testDomain)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != 573 || f.count(opRegisterDomain) != 1 || len(f.items) != 1 {
		t.Fatalf("got %+v; calls %v, %d items", d, f.calls, len(f.items))
	}
}

// TestRegisterDomainTaken: an older registration under the domain and dcvType is never
// adopted, whether the POST was refused or its outcome unknown (HTTP 503).
func TestRegisterDomainTaken(t *testing.T) {
	for _, drop := range []bool{false, true} { // drop: the outcome is unknown
		f := newFakeDomains(t)
		f.add("example.com", "PTXT", "2020-01-01 00:00:00")
		f.fail503 = drop
		c, _ := newTestClient(t, f, func(cfg *Config) { cfg.MaxRetries = 0 })
		_, err := c.RegisterDomain(context.Background(), testDomain)
		var taken *DomainTakenError
		if !errors.As(err, &taken) || taken.Existing.ID != 573 {
			t.Fatalf("drop=%v: want *DomainTakenError for 573, got %v", drop, err)
		}
		if f.count(opRegisterDomain) != 1 {
			t.Fatalf("drop=%v: %d registrations", drop, f.count(opRegisterDomain))
		}
	}
}

// TestRegisterDomainNoID: a success answer without dmnId is completed by a look-up, with
// the proof that the listed registration is new.
func TestRegisterDomainNoID(t *testing.T) {
	f := newFakeDomains(t)
	f.bareRegister = true
	c, _ := newTestClient(t, f)
	d, err := c.RegisterDomain(context.Background(), testDomain)
	if err != nil || d.ID != 573 {
		t.Fatalf("got %+v, %v", d, err)
	}
	if len(f.queries) != 1 || !strings.Contains(f.queries[0], "pageSize=100") || !strings.Contains(f.queries[0], "domainAddress=example.com") {
		t.Fatalf("look-up queries: %v", f.queries)
	}
}

// TestReadDomainLean: numeric-string ids and items without record fields decode, with no
// record; an id absent from a complete listing is not found.
func TestReadDomainLean(t *testing.T) {
	f := newFakeDomains(t)
	f.lean = true
	f.add("example.com", "TXT", "")
	c, _ := newTestClient(t, f)
	d, err := c.ReadDomainValidation(context.Background(), 573, DomainFilter{Domain: "example.com", DcvType: "TXT"})
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != 573 || d.HasRecord() || d.ValidState != "" || d.RecordType != "" {
		t.Fatalf("got %+v", d)
	}
	if _, err := c.ReadDomainValidation(context.Background(), 999, DomainFilter{}); !IsNotFound(err) {
		t.Fatalf("absent id: %v", err)
	}
}

// TestDeleteDomain: deleted; gone already (2200) is success; a gateway 404 is not evidence.
func TestDeleteDomain(t *testing.T) {
	f := newFakeDomains(t)
	f.add("example.com", "TXT", "")
	c, _ := newTestClient(t, f)
	for range 2 {
		if err := c.DeleteDomain(context.Background(), 573, DomainFilter{}); err != nil {
			t.Fatal(err)
		}
	}
	if f.count(opDeleteDomain) != 2 {
		t.Fatalf("calls: %v", f.calls)
	}
	gw, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"errorCode": "300", "message": "Not Found Exception"}})
	}))
	if err := gw.DeleteDomain(context.Background(), 573, DomainFilter{}); err == nil || IsNotFound(err) {
		t.Fatalf("gateway 404: %v", err)
	}
}

// TestWaitForDomainValid: polls until VALID; INVALID fails at once.
func TestWaitForDomainValid(t *testing.T) {
	f := newFakeDomains(t)
	it := f.add("example.com", "TXT", "")
	c, _ := newTestClient(t, f)
	go func() {
		for f.count(opListDomainValidations) < 3 {
			time.Sleep(time.Millisecond)
		}
		f.mu.Lock()
		it["validState"] = "VALID"
		f.mu.Unlock()
	}()
	d, err := c.WaitForDomainValid(context.Background(), 573, DomainFilter{})
	if err != nil || d.ValidState != DomainValid {
		t.Fatalf("got %+v, %v", d, err)
	}
	f.mu.Lock()
	it["validState"] = "INVALID"
	f.mu.Unlock()
	var inv *DomainInvalidError
	if _, err := c.WaitForDomainValid(context.Background(), 573, DomainFilter{}); !errors.As(err, &inv) {
		t.Fatalf("INVALID: %v", err)
	}
}
