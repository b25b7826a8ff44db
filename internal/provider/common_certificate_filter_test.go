package provider

import (
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

func TestDomainMatches(t *testing.T) {
	for _, tc := range []struct {
		certName, query string
		want            bool
	}{
		{"a.example.com", "*.example.com", true},
		{"a.b.example.com", "*.example.com", false},
		{"example.com", "*.example.com", false},
		{"*.example.com", "*.example.com", true},
		{"*.example.com", "a.example.com", true},
		{"*.example.com", "a.b.example.com", false},
		{"*.example.com", "example.com", false},
		{"*.b.example.com", "*.example.com", false},
		{"a.example.com", "a.example.com", true},
		{"a.example.com", "b.example.com", false},
		{"xa.example.com", "*.a.example.com", false},
	} {
		c := &client.Certificate{CommonName: "unrelated.test", DNSNames: []string{tc.certName}}
		if got := certificateCoversDomain(c, canonicalDomain(tc.query)); got != tc.want {
			t.Errorf("certificate for %q, domain %q: %v, want %v", tc.certName, tc.query, got, tc.want)
		}
	}
	c := &client.Certificate{CommonName: "WWW.Example.COM."}
	if !certificateCoversDomain(c, canonicalDomain("www.example.com")) {
		t.Error("case and trailing dot must not matter")
	}
}

func TestChooseCertificateMostRecent(t *testing.T) {
	certs := []client.Certificate{{No: 1}, {No: 3}, {No: 2}}
	certs[0].IssuedAt = certs[0].IssuedAt.AddDate(2026, 0, 0)
	certs[1].IssuedAt = certs[0].IssuedAt
	certs[2].IssuedAt = certs[0].IssuedAt.AddDate(-1, 0, 0)
	got, problem := chooseCertificate(certs, true)
	if problem != "" || got.No != 3 {
		t.Fatalf("most recent: %v %q, want 3 (same issue date as 1, higher number)", got, problem)
	}
	if _, problem := chooseCertificate(certs, false); problem == "" {
		t.Error("several matches without most_recent must be an error")
	}
	if _, problem := chooseCertificate(nil, true); problem == "" {
		t.Error("no match must be an error")
	}
}
