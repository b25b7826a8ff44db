package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The key registered with ncloudcert_certificate_private_key (private_key_pem, in state) and
// the secret key (in HCL) never appear in Terraform's TF_LOG=trace output, through the real
// CLI, over a whole order → validation → key registration flow and its destroy.
func TestAccCLI_privateKeyNotInTraceLog(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	csr, key := testOrderCSR(t)
	writeFile(t, filepath.Join(dir, "main.tf"), m.providerBlock()+orderBlock(csr)+fmt.Sprintf(`
resource "ncloudcert_certificate_validation" "test" {
  certificate_no = ncloudcert_advanced_order.test.representative_certificate_no
}

resource "ncloudcert_certificate_private_key" "test" {
  certificate_no  = ncloudcert_certificate_validation.test.certificate_no
  private_key_pem = %q
}

output "certificate_no" {
  value = ncloudcert_certificate_private_key.test.certificate_no
}
`, key))
	logPath := filepath.Join(dir, "trace.log")
	if err := tf.SetLog("TRACE"); err != nil {
		t.Fatal(err)
	}
	if err := tf.SetLogPath(logPath); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// The order first, then its records published to the mock's DNS (as a DNS provider would).
	if err := tf.Apply(ctx, tfexec.Target("ncloudcert_advanced_order.test")); err != nil {
		t.Fatalf("targeted apply: %v", err)
	}
	state, err := tf.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var repr int64
	for _, r := range stateResources(state) {
		if r.Type == "ncloudcert_advanced_order" {
			if _, err := fmt.Sscan(fmt.Sprint(r.AttributeValues["representative_certificate_no"]), &repr); err != nil {
				t.Fatalf("representative_certificate_no: %v", err)
			}
		}
	}
	if repr == 0 {
		t.Fatal("no representative certificate in state after the targeted apply")
	}
	if err := m.PublishDCV(repr); err != nil {
		t.Fatal(err)
	}

	// The rest: validation, then the key registration.
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if got := m.Requests(mockserver.OpRegisterPrivateKey); got != 1 {
		t.Fatalf("%d RegisterPrivateKey requests, want 1", got)
	}
	if info, ok := m.Certificate(repr); !ok || info.StatusName != "NORMAL" {
		t.Fatalf("certificate %d: %+v, want NORMAL (key registered)", repr, info)
	}
	if changes, err := tf.Plan(ctx); err != nil || changes {
		t.Fatalf("plan after apply: changes=%v err=%v", changes, err)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if n := m.Stats().Certificates; n != 0 {
		t.Fatalf("%d certificates left after destroy", n)
	}

	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("the trace log is missing: %v", err)
	}
	// The log must hold the provider's own logs of the registration, not just Terraform's.
	if !strings.Contains(string(logs), "registering the private key") {
		t.Fatalf("the trace log (%d bytes) lacks the provider's log of the key registration", len(logs))
	}
	body := keyBody(key)
	if len(body) < 32 {
		t.Fatalf("key body %q is too short to search for", body)
	}
	if strings.Contains(string(logs), body) {
		t.Error("the private key's base64 body appears in TF_LOG=trace output")
	}
	if strings.Contains(string(logs), mockserver.DemoSecretKey) {
		t.Error("the secret key appears in TF_LOG=trace output")
	}
}
