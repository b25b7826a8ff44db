package mockserver

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	cloudBasicPath = "/api/v2/certificate/requestCertificateIssuance"
	globalEdgePath = "/api/v2/certificate/requestGedCertificateIssuance"
)

// requestBody is an issuance request body (validationMethod "D" for Cloud Basic).
func requestBody(typ, name, cn string, sans ...string) map[string]any {
	b := map[string]any{"certificateName": name, "commonName": cn}
	if sans != nil {
		b["dnsName"] = sans
	}
	if typ == typeCloudBasic {
		b["validationMethod"] = "D"
	}
	return b
}

func requestPath(typ string) string {
	if typ == typeGlobalEdge {
		return globalEdgePath
	}
	return cloudBasicPath
}

// request sends an issuance request of type typ and returns the new certificate's number
// (found by name for Cloud Basic, whose answer has none).
func (e *testEnv) request(typ, name, cn string, sans ...string) int64 {
	e.t.Helper()
	res := e.signed(http.MethodPost, requestPath(typ), requestBody(typ, name, cn, sans...))
	wantOK(e.t, res)
	return e.noByName(name)
}

// noByName finds a certificate's number through ListCertificates.
func (e *testEnv) noByName(name string) int64 {
	e.t.Helper()
	res := e.signed(http.MethodGet, "/api/v2/certificate/certificates?certificateName="+url.QueryEscape(name), nil)
	items := res.list("sslCertificateList")
	if len(items) != 1 {
		e.t.Fatalf("certificate %q: %s", name, res.raw)
	}
	return numOf(e.t, items[0]["certificateNo"])
}

func numOf(t testing.TB, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v (%T) is not a JSON number", v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// v1Of is certificate no's v1 list item.
func (e *testEnv) v1Of(no int64) map[string]any {
	e.t.Helper()
	res := e.signed(http.MethodGet, fmt.Sprintf("/api/v1/certificates?certificateNo=%d", no), nil)
	wantOK(e.t, res)
	items := res.list("sslCertificateList")
	if len(items) != 1 {
		e.t.Fatalf("v1 item %d: %s", no, res.raw)
	}
	return items[0]
}

// v2Of is certificate no's ListCertificates item.
func (e *testEnv) v2Of(no int64) map[string]any {
	e.t.Helper()
	info, ok := e.srv.Certificate(no)
	if !ok {
		e.t.Fatalf("no certificate %d", no)
	}
	return e.v2ByName(info.Name)
}

func (e *testEnv) v2ByName(name string) map[string]any {
	e.t.Helper()
	res := e.signed(http.MethodGet, "/api/v2/certificate/certificates?certificateName="+url.QueryEscape(name), nil)
	wantOK(e.t, res)
	items := res.list("sslCertificateList")
	if len(items) != 1 {
		e.t.Fatalf("v2 item %q: %s", name, res.raw)
	}
	return items[0]
}

// statusOf is certificate no's status label through ListCertificates, after checking that
// the v1 list agrees.
func (e *testEnv) statusOf(no int64) string {
	e.t.Helper()
	v2 := e.v2Of(no)
	v1 := e.v1Of(no)
	if v1["statusName"] != v2["statusName"] || v1["statusCode"] != v2["statusCode"] {
		e.t.Fatalf("v1 %v/%v, v2 %v/%v", v1["statusCode"], v1["statusName"], v2["statusCode"], v2["statusName"])
	}
	if statusCodes[fmt.Sprint(v2["statusName"])] != v2["statusCode"] {
		e.t.Fatalf("status code %v does not match %v", v2["statusCode"], v2["statusName"])
	}
	return fmt.Sprint(v2["statusName"])
}

// dcv calls ListDcvStatuses.
func (e *testEnv) dcv(no int64, domain string) result {
	e.t.Helper()
	return e.signed(http.MethodGet, fmt.Sprintf("/api/v2/certificate/getVerificationInfo/%d?domainAddress=%s", no, url.QueryEscape(domain)), nil)
}

// dcvItem is the one item of a ListDcvStatuses answer for domain.
func (e *testEnv) dcvItem(no int64, domain string) map[string]any {
	e.t.Helper()
	res := e.dcv(no, domain)
	wantOK(e.t, res)
	items := res.list("dnsVerificationList")
	if len(items) != 1 || res.num("totalRows") != 1 || res.num("dnsVerificationCount") != 1 ||
		res.num("emailVerificationCount") != 0 || !strings.Contains(string(res.raw), `"emailVerificationList":[]`) {
		e.t.Fatalf("ListDcvStatuses %d %s: %s", no, domain, res.raw)
	}
	return items[0]
}

// records is the validation records of certificate no (control API view).
func (e *testEnv) records(no int64) []DCVRecord {
	e.t.Helper()
	recs, err := e.srv.DCVRecords(no)
	if err != nil {
		e.t.Fatal(err)
	}
	return recs
}

// verifyLeaf parses the issued PEM, checks that its SANs are names and its common name
// names[0], and verifies it through chainPEM (intermediate then root) at the server's clock.
func (e *testEnv) verifyLeaf(certPEM, chainPEM string, names []string) *x509.Certificate {
	e.t.Helper()
	leaf := parseCertPEM(e.t, certPEM)
	chain := parseCertsPEM(e.t, chainPEM)
	if len(chain) != 2 {
		e.t.Fatalf("chain has %d certificates, want intermediate and root", len(chain))
	}
	if !slices.Equal(leaf.DNSNames, names) || leaf.Subject.CommonName != names[0] {
		e.t.Fatalf("leaf CN %q SANs %v, want %v", leaf.Subject.CommonName, leaf.DNSNames, names)
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(chain[1])
	inter.AddCert(chain[0])
	for _, n := range names {
		host := strings.Replace(n, "*", "anything", 1)
		if _, err := leaf.Verify(x509.VerifyOptions{
			DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: e.now(),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}); err != nil {
			e.t.Fatalf("leaf does not verify for %s: %v", host, err)
		}
	}
	if !chain[1].Equal(e.srv.ca.root) {
		e.t.Fatal("the chain's root is not the mock's root")
	}
	return leaf
}

func parseCertPEM(t testing.TB, text string) *x509.Certificate {
	t.Helper()
	certs := parseCertsPEM(t, text)
	if len(certs) != 1 {
		t.Fatalf("want one certificate, got %d", len(certs))
	}
	return certs[0]
}

func parseCertsPEM(t testing.TB, text string) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	rest := []byte(text)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// wantFields checks string fields of a list item.
func wantFields(t testing.TB, item map[string]any, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got, _ := item[k].(string); got != v {
			t.Errorf("%s = %v, want %q", k, item[k], v)
		}
	}
}

// kstText renders t as the service's dates.
func kstText(t time.Time) string { return t.In(kst).Format(time.DateTime) }
