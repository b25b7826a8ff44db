package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The documented example through the real CLI: apply, the outputs an ACME client is fed
// from, a clean second plan, the documented import (no key), destroy (deactivates). The
// HMAC keys never appear in TF_LOG=trace output.
func TestAccExample_acmeEabCredential(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	copyFile(t, "../../examples/resources/ncloudcert_acme_eab_credential/resource.tf", filepath.Join(dir, "main.tf"))
	logPath := filepath.Join(dir, "trace.log")
	if err := tf.SetLog("TRACE"); err != nil {
		t.Fatal(err)
	}
	if err := tf.SetLogPath(logPath); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if changes, err := tf.Plan(ctx); err != nil || changes {
		t.Fatalf("second plan: changes=%v err=%v", changes, err)
	}
	ids := m.EabCredentialIDs()
	if len(ids) != 2 {
		t.Fatalf("%d credentials created, want 2", len(ids))
	}
	var keys []string
	var certManager mockserver.EabCredentialInfo
	for _, id := range ids {
		info, _ := m.EabCredential(id)
		keys = append(keys, info.HMACKey)
		if info.Alias == "cert-manager-prod" {
			certManager = info
		}
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kid, key string
	_ = json.Unmarshal(out["eab_kid"].Value, &kid)
	_ = json.Unmarshal(out["eab_hmac_key"].Value, &key)
	if kid != certManager.Kid || key != certManager.HMACKey || key == "" || !out["eab_hmac_key"].Sensitive {
		t.Fatalf("outputs kid=%q key set=%v sensitive=%v; want the cert-manager credential's", kid, key != "", out["eab_hmac_key"].Sensitive)
	}

	// The documented import: the credential comes back without its key.
	const addr = "ncloudcert_acme_eab_credential.cert_manager"
	if err := tf.StateRm(ctx, addr); err != nil {
		t.Fatal(err)
	}
	if err := tf.Import(ctx, addr, strconv.FormatInt(certManager.AccountID, 10)); err != nil {
		t.Fatalf("import: %v", err)
	}
	state, err := tf.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range stateResources(state) {
		if r.Address == addr && (r.AttributeValues["eab_hmac_key"] != nil || r.AttributeValues["eab_kid"] != certManager.Kid) {
			t.Fatalf("imported: eab_hmac_key set=%v eab_kid=%v", r.AttributeValues["eab_hmac_key"] != nil, r.AttributeValues["eab_kid"])
		}
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	for _, id := range ids {
		if info, _ := m.EabCredential(id); info.Status != "deactivated" {
			t.Errorf("credential %d is %s after destroy", id, info.Status)
		}
	}

	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(logs, []byte(mockserver.OpCreateEabCredential)) {
		t.Fatal("the trace log does not show the provider's requests: the secret check would prove nothing")
	}
	for _, k := range append(keys, mockserver.DemoSecretKey) {
		if strings.Contains(string(logs), k) {
			t.Errorf("a secret (%d characters) appears in TF_LOG=trace output", len(k))
		}
	}
}

// The guide's first configuration applies as written, and its outputs are what the guide's
// certbot command and Secret read with terraform output -raw.
func TestAccGuide_acmeClientsOutputs(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../templates/guides/acme-clients.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	start := strings.Index(guide, "```terraform\n")
	end := strings.Index(guide[start+1:], "```\n")
	if start < 0 || end < 0 {
		t.Fatal("the guide has no terraform block")
	}
	block := guide[start+len("```terraform\n") : start+1+end]
	for _, want := range []string{`variable "acme_directory_url"`, `output "eab_hmac_key"`, `output "eab_kid"`} {
		if !strings.Contains(block, want) {
			t.Fatalf("the guide's first block lacks %s", want)
		}
	}
	for _, want := range []string{"certbot certonly", "--server", "--eab-kid", "--eab-hmac-key", "terraform output -raw eab_hmac_key", "ClusterIssuer", "externalAccountBinding"} {
		if !strings.Contains(guide, want) {
			t.Errorf("the guide lacks %q", want)
		}
	}
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	writeFile(t, filepath.Join(dir, "main.tf"), block)
	ctx := context.Background()
	const url = "https://acme.example.test/directory"
	if err := tf.Apply(ctx, tfexec.Var("acme_directory_url="+url)); err != nil {
		t.Fatalf("apply: %v", err)
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	info := m.onlyEab(t)
	var gotURL, kid, key string
	_ = json.Unmarshal(out["acme_directory_url"].Value, &gotURL)
	_ = json.Unmarshal(out["eab_kid"].Value, &kid)
	_ = json.Unmarshal(out["eab_hmac_key"].Value, &key)
	if gotURL != url || kid != info.Kid || key != info.HMACKey {
		t.Fatalf("outputs: url=%q kid=%q key matches=%v", gotURL, kid, key == info.HMACKey)
	}
	if err := tf.Destroy(ctx, tfexec.Var("acme_directory_url="+url)); err != nil {
		t.Fatalf("destroy: %v", err)
	}
}
