package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

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

// expiring_within_days keeps the certificates whose not_after is at most N×24h after now,
// the limit included, and every certificate that has already expired (whenever); with 0,
// exactly the expired ones (not_after ≤ now). A fixed now: no wall clock.
func TestExpiringWithinDaysBoundaries(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, n := range []int64{0, 1, 30} {
		limit := now.Add(time.Duration(n) * day)
		m := certificateFilterModel{Statuses: types.SetNull(types.StringType), Types: types.SetNull(types.StringType), ExpiringWithinDays: types.Int64Value(n)}
		f, diags := m.compile(context.Background(), now, nil)
		if diags.HasError() {
			t.Fatal(diags)
		}
		for _, tc := range []struct {
			what     string
			notAfter time.Time
			want     bool
		}{
			{"exactly at the limit", limit, true},
			{"one second before the limit", limit.Add(-time.Second), true},
			{"one second after the limit", limit.Add(time.Second), false},
			{"between N-1 and N days", now.Add(time.Duration(n)*day - 12*time.Hour), true},
			{"a day after the limit", limit.Add(day), false},
			{"expired one second ago", now.Add(-time.Second), true},
			{"expired within the last day", now.Add(-23 * time.Hour), true},
			{"expired a year ago", now.AddDate(-1, 0, 0), true},
			{"exactly now", now, true},
			{"unknown expiry", time.Time{}, false},
		} {
			c := &client.Certificate{No: 1, NotAfter: tc.notAfter}
			if got := f.matches(c); got != tc.want {
				t.Errorf("expiring_within_days = %d, not_after %s (%s): matched %v, want %v", n, tc.notAfter.Format(time.RFC3339), tc.what, got, tc.want)
			}
		}
	}
	// Not set: no expiry filter at all.
	f, _ := certificateFilterModel{Statuses: types.SetNull(types.StringType), Types: types.SetNull(types.StringType), ExpiringWithinDays: types.Int64Null()}.compile(context.Background(), now, nil)
	if !f.matches(&client.Certificate{No: 1, NotAfter: now.AddDate(5, 0, 0)}) {
		t.Error("without expiring_within_days a certificate far from expiry must match")
	}
}

// A lookup that fails names what only the status filter left out, capped, and nothing when
// statuses is not in play.
func TestLeftOutByStatus(t *testing.T) {
	f := &certificateFilter{name: "web", statuses: map[string]bool{client.StatusNormal: true}}
	certs := []client.Certificate{
		{No: 1, Name: "web", StatusName: client.StatusNormal},
		{No: 2, Name: "web", StatusName: client.StatusExpire},
		{No: 3, Name: "other", StatusName: client.StatusExpire},
		{No: 4, Name: "web", StatusCode: "-5"},
	}
	got := leftOutByStatus(f, certs)
	if !strings.Contains(got, `certificate 2 "web" matched but is EXPIRE; add "EXPIRE" to statuses`) ||
		!strings.Contains(got, `certificate 4 "web" matched but is REVOKE`) || strings.Contains(got, "certificate 3") || strings.Contains(got, "certificate 1 ") {
		t.Errorf("left out: %s", got)
	}
	if got := leftOutByStatus(&certificateFilter{name: "web"}, certs); got != "" {
		t.Errorf("without statuses: %q", got)
	}
	many := make([]client.Certificate, maxLeftOut+3)
	for i := range many {
		many[i] = client.Certificate{No: int64(i + 1), Name: "web", StatusName: client.StatusExpire}
	}
	if got := leftOutByStatus(f, many); !strings.Contains(got, "and 3 more") || strings.Count(got, "matched but") != maxLeftOut {
		t.Errorf("cap: %s", got)
	}
}
