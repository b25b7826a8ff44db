package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The ephemeral bundle's example, applied with the real CLI: a Cloud Basic certificate's key
// goes through ncloudcert_external_certificate.private_key_pem_wo, and appears nowhere in the
// plan (terraform show -json), the state file or the TF_LOG=trace output. Each open is exactly
// one DownloadCertificate request: one per plan, one more when the plan is applied.
func TestAccCLI_certificateBundleExample(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.11.0")
	ctx := context.Background()
	no := testIssuedCloudCertificate(t, m, client.CloudBasic, "bundle-web")
	files, err := m.client(t).DownloadCertificate(ctx, no) // the key to look for
	if err != nil || files.PrivateKeyPEM == "" {
		t.Fatalf("download: %v (a Cloud Basic certificate's bundle must hold its key)", err)
	}
	secret := keyBody(files.PrivateKeyPEM)
	downloads := func(want int) {
		t.Helper()
		if got := m.Requests(mockserver.OpDownloadCertificate) - 1; got != want {
			t.Fatalf("%d DownloadCertificate requests from Terraform, want %d", got, want)
		}
	}
	copyFile(t, "../../examples/ephemeral-resources/ncloudcert_certificate_bundle/ephemeral-resource.tf", filepath.Join(dir, "main.tf"))
	logPath := filepath.Join(dir, "trace.log")
	if err := tf.SetLog("TRACE"); err != nil {
		t.Fatal(err)
	}
	if err := tf.SetLogPath(logPath); err != nil {
		t.Fatal(err)
	}
	v := tfexec.Var(fmt.Sprintf("certificate_no=%d", no))

	planFile := filepath.Join(dir, "plan.out")
	if _, err := tf.Plan(ctx, v, tfexec.Out(planFile)); err != nil {
		t.Fatalf("plan: %v", err)
	}
	downloads(1)
	plan, err := tf.ShowPlanFileRaw(ctx, planFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains([]byte(plan), []byte("private_key_pem_wo_version")) {
		t.Fatal("the plan JSON does not show the external certificate: the check would prove nothing")
	}
	if bytes.Contains([]byte(plan), []byte(secret)) || bytes.Contains([]byte(plan), []byte("PRIVATE KEY")) {
		t.Error("the private key appears in the plan (terraform show -json)")
	}
	if err := tf.Apply(ctx, tfexec.DirOrPlan(planFile)); err != nil {
		t.Fatalf("apply: %v", err)
	}
	downloads(2)
	if got := m.Requests(mockserver.OpCreateExternalCertificate); got != 1 {
		t.Fatalf("%d external certificates registered, want 1", got)
	}
	state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(state, []byte("ncloudcert_external_certificate")) {
		t.Fatal("the state does not hold the external certificate: the check would prove nothing")
	}
	if bytes.Contains(state, []byte(secret)) || bytes.Contains(state, []byte("PRIVATE KEY")) {
		t.Error("the private key appears in the state file")
	}
	if changes, err := tf.Plan(ctx, v); err != nil || changes {
		t.Fatalf("plan after apply: changes=%v err=%v", changes, err)
	}
	downloads(3)
	if err := tf.Destroy(ctx, v); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(logs, []byte("downloading certificate")) {
		t.Fatal("the trace log lacks the provider's log of the download: the check would prove nothing")
	}
	if bytes.Contains(logs, []byte(secret)) {
		t.Error("the private key appears in TF_LOG=trace output")
	}
}
