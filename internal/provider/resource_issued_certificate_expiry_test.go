package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// TestIssuedExpiryWarningBoundaries: the warning starts exactly 30 days before not_after
// (not a second earlier), turns into the expired warning one second after not_after or with
// status EXPIRE, and names the cure that fits auto_renewal.
func TestIssuedExpiryWarningBoundaries(t *testing.T) {
	notAfter := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	edge := notAfter.Add(-30 * 24 * time.Hour)
	cases := []struct {
		name     string
		e        issuedExpiry
		now      time.Time
		summary  string
		contains []string
	}{
		{"one second before the window", issuedExpiry{NotAfter: notAfter, Status: "NORMAL"}, edge.Add(-time.Second), "", nil},
		{"exactly 30 days before", issuedExpiry{NotAfter: notAfter, Status: "NORMAL"}, edge, "Certificate expires soon", []string{"auto_renewal is off", "auto_renewal = true", "name_prefix", "create_before_destroy"}},
		{"one second into the window", issuedExpiry{NotAfter: notAfter, Status: "NORMAL"}, edge.Add(time.Second), "Certificate expires soon", []string{"in 29 days, 23 hours"}},
		{"auto renewal on", issuedExpiry{NotAfter: notAfter, Status: "NORMAL", AutoRenewal: true}, edge, "Certificate expires soon", []string{"auto_renewal is on", "renews it in place", "still in DNS"}},
		{"at not_after", issuedExpiry{NotAfter: notAfter, Status: "NORMAL"}, notAfter, "Certificate expires soon", nil},
		{"one second after not_after", issuedExpiry{NotAfter: notAfter, Status: "NORMAL"}, notAfter.Add(time.Second), "Certificate has expired", []string{"-replace", "name_prefix", "renews only before expiry"}},
		{"status EXPIRE", issuedExpiry{NotAfter: notAfter, Status: client.StatusExpire}, edge.Add(-time.Hour), "Certificate has expired", []string{"status EXPIRE"}},
		{"status EXPIRE without dates", issuedExpiry{Status: client.StatusExpire}, edge, "Certificate has expired", nil},
		{"pending: no dates", issuedExpiry{Status: "ONGOING"}, edge, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			summary, detail := issuedExpiryWarning(tc.e, tc.now)
			if summary != tc.summary {
				t.Fatalf("summary %q, want %q (detail %q)", summary, tc.summary, detail)
			}
			for _, c := range tc.contains {
				if !strings.Contains(detail, c) {
					t.Errorf("detail lacks %q: %s", c, detail)
				}
			}
		})
	}
}
