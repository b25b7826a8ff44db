package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func cloudBasic(name, cn string, sans ...string) CertificateRequest {
	return CertificateRequest{Type: CloudBasic, Name: name, CommonName: cn, DNSNames: sans}
}

// Both request kinds: path, body and the certificate read afterwards. A Cloud Basic answer
// has no number (found by name, 1 GET); a Global Edge one has (read by number, 1 GET).
func TestRequestCertificateBodiesAndLookUps(t *testing.T) {
	fs := newFakeService(t)
	c, _ := newTestClient(t, fs)
	ctx := context.Background()

	cert, err := c.RequestCertificate(ctx, cloudBasic("cb", "*.Example.com", "example.com", "www.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.No != 1001 || cert.Name != "cb" || cert.Type != string(CloudBasic) || cert.Status() != StatusOngoing ||
		cert.CommonName != "*.example.com" || !cert.AutoRenewalKnown || cert.AutoRenewal {
		t.Errorf("cert = %+v", cert)
	}
	wantBody := map[string]any{"certificateName": "cb", "commonName": "*.Example.com",
		"dnsName": []any{"example.com", "www.example.com"}, "validationMethod": "D"}
	if b := fs.bodiesOf(opCloudBasicCertificateRequest); len(b) != 1 || !reflect.DeepEqual(b[0], wantBody) {
		t.Errorf("body = %v", b)
	}
	// Read through API 2.0 (a v1 may list external certificates only): one request.
	if q := fs.queriesOf(opListCloudCertificates); !reflect.DeepEqual(q, []string{"certificateName=cb&page=1&pageSize=100"}) || fs.count(opGetCertificateList) != 0 {
		t.Errorf("look-ups = %v, calls = %v", q, fs.snapshot())
	}

	cert, err = c.RequestCertificate(ctx, CertificateRequest{Type: GlobalEdge, Name: "ge", CommonName: "cdn.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if cert.No != 1002 || cert.Type != string(GlobalEdge) {
		t.Errorf("cert = %+v", cert)
	}
	// No SANs: dnsName is left out, and Global Edge has no validationMethod.
	if b := fs.bodiesOf(opGlobalEdgeCertificateRequest); len(b) != 1 || !reflect.DeepEqual(b[0], map[string]any{"certificateName": "ge", "commonName": "cdn.example.com"}) {
		t.Errorf("body = %v", b)
	}
	if q := fs.queriesOf(opListCloudCertificates); !reflect.DeepEqual(q, []string{"certificateName=cb&page=1&pageSize=100", "certificateName=ge&page=1&pageSize=100"}) {
		t.Errorf("look-ups = %v", q)
	}
	if fs.count(opCloudBasicCertificateRequest) != 1 || fs.count(opGlobalEdgeCertificateRequest) != 1 {
		t.Errorf("calls = %v", fs.snapshot())
	}
}

// §8 alternatives of the request answers: a number as a string, a certificate object without
// a number or not an object at all, a statusCode number.
func TestRequestAnswerAlternatives(t *testing.T) {
	tests := []struct {
		name   string
		answer map[string]any
		query  string // the look-up the client makes afterwards
	}{
		{"cloud basic with certificateNo as a string", success(map[string]any{"totalRows": "1", "certificateNo": "77", "requestSn": 900001}), "certificateName=web&page=1&pageSize=100"},
		{"global edge object without number", success(map[string]any{"certificate": map[string]any{"certificateName": "web", "statusCode": 0}}), "certificateName=web&page=1&pageSize=100"},
		{"global edge object with number as a string", success(map[string]any{"certificate": map[string]any{"certificateNo": "77", "statusCode": "0"}}), "certificateName=web&page=1&pageSize=100"},
		{"certificate not an object", success(map[string]any{"certificate": "77"}), "certificateName=web&page=1&pageSize=100"},
		{"certificate null", success(map[string]any{"certificate": nil}), "certificateName=web&page=1&pageSize=100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var posts counter
			var queries []string
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					posts.inc()
					writeJSON(w, 200, tt.answer)
					return
				}
				queries = append(queries, r.URL.RawQuery)
				writeJSON(w, 200, success(map[string]any{"totalCount": 1, "sslCertificateList": []any{map[string]any{
					"certificateNo": "77", "certificateName": "web", "statusCode": 0, "domainAddress": "example.com"}}}))
			}))
			cert, err := c.RequestCertificate(context.Background(), cloudBasic("web", "example.com"))
			if err != nil || cert.No != 77 || cert.Status() != StatusOngoing {
				t.Fatalf("cert=%+v err=%v", cert, err)
			}
			if posts.get() != 1 || !reflect.DeepEqual(queries, []string{tt.query}) {
				t.Errorf("posts=%d queries=%v", posts.get(), queries)
			}
		})
	}
}

// The answer is lost after the request landed: the certificate under the name has our names
// and was registered during the call, so it is adopted; exactly one request.
func TestRequestDroppedAfterCommitAdopted(t *testing.T) {
	for _, typ := range []CertificateType{CloudBasic, GlobalEdge} {
		t.Run(string(typ), func(t *testing.T) {
			fs := newFakeService(t)
			op := opCloudBasicCertificateRequest
			if typ == GlobalEdge {
				op = opGlobalEdgeCertificateRequest
			}
			fs.addFault(op, fault{drop: true})
			c, _ := newTestClient(t, fs)
			// The common name repeated in the SANs, in another case, with a trailing dot.
			req := CertificateRequest{Type: typ, Name: "web", CommonName: "Example.com.", DNSNames: []string{"*.example.com", "example.com"}}
			cert, err := c.RequestCertificate(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if cert.No != 1001 || fs.count(op) != 1 || fs.numCerts() != 1 || fs.count(opGetCertificateList) != 1 {
				t.Errorf("cert=%+v calls=%v certs=%d", cert, fs.snapshot(), fs.numCerts())
			}
		})
	}
}

// Lost answers where the name holds a certificate that is not provably ours: never adopted,
// never requested again.
func TestRequestLostAnswerNotOurs(t *testing.T) {
	tests := []struct {
		name      string
		regDate   string
		names     []string
		sameNames bool
	}{
		{"other names, registered now", kstNow(), []string{"example.com", "other.example.com"}, false},
		{"a SAN more, registered now", kstNow(), []string{"example.com", "www.example.com", "api.example.com"}, false},
		{"wildcard instead of the apex", kstNow(), []string{"example.com", "*.www.example.com"}, false},
		{"same names, registered long before", "2020-01-01 00:00:00", []string{"example.com", "www.example.com"}, true},
		{"same names, no registration date", "", []string{"example.com", "www.example.com"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeService(t)
			other := fs.addRequested("web", string(CloudBasic), tt.regDate, tt.names...)
			fs.addFault(opCloudBasicCertificateRequest, fault{status: 502})
			c, _ := newTestClient(t, fs)
			_, err := c.RequestCertificate(context.Background(), cloudBasic("web", "example.com", "www.example.com"))
			var taken *NameInUseError
			if !errors.As(err, &taken) || taken.Existing.No != other || taken.SameMaterial != tt.sameNames || !taken.ByNames ||
				IsUncertain(err) || taken.Operation != opCloudBasicCertificateRequest {
				t.Fatalf("err = %#v", err)
			}
			want := "is for other names"
			if tt.sameNames {
				want = "was requested for the same names (example.com, www.example.com) earlier or outside this apply"
			}
			if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "serial") {
				t.Errorf("Error() = %s", err)
			}
			if fs.count(opCloudBasicCertificateRequest) != 1 || fs.numCerts() != 1 {
				t.Errorf("calls=%v certs=%d", fs.snapshot(), fs.numCerts())
			}
		})
	}
}

// A plain "name in use" refusal: the certificate there is named, with the refusal wrapped.
func TestRequestNameTaken(t *testing.T) {
	fs := newFakeService(t)
	other := fs.addCert("web", "ff", nil)
	c, _ := newTestClient(t, fs)
	_, err := c.RequestCertificate(context.Background(), cloudBasic("web", "example.com"))
	var taken *NameInUseError
	if !errors.As(err, &taken) || taken.Existing.No != other || taken.SameMaterial || !hasCode(err, "2000") || !IsRequestInvalid(err) {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), `certificate name "web" is already used by certificate 1001`) {
		t.Errorf("Error() = %s", err)
	}
	if fs.count(opCloudBasicCertificateRequest) != 1 {
		t.Errorf("calls = %v", fs.snapshot())
	}
}

// 503 before the request landed: the look-up finds nothing, so it is sent once more.
func TestRequest503BeforeCommitResent(t *testing.T) {
	fs := newFakeService(t)
	fs.addFault(opGlobalEdgeCertificateRequest, fault{status: 503})
	c, _ := newTestClient(t, fs)
	cert, err := c.RequestCertificate(context.Background(), CertificateRequest{Type: GlobalEdge, Name: "ge", CommonName: "cdn.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	// GETs: the look-up by name (v1, then v2 for the other kinds), then the read of the answer's number.
	if cert.No != 1001 || fs.count(opGlobalEdgeCertificateRequest) != 2 || fs.count(opGetCertificateList) != 1 || fs.count(opListCertificates) != 1 ||
		fs.count(opListCloudCertificates) != 1 || fs.numCerts() != 1 {
		t.Errorf("cert=%+v calls=%v", cert, fs.snapshot())
	}
	if q := fs.queriesOf(opGetCertificateList); q[0] != "certificateName=ge" {
		t.Errorf("look-ups = %v", q)
	}
}

// 2201 (bad or repeated SANs) on HTTP 200 as documented, or on 400 as validation errors
// come: a request validation error, never sent again.
func TestRequestInvalidSANsNotRetried(t *testing.T) {
	for _, status := range []int{200, 400} {
		var posts counter
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				writeJSON(w, 200, emptyList())
				return
			}
			posts.inc()
			writeJSON(w, status, map[string]any{"returnCode": "2201", "returnMessage": "Invalid DNS SANs input format."})
		}))
		_, err := c.RequestCertificate(context.Background(), cloudBasic("web", "example.com", "a..example.com"))
		if !IsRequestInvalid(err) || IsUncertain(err) || IsNameInUse(err) || IsNotFound(err) {
			t.Errorf("HTTP %d: err = %v", status, err)
		}
		if posts.get() != 1 {
			t.Errorf("HTTP %d: %d requests", status, posts.get())
		}
	}
	// The fake's own refusal of a repeated SAN.
	fs := newFakeService(t)
	c, _ := newTestClient(t, fs)
	_, err := c.RequestCertificate(context.Background(), cloudBasic("web", "example.com", "www.example.com", "WWW.example.com"))
	if !IsRequestInvalid(err) || fs.count(opCloudBasicCertificateRequest) != 1 || fs.numCerts() != 0 {
		t.Errorf("err=%v calls=%v", err, fs.snapshot())
	}
}

func TestRequestUnknownTypeSendsNothing(t *testing.T) {
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.inc() }))
	_, err := c.RequestCertificate(context.Background(), CertificateRequest{Type: "NCP_PAID_DV_01", Name: "x", CommonName: "example.com"})
	if err == nil || n.get() != 0 || !strings.Contains(err.Error(), "nothing was sent") {
		t.Errorf("err=%v requests=%d", err, n.get())
	}
}

func TestSameNames(t *testing.T) {
	found := func(cn string, dns ...string) *Certificate { return &Certificate{CommonName: cn, DNSNames: dns} }
	tests := []struct {
		name  string
		found *Certificate
		cn    string
		sans  []string
		want  bool
	}{
		{"exact", found("example.com", "www.example.com"), "example.com", []string{"www.example.com"}, true},
		{"dnsName includes the common name", found("example.com", "example.com", "www.example.com"), "example.com", []string{"www.example.com"}, true},
		{"case and trailing dots", found("Example.COM.", "WWW.example.com"), "example.com", []string{"www.Example.com."}, true},
		{"order", found("example.com", "b.example.com", "a.example.com"), "example.com", []string{"a.example.com", "b.example.com"}, true},
		{"wildcards as-is", found("*.example.com", "example.com"), "*.example.com", []string{"example.com"}, true},
		{"wildcard is not the apex", found("*.example.com"), "example.com", nil, false},
		{"common name differs, same set", found("www.example.com", "example.com"), "example.com", []string{"www.example.com"}, false},
		{"a name missing", found("example.com"), "example.com", []string{"www.example.com"}, false},
		{"a name more", found("example.com", "www.example.com"), "example.com", nil, false},
		{"no common name reported", found("", "example.com"), "example.com", nil, false},
	}
	for _, tt := range tests {
		if got := sameNames(tt.found, tt.cn, tt.sans); got != tt.want {
			t.Errorf("%s: sameNames = %v", tt.name, got)
		}
	}
}

// The body marshals dnsName as an array, as the guide's example shows.
func TestRequestBodyJSON(t *testing.T) {
	b, err := json.Marshal(requestBody{CertificateName: "n", CommonName: "*.ncloud.com", DNSName: []string{"ncloud.com", "ncloud-docs.com"}, ValidationMethod: "D"})
	if err != nil || string(b) != `{"certificateName":"n","commonName":"*.ncloud.com","dnsName":["ncloud.com","ncloud-docs.com"],"validationMethod":"D"}` {
		t.Errorf("%s %v", b, err)
	}
}
