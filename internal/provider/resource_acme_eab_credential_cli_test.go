package provider

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The warnings a user sees, through the real CLI: a create whose answer was lost says the
// key is unavailable and how to get one; a credential deactivated outside says the next
// apply replaces it.
func TestAccCLI_eabCredentialWarnings(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	writeFile(t, filepath.Join(dir, "main.tf"), eabConfig(m, "warned", 198))
	ctx := context.Background()
	m.AddFault(mockserver.Fault{Operation: mockserver.OpCreateEabCredential, Count: 1, Drop: true, AfterCommit: true})
	var buf bytes.Buffer
	if err := tf.ApplyJSON(ctx, &buf); err != nil {
		t.Fatalf("apply: %v\n%s", err, buf.String())
	}
	for _, want := range []string{"EAB HMAC key unavailable", "terraform apply -replace=", "no second credential was created", `"severity":"warning"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("apply output lacks %q:\n%s", want, buf.String())
		}
	}
	if got := m.Requests(mockserver.OpCreateEabCredential); got != 1 {
		t.Fatalf("%d CreateEabCredential requests, want 1", got)
	}

	id := m.onlyEab(t).AccountID
	if err := m.DeactivateEabCredential(id); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	changes, err := tf.PlanJSON(ctx, &buf)
	if err != nil || !changes {
		t.Fatalf("plan: changes=%v err=%v\n%s", changes, err, buf.String())
	}
	for _, want := range []string{"EAB credential deactivated", "The next apply replaces it", `"action":"replace"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("plan output lacks %q:\n%s", want, buf.String())
		}
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
}
