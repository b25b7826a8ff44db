package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The documented examples run through the real Terraform CLI and the built provider binary
// against the mock, the way a user runs them, so the docs never lie. TF_LOG=trace output is
// searched for secrets along the way.

var (
	providerBinaryOnce sync.Once
	providerBinaryDir  string
	providerBinaryErr  error
)

// builtProvider builds the provider binary once per test run.
func builtProvider(t *testing.T) string {
	t.Helper()
	providerBinaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ncloudcert-provider-")
		if err != nil {
			providerBinaryErr = err
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-ncloudcert"), "../..").CombinedOutput()
		if err != nil {
			providerBinaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
		providerBinaryDir = dir
	})
	if providerBinaryErr != nil {
		t.Fatal(providerBinaryErr)
	}
	return providerBinaryDir
}

// cliTerraform prepares a working directory that uses the built provider through dev_overrides.
func cliTerraform(t *testing.T, m *testMock, minVersion string) (*tfexec.Terraform, string) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run the Terraform CLI over the examples")
	}
	tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tfPath == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Skip("no terraform binary: set TF_ACC_TERRAFORM_PATH")
		}
		tfPath = p
	}
	dir := t.TempDir()
	tf, err := tfexec.NewTerraform(dir, tfPath)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := tf.Version(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if v.LessThan(version.Must(version.NewVersion(minVersion))) {
		t.Skipf("Terraform %s is older than %s", v, minVersion)
	}
	binDir := builtProvider(t)
	cliConfig := filepath.Join(dir, ".terraformrc")
	// Both registry hosts: Terraform resolves ncloudcert/ncloudcert on registry.terraform.io,
	// OpenTofu on registry.opentofu.org.
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/ncloudcert/ncloudcert" = %[1]q
    "registry.opentofu.org/ncloudcert/ncloudcert" = %[1]q
  }
  direct {}
}
`, binDir))
	if err := tf.SetEnv(map[string]string{
		"TF_CLI_CONFIG_FILE":                  cliConfig,
		"NCLOUD_ACCESS_KEY":                   mockserver.DemoAccessKey,
		"NCLOUD_SECRET_KEY":                   mockserver.DemoSecretKey,
		"NCLOUD_CERTIFICATE_MANAGER_ENDPOINT": m.URL,
		"CHECKPOINT_DISABLE":                  "1",
		"HOME":                                dir,
		"PATH":                                os.Getenv("PATH"),
	}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "providers.tf"), `terraform {
  required_providers {
    ncloudcert = { source = "ncloudcert/ncloudcert" }
  }
}
`)
	return tf, dir
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(b))
}

func TestAccExample_externalCertificate(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.11.0")
	ca := testCertificateAuthority(t)
	www := ca.issue(t, "www.example.com", []string{"example.com"})
	api := ca.issue(t, "api.example.com", nil, leafOptions{rsa: true})
	copyFile(t, "../../examples/resources/ncloudcert_external_certificate/resource.tf", filepath.Join(dir, "main.tf"))
	writeFile(t, filepath.Join(dir, "certs/www.crt"), www.certPEM)
	writeFile(t, filepath.Join(dir, "certs/www.key"), www.keyPEM)
	writeFile(t, filepath.Join(dir, "certs/api.crt"), api.certPEM)
	writeFile(t, filepath.Join(dir, "certs/api.key"), api.keyPEM)
	writeFile(t, filepath.Join(dir, "certs/chain.crt"), ca.intermediatePEM+ca.rootPEM)

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
	changes, err := tf.Plan(ctx)
	if err != nil || changes {
		t.Fatalf("second plan: changes=%v err=%v", changes, err)
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if no := string(out["www_certificate_no"].Value); no == "" || no == "null" {
		t.Fatalf("www_certificate_no output is %q", no)
	}
	if n := m.Stats().Certificates; n != 2 {
		t.Fatalf("%d certificates registered, want 2", n)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if n := m.Stats().Certificates; n != 0 {
		t.Fatalf("%d certificates left after destroy", n)
	}

	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(logs, []byte("createExternalCertificate")) {
		t.Fatal("the trace log does not show the provider's requests: the secret check would prove nothing")
	}
	for what, secret := range map[string]string{
		"secret key":      mockserver.DemoSecretKey,
		"www private key": keyBody(www.keyPEM),
		"api private key": keyBody(api.keyPEM),
	} {
		if bytes.Contains(logs, []byte(secret)) {
			i := bytes.Index(logs, []byte(secret))
			t.Errorf("the %s appears in TF_LOG=trace output: ...%s...", what, logs[max(0, i-1500):i+100])
		}
	}
}

// keyBody is a stretch of a key's base64 body, found whatever the line endings around it.
func keyBody(keyPEM string) string {
	lines := strings.Split(strings.TrimSpace(keyPEM), "\n")
	return lines[1]
}

// A certificate expiring soon plans with a warning on certificate_pem.
func TestAccExample_expiryWarning(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	ca := testCertificateAuthority(t)
	soon := ca.issue(t, "soon.example.com", nil, leafOptions{notAfter: time.Now().Add(10 * 24 * time.Hour)})
	// Credentials in HCL this time: they must stay out of the trace log as well.
	writeFile(t, filepath.Join(dir, "main.tf"), m.providerBlock()+externalConfig("soon", soon, ca.intermediatePEM))
	logPath := filepath.Join(dir, "trace.log")
	if err := tf.SetLog("TRACE"); err != nil {
		t.Fatal(err)
	}
	if err := tf.SetLogPath(logPath); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := tf.PlanJSON(context.Background(), &buf); err != nil {
		t.Fatalf("plan: %v\n%s", err, buf.String())
	}
	if logs, err := os.ReadFile(logPath); err != nil || bytes.Contains(logs, []byte(mockserver.DemoSecretKey)) || bytes.Contains(logs, []byte(keyBody(soon.keyPEM))) {
		t.Fatalf("the secret key or private key appears in TF_LOG=trace output (or the log is missing: %v)", err)
	}
	if !strings.Contains(buf.String(), "Certificate expires soon") || !strings.Contains(buf.String(), `"severity":"warning"`) {
		t.Fatalf("no expiry warning in the plan output:\n%s", buf.String())
	}
	if err := m.expectNoRequests(nil); err != nil {
		t.Fatalf("planning a new certificate: %v", err)
	}
	// Once registered, every plan keeps warning until the certificate is renewed.
	if err := tf.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	changes, err := tf.PlanJSON(context.Background(), &buf)
	if err != nil || changes || !strings.Contains(buf.String(), "Certificate expires soon") {
		t.Fatalf("plan after apply: changes=%v err=%v, want no changes and the warning:\n%s", changes, err, buf.String())
	}
	if err := tf.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestMain removes the provider binary built for the CLI tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if providerBinaryDir != "" {
		_ = os.RemoveAll(providerBinaryDir)
	}
	os.Exit(code)
}

// A create whose outcome stayed unknown leaves only the name in state; destroying without a
// refresh still finds the certificate by name and deletes it.
func TestAccCLI_destroyUnknownCreateWithoutRefresh(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "norefresh.example.com", nil)
	// One retry keeps the built binary's real backoff short.
	provider := strings.Replace(m.providerBlock(), "max_retries = 4", "max_retries = 1", 1)
	writeFile(t, filepath.Join(dir, "main.tf"), provider+externalConfig("acc-no-refresh", leaf, ca.intermediatePEM))
	m.AddFault(mockserver.Fault{Operation: "createExternalCertificate", Count: 1, Drop: true, AfterCommit: true})
	m.AddFault(mockserver.Fault{Operation: "getCertificateList", Count: 2, Status: 503}) // 1 + max_retries
	ctx := context.Background()
	if err := tf.Apply(ctx); err == nil || !strings.Contains(err.Error(), "outcome of the request is unknown") {
		t.Fatalf("apply: want the unknown-outcome error, got %v", err)
	}
	if n := m.Stats().Certificates; n != 1 {
		t.Fatalf("%d certificates on the service, want the 1 whose answer was lost", n)
	}
	if err := tf.Destroy(ctx, tfexec.Refresh(false)); err != nil {
		t.Fatalf("destroy -refresh=false: %v", err)
	}
	if n := m.Stats().Certificates; n != 0 {
		t.Fatalf("%d certificates left after destroy", n)
	}
}
