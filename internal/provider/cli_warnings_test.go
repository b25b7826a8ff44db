package provider

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A certificate that is not valid yet registers, with a plan-time warning naming its start.
func TestAccCLI_notValidYetWarning(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	ca := testCertificateAuthority(t)
	start := time.Now().Add(72 * time.Hour).Truncate(time.Second)
	future := ca.issue(t, "future.example.com", nil, leafOptions{notBefore: start})
	writeFile(t, filepath.Join(dir, "main.tf"), m.providerBlock()+externalConfig("future", future, ca.intermediatePEM))
	var buf bytes.Buffer
	if _, err := tf.PlanJSON(context.Background(), &buf); err != nil {
		t.Fatalf("plan: %v\n%s", err, buf.String())
	}
	for _, want := range []string{"Certificate is not valid yet", start.UTC().Format(time.RFC3339), `"severity":"warning"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("plan output lacks %q:\n%s", want, buf.String())
		}
	}
	if err := tf.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := m.Stats().Certificates; n != 1 {
		t.Fatalf("%d certificates, want 1", n)
	}
	if err := tf.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
}
