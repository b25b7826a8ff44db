package client

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeService is a small in-test Certificate Manager: enough of v1 and v2 to exercise the
// client's operation-level logic, with scripted faults. (internal/mockserver is the full one.)
type fakeService struct {
	t      *testing.T
	mu     sync.Mutex
	next   int64
	certs  map[int64]map[string]any
	calls  map[string]int     // per operation
	faults map[string][]fault // per operation, consumed in order
	// omitCreated answers a successful create with no sslCertificateList.
	omitCreated bool
	// omitUsed leaves usedInstanceNoList out of list answers (API doc §8 allows it).
	omitUsed bool
	// noCount: v2 lists carry no totalCount.
	noCount bool
	// v1ExternalOnly: v1 lists and deletes external certificates only (API doc §8).
	v1ExternalOnly bool
	bodies         map[string][]map[string]any // request bodies per operation
	queries        map[string][]string         // raw queries per operation
}

type fault struct {
	status     int  // answer with this status (and a gateway envelope) ...
	afterApply bool // ... after applying the change instead of before
	drop       bool // close the connection without answering
}

func newFakeService(t *testing.T) *fakeService {
	return &fakeService{t: t, next: 1000, certs: map[int64]map[string]any{}, calls: map[string]int{}, faults: map[string][]fault{},
		bodies: map[string][]map[string]any{}, queries: map[string][]string{}}
}

func (f *fakeService) addCert(name, serial string, used []string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	f.certs[f.next] = map[string]any{
		"certificateNo": f.next, "certificateName": name, "certificateType": "EXTERNAL", "externalYn": "Y",
		"serialNumber": serial, "statusCode": "1", "statusName": "NORMAL", "usedInstanceNoList": used,
		"regDate": "2020-01-01 00:00:00", // registered long before any test's create
	}
	return f.next
}

func (f *fakeService) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeService) snapshot() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.calls))
	for k, v := range f.calls {
		out[k] = v
	}
	return out
}

func (f *fakeService) numCerts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.certs)
}

func (f *fakeService) serial(no int64) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.certs[no]["serialNumber"]
}

func (f *fakeService) addFault(op string, flt ...fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[op] = append(f.faults[op], flt...)
}

func (f *fakeService) setUsed(no int64, used []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.certs[no]["usedInstanceNoList"] = used
}

func (f *fakeService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !verifySignature(r, testSecretKey) {
		writeJSON(w, 401, map[string]any{"error": map[string]any{"errorCode": "200", "message": "Authentication Failed"}})
		return
	}
	op, apply := f.route(r)
	if op == "" {
		writeJSON(w, 404, map[string]any{"error": map[string]any{"errorCode": "300", "message": "Not Found Exception"}})
		return
	}
	var body map[string]any
	if r.Body != nil {
		_ = json.NewDecoder(r.Body).Decode(&body)
	}
	f.mu.Lock()
	f.calls[op]++
	f.bodies[op] = append(f.bodies[op], body)
	f.queries[op] = append(f.queries[op], r.URL.RawQuery)
	var flt *fault
	if q := f.faults[op]; len(q) > 0 {
		flt, f.faults[op] = &q[0], q[1:]
	}
	if flt != nil && !flt.afterApply && !flt.drop {
		f.mu.Unlock()
		writeJSON(w, flt.status, map[string]any{"error": map[string]any{"errorCode": "500", "message": "Endpoint Error"}})
		return
	}
	status, resp := apply(r, body)
	payload, err := json.Marshal(resp) // under the lock: resp shares maps with the store
	f.mu.Unlock()
	if err != nil {
		f.t.Error(err)
	}
	switch {
	case flt != nil && flt.drop:
		hj, ok := w.(http.Hijacker)
		if !ok {
			f.t.Fatal("cannot hijack")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
		}
	case flt != nil:
		writeJSON(w, flt.status, map[string]any{"error": map[string]any{"errorCode": "500", "message": "Endpoint Error"}})
	default:
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(status)
		_, _ = w.Write(payload)
	}
}

type applyFunc func(r *http.Request, body map[string]any) (int, map[string]any)

func (f *fakeService) route(r *http.Request) (string, applyFunc) {
	p := r.URL.Path
	switch {
	case r.Method == "GET" && p == "/api/v1/certificates":
		return opGetCertificateList, f.list
	case r.Method == "POST" && p == "/api/v1/certificate/withExternal":
		return opCreateExternalCertificate, f.create
	case r.Method == "POST" && p == "/api/v2/certificate/withExternal":
		return opRegisterExternalCertificate, f.create
	case r.Method == "DELETE" && strings.HasPrefix(p, "/api/v1/certificate/"):
		return opDeleteCertificate, f.delete
	case r.Method == "DELETE" && strings.HasPrefix(p, "/api/v2/certificate/deleteCertificate/"):
		return opDeleteCertificateV2, f.delete
	case r.Method == "POST" && p == "/api/v2/certificate/requestCertificateIssuance":
		return opCloudBasicCertificateRequest, f.request(CloudBasic)
	case r.Method == "POST" && p == "/api/v2/certificate/requestGedCertificateIssuance":
		return opGlobalEdgeCertificateRequest, f.request(GlobalEdge)
	case r.Method == "POST" && p == "/api/v2/certificate/setCertificateRenewal":
		return opSetRenewalStatus, f.setRenewal
	case r.Method == "GET" && p == "/api/v2/certificate/getCertificates":
		return opListCloudCertificates, f.list
	case r.Method == "GET" && p == "/api/v2/certificate/certificates":
		return opListCertificates, f.list
	}
	return "", nil
}

// addRequested stores a requested certificate (v1 shape: domainAddress, and subDomainAddress
// listing the common name and the SANs, as the mock does before issuance).
func (f *fakeService) addRequested(name, typ, regDate string, names ...string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.storeRequested(name, typ, regDate, names)
}

func (f *fakeService) storeRequested(name, typ, regDate string, names []string) int64 {
	f.next++
	f.certs[f.next] = map[string]any{
		"certificateNo": f.next, "certificateName": name, "certificateType": typ, "externalYn": "N",
		"domainAddress": names[0], "subDomainAddress": strings.Join(names, ","),
		"statusCode": "0", "statusName": "ONGOING", "renewalYn": "N", "failReason": "",
		"serialNumber": "", "issuer": "", "notBefore": "", "notAfter": "", "usedInstanceNoList": []string{},
		"regDate": regDate,
	}
	return f.next
}

func kstNow() string { return time.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateTime) }

// request is CloudBasic/GlobalEdgeCertificateRequest with the mock's answers and refusals.
func (f *fakeService) request(typ CertificateType) applyFunc {
	return func(_ *http.Request, body map[string]any) (int, map[string]any) {
		name, _ := body["certificateName"].(string)
		cn, _ := body["commonName"].(string)
		names := []string{strings.ToLower(cn)}
		seen := map[string]bool{names[0]: true}
		sans, _ := body["dnsName"].([]any)
		for _, v := range sans {
			n := strings.ToLower(fmt.Sprint(v))
			if seen[n] {
				return 400, map[string]any{"returnCode": "2201", "returnMessage": "Invalid DNS SANs input format."}
			}
			seen[n] = true
			names = append(names, n)
		}
		for _, c := range f.certs {
			if c["certificateName"] == name {
				return 400, map[string]any{"returnCode": "2000", "returnMessage": "The certificate name is already in use."}
			}
		}
		no := f.storeRequested(name, string(typ), kstNow(), names)
		if typ == CloudBasic {
			return 200, success(map[string]any{"totalRows": 1, "certificateName": name, "commonName": names[0],
				"dnsName": strings.Join(names[1:], ","), "validationMethod": "D", "requestSn": "900001"})
		}
		return 200, success(map[string]any{"totalRows": 1, "certificate": map[string]any{
			"certificateNo": no, "certificateName": name, "statusCode": 0, "statusName": "ONGOING",
			"commonName": names[0], "dnsName": strings.Join(names[1:], ","), "requestSn": "900002"}})
	}
}

func (f *fakeService) setRenewal(_ *http.Request, body map[string]any) (int, map[string]any) {
	no, _ := body["certificateNo"].(float64)
	c := f.certs[int64(no)]
	if c == nil {
		return 200, map[string]any{"returnCode": "2200", "returnMessage": "No certificate was found."}
	}
	c["renewalYn"] = body["renewalYn"]
	return 200, success(map[string]any{"totalRows": 0})
}

func (f *fakeService) field(no int64, key string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.certs[no][key]
}

func (f *fakeService) bodiesOf(op string) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.bodies[op])
}

func (f *fakeService) queriesOf(op string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.queries[op])
}

func (f *fakeService) list(r *http.Request, _ map[string]any) (int, map[string]any) {
	q := r.URL.Query()
	items := []map[string]any{}
	for _, c := range f.sorted() {
		if n := q.Get("certificateName"); n != "" && c["certificateName"] != n {
			continue
		}
		if n := q.Get("certificateNo"); n != "" && strconv.FormatInt(c["certificateNo"].(int64), 10) != n {
			continue
		}
		if f.v1ExternalOnly && r.URL.Path == "/api/v1/certificates" && c["externalYn"] == "N" {
			continue
		}
		if f.omitUsed {
			c = maps.Clone(c)
			delete(c, "usedInstanceNoList")
		}
		items = append(items, c)
	}
	if len(items) == 0 && q.Get("certificateNo") != "" {
		return 200, map[string]any{"returnCode": "2200", "returnMessage": "No certificate was found."}
	}
	if strings.HasPrefix(r.URL.Path, "/api/v2/") && !f.noCount {
		return 200, success(map[string]any{"totalCount": len(items), "sslCertificateList": items})
	}
	return 200, success(map[string]any{"totalRows": len(items), "sslCertificateList": items})
}

func (f *fakeService) sorted() []map[string]any {
	out := make([]map[string]any, 0, len(f.certs))
	for _, c := range f.certs {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["certificateNo"].(int64) < out[j]["certificateNo"].(int64) })
	return out
}

// create registers body; the fake's "serial" is the certificate PEM text itself, so tests
// can tell registrations apart.
func (f *fakeService) create(_ *http.Request, body map[string]any) (int, map[string]any) {
	name, _ := body["certificateName"].(string)
	pem, _ := body["certificateBody"].(string)
	if pem == "" {
		pem, _ = body["publicKeyCertificate"].(string)
	}
	if no, ok := body["certificateNo"].(float64); ok && no != 0 {
		c := f.certs[int64(no)]
		if c == nil {
			return 200, map[string]any{"returnCode": "2200", "returnMessage": "No certificate was found."}
		}
		c["serialNumber"] = pem
		return 200, success(map[string]any{"totalRows": 1, "sslCertificateList": []any{c}})
	}
	for _, c := range f.certs {
		if c["certificateName"] == name {
			return 400, map[string]any{"returnCode": "2000", "returnMessage": "certificateName is already in use"}
		}
	}
	f.next++
	c := map[string]any{"certificateNo": f.next, "certificateName": name, "certificateType": "EXTERNAL",
		"externalYn": "Y", "serialNumber": pem, "usedInstanceNoList": []string{},
		"regDate": time.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateTime)}
	f.certs[f.next] = c
	if f.omitCreated {
		return 200, success(map[string]any{"totalRows": 1})
	}
	return 200, success(map[string]any{"totalRows": 1, "sslCertificateList": []any{c}})
}

func (f *fakeService) delete(r *http.Request, _ map[string]any) (int, map[string]any) {
	no, _ := strconv.ParseInt(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], 10, 64)
	c := f.certs[no]
	switch {
	case c == nil, f.v1ExternalOnly && strings.HasPrefix(r.URL.Path, "/api/v1/") && c["externalYn"] == "N":
		return 200, map[string]any{"returnCode": "1006", "returnMessage": "No certificate exists."}
	case c["certificateName"] != r.URL.Query().Get("certificateName"):
		return 200, map[string]any{"returnCode": "1004", "returnMessage": "Failed to delete the certificate. No certificate was found with a matching with requested certificate name and certificate number."}
	case len(c["usedInstanceNoList"].([]string)) > 0:
		return 200, map[string]any{"returnCode": "1004", "returnMessage": "Failed to delete the certificate. Delete the instance being used first or replace the certificate being used for the instance."}
	}
	delete(f.certs, no)
	return 200, success(map[string]any{"totalRows": 1})
}
