package provider

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// Ownership through the real CLI: what a user sees after an interrupted apply, and that a
// certificate of someone else is never taken, refreshed into state or deleted.

// providerFor is a provider block for a server URL and a retry count.
func providerFor(url string, maxRetries int) string {
	return fmt.Sprintf(`
provider "ncloudcert" {
  endpoint    = %q
  access_key  = %q
  secret_key  = %q
  max_retries = %d
}
`, url, mockserver.DemoAccessKey, mockserver.DemoSecretKey, maxRetries)
}

// namedExternalConfig is a resource block with its own resource name.
func namedExternalConfig(resourceName, name string, leaf testLeaf, chain string) string {
	return strings.Replace(externalConfig(name, leaf, chain), `"ncloudcert_external_certificate" "test"`,
		fmt.Sprintf(`"ncloudcert_external_certificate" %q`, resourceName), 1)
}

// hangAfterCreate commits every create on the mock, then holds the answer until the client
// goes away: the moment an interrupted apply leaves behind.
type hangAfterCreate struct {
	mock      http.Handler
	committed chan string // the names registered
	release   chan struct{}
}

func (h *hangAfterCreate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/certificate/withExternal") {
		h.mock.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	h.mock.ServeHTTP(rec, r)
	h.committed <- rec.Body.String()
	select {
	case <-r.Context().Done():
	case <-h.release:
	}
}

// After Terraform is killed mid-apply, the certificates it registered are on the service
// but in no state. The next apply takes none of them: it reports each with its import
// block; after importing, one apply converges with no duplicate and nothing deleted.
func TestAccCLI_recoverFromKilledApply(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	ca := testCertificateAuthority(t)
	names := []string{"crash-a", "crash-b"}
	var leaves []testLeaf
	for _, n := range names {
		leaves = append(leaves, ca.issue(t, n+".example.com", nil))
	}
	resources := func() string {
		var b strings.Builder
		for i, n := range names {
			b.WriteString(namedExternalConfig(n, n, leaves[i], ca.intermediatePEM))
		}
		return b.String()
	}

	hang := &hangAfterCreate{mock: m, committed: make(chan string, len(names)), release: make(chan struct{})}
	standIn := httptest.NewServer(hang)
	t.Cleanup(func() { close(hang.release); standIn.Close() })
	writeFile(t, filepath.Join(dir, "main.tf"), providerFor(standIn.URL, 0)+resources())
	killedApply(t, dir, hang.committed, len(names))
	if n := m.Stats().Certificates; n != len(names) {
		t.Fatalf("%d certificates registered before the kill, want %d", n, len(names))
	}

	// The next apply refuses to take them, and says how to import each.
	writeFile(t, filepath.Join(dir, "main.tf"), providerFor(m.URL, 1)+resources())
	ctx := context.Background()
	err := tf.Apply(ctx)
	if err == nil {
		t.Fatal("apply after the kill succeeded: it must not adopt certificates it cannot prove it created")
	}
	var imports strings.Builder
	for _, no := range []int64{100001, 100002} {
		info, ok := m.Certificate(no)
		if !ok {
			t.Fatalf("certificate %d missing", no)
		}
		for _, want := range []string{
			fmt.Sprintf("Certificate Manager already has certificate %d named %q", no, info.Name),
			"holds the same certificate as this configuration",
			fmt.Sprintf("terraform import ncloudcert_external_certificate.<name> %d", no),
			fmt.Sprintf("id = \"%d\"", no),
		} {
			if !strings.Contains(oneLine(err.Error()), oneLine(want)) {
				t.Errorf("apply error lacks %q:\n%s", want, err)
			}
		}
		fmt.Fprintf(&imports, "import {\n  to = ncloudcert_external_certificate.%s\n  id = \"%d\"\n}\n", info.Name, no)
	}
	writeFile(t, filepath.Join(dir, "imports.tf"), imports.String())
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply with the import blocks: %v", err)
	}
	if changes, err := tf.Plan(ctx); err != nil || changes {
		t.Fatalf("plan after the import: changes=%v err=%v, want no changes", changes, err)
	}
	st := m.Stats()
	if st.Certificates != len(names) || st.Requests["deleteCertificate"] != 0 || st.Requests["RegisterExternalCertificate"] != 0 {
		t.Errorf("stats %+v: want %d certificates, nothing deleted or renewed", st, len(names))
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
}

// killedApply runs terraform apply and kills Terraform and its provider (the process group)
// once want creates have been committed on the service.
func killedApply(t *testing.T, dir string, committed <-chan string, want int) {
	t.Helper()
	tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tfPath == "" {
		tfPath = "terraform"
	}
	cmd := exec.Command(tfPath, "apply", "-auto-approve", "-input=false", "-no-color")
	cmd.Dir = dir
	cmd.Env = []string{"TF_CLI_CONFIG_FILE=" + filepath.Join(dir, ".terraformrc"), "HOME=" + dir, "PATH=" + os.Getenv("PATH"), "CHECKPOINT_DISABLE=1"}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	kill := func() { once.Do(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }) }
	t.Cleanup(kill)
	timeout := time.After(2 * time.Minute)
	for got := 0; got < want; got++ {
		select {
		case <-committed:
		case <-timeout:
			kill()
			_ = cmd.Wait()
			t.Fatalf("only %d of %d creates reached the service:\n%s", got, want, out.String())
		}
	}
	kill()
	_ = cmd.Wait()
}

// oneLine folds whitespace, so that messages compare whatever the CLI's line wrapping.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
}

// The issue this guards against: another workspace holds the name with its own certificate;
// our create's outcome is unknown (a 503, then the look-up fails too). The next plan must
// not read that certificate into our state, and a destroy without refresh must not delete it.
func TestAccCLI_unconfirmedCreateNeverTakesAnothersCertificate(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	ca := testCertificateAuthority(t)
	theirs := ca.issue(t, "prod.example.com", nil)
	ours := ca.issue(t, "prod.example.com", nil)
	foreign := registerOutside(t, m, "prod-cert", theirs, ca.intermediatePEM)

	var out bytes.Buffer
	tf.SetStdout(&out)
	writeFile(t, filepath.Join(dir, "main.tf"), providerFor(m.URL, 0)+externalConfig("prod-cert", ours, ca.intermediatePEM))
	m.AddFault(mockserver.Fault{Operation: "createExternalCertificate", Count: 1, Status: 503})
	m.AddFault(mockserver.Fault{Operation: "getCertificateList", Count: 1, Status: 503})
	ctx := context.Background()
	if err := tf.Apply(ctx); err == nil || !strings.Contains(err.Error(), "outcome of the request is unknown") {
		t.Fatalf("apply: want the unknown-outcome error, got %v", err)
	}

	// A plan warns and forgets instead of reading their certificate in.
	out.Reset()
	if _, err := tf.Plan(ctx); err != nil {
		t.Fatalf("plan: %v", err)
	}
	for _, want := range []string{"Forgetting a certificate that was never confirmed", "belongs to someone else", "Plan: 1 to add, 0 to change, 0 to destroy"} {
		if !strings.Contains(oneLine(out.String()), want) {
			t.Errorf("plan output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "destroy and then create replacement") {
		t.Errorf("plan replaces a certificate it does not own:\n%s", out.String())
	}

	// A destroy without refresh deletes nothing and says why.
	out.Reset()
	if err := tf.Destroy(ctx, tfexec.Refresh(false)); err != nil {
		t.Fatalf("destroy -refresh=false: %v", err)
	}
	if !strings.Contains(oneLine(out.String()), "Nothing deleted") {
		t.Errorf("destroy output lacks the warning:\n%s", out.String())
	}
	if info, ok := m.Certificate(foreign.No); !ok || client.NormalizeSerial(info.SerialNumber) != theirs.serial() {
		t.Fatalf("their certificate was changed or deleted: %+v", info)
	}
	if n := m.Requests("deleteCertificate"); n != 0 {
		t.Errorf("%d delete requests, want 0", n)
	}
}

// registerOutside registers a certificate the way another workspace or tool would.
func registerOutside(t *testing.T, m *testMock, name string, leaf testLeaf, chain string) *client.Certificate {
	t.Helper()
	cert, err := m.client(t).CreateExternalCertificate(context.Background(), client.ExternalCertificateInput{
		Name: name, PrivateKey: leaf.keyPEM, Certificate: leaf.certPEM, Chain: chain, SerialNumber: leaf.serial(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
