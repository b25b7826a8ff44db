package provider

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Expiry of an issued certificate is never silent (the mock's clock drives it): a plan warns
// from 30 days before not_after, naming auto_renewal, and once the certificate is EXPIRE,
// naming the way out; neither plan proposes a change.
func TestAccCLI_issuedExpiryWarnings(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	writeFile(t, filepath.Join(dir, "main.tf"), `
resource "ncloudcert_issued_certificate" "test" {
  name         = "cli-expiry"
  common_name  = "expiry.example.com"
  auto_renewal = false
}
`)
	ctx := context.Background()
	// Issued 61 days ago on the service's clock: 29 days of its 90 are left.
	m.AdvanceClock(-61 * 24 * time.Hour)
	if err := tf.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.ValidateCertificate(firstMockCertificateNo); err != nil {
		t.Fatal(err)
	}
	m.AdvanceClock(61 * 24 * time.Hour)
	plan := func(wants ...string) {
		t.Helper()
		var buf bytes.Buffer
		changes, err := tf.PlanJSON(ctx, &buf)
		if err != nil || changes {
			t.Fatalf("plan: changes=%v err=%v\n%s", changes, err, buf.String())
		}
		for _, want := range wants {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("plan output lacks %q:\n%s", want, buf.String())
			}
		}
	}
	plan(`"severity":"warning"`, "Certificate expires soon", "auto_renewal is off", "auto_renewal = true")

	// Past not_after on the service's clock: EXPIRE.
	m.AdvanceClock(30 * 24 * time.Hour)
	plan(`"severity":"warning"`, "Certificate has expired", "status EXPIRE", "-replace", "name_prefix")
	if err := tf.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
}
