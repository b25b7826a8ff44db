package provider

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// Through the CLI, what a user sees: a read that fails right after the order was placed is a
// warning and the order is in state, not tainted; a representative whose validation expired
// is a warning on refresh, and the plan reissues it in place.
func TestAccCLI_advancedOrderWarnings(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	csr, _ := testOrderCSR(t)
	writeFile(t, filepath.Join(dir, "main.tf"), m.providerBlock()+orderBlock(csr))
	ctx := context.Background()

	m.AddFault(mockserver.Fault{Operation: mockserver.OpGetOrder, Count: 5, Status: 503}) // 1 + max_retries
	var out bytes.Buffer
	if err := tf.ApplyJSON(ctx, &out); err != nil {
		t.Fatalf("apply: %v\n%s", err, out.String())
	}
	for _, want := range []string{"Cannot read order 900001", `"severity":"warning"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("apply output lacks %q:\n%s", want, out.String())
		}
	}
	state, err := tf.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range stateResources(state) {
		if r.Tainted {
			t.Errorf("%s is tainted: the next apply would buy another order", r.Address)
		}
	}

	if err := m.SetStatus(m.lastCertificateNo(t), client.StatusValidationExpire); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	changes, err := tf.PlanJSON(ctx, &out)
	if err != nil || !changes {
		t.Fatalf("plan: changes=%v err=%v\n%s", changes, err, out.String())
	}
	for _, want := range []string{"Advanced certificate request ended without a certificate", "VALIDATION_EXPIRE", "reissues it in place", `"action":"update"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("plan output lacks %q:\n%s", want, out.String())
		}
	}
	if err := tf.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	if n, o := m.Requests(mockserver.OpReissueCertificate), m.Stats().Orders; n != 1 || o != 1 {
		t.Fatalf("%d reissues in %d orders, want 1 in 1", n, o)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
}
