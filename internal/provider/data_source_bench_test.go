package provider

import (
	"context"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// TestCertificatesReadTiming times the two halves of the data source's read over 10,000
// seeded certificates: listing (100 requests) and flattening.
func TestCertificatesReadTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	m := newTestMock(t)
	if _, err := m.Seed(10_000, mockserver.SeedOptions{}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	certs, err := m.client(t).ListCertificates(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	listed := time.Since(start)
	start = time.Now()
	if _, diags := certificateListValue(ctx, certs); diags.HasError() {
		t.Fatal(diags)
	}
	t.Logf("list %d: %s in %d requests; flatten: %s", len(certs), listed, m.Requests("ListCertificates"), time.Since(start))
	if got := m.Requests("ListCertificates"); got != 100 {
		t.Errorf("%d requests, want 100", got)
	}
}
