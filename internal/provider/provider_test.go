package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// Short waits keep retry and in-use tests fast; the policy is the same as in production.
var testTimings = WithTimings(time.Millisecond, 20*time.Millisecond, 50*time.Millisecond)

// testPollCap keeps the validation waiter's growing interval short.
var testPollCap = WithPollIntervalMax(200 * time.Millisecond)

func testProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"ncloudcert": providerserver.NewProtocol6WithError(New("test", testTimings, testPollCap)()),
	}
}

// liveMode: `make testacc-live` runs the tests that need no fault injection against the
// real service, with credentials from NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY.
func liveMode() bool { return os.Getenv("NCLOUDCERT_LIVE") == "1" }

// testMock is one in-process mock server per test, closed by t.Cleanup; in live mode it
// stands for the real service and its mock-only checks pass through.
type testMock struct {
	*mockserver.Server
	URL  string
	live bool
}

// newTestMock is for tests that need the mock's controls (faults, in-use marks, counts).
func newTestMock(t *testing.T, opts ...mockserver.Options) *testMock {
	t.Helper()
	if liveMode() {
		t.Skip("needs the mock server's fault and inspection controls")
	}
	var o mockserver.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	m, err := mockserver.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return &testMock{Server: m, URL: srv.URL}
}

// newTestTarget is the mock, or the real service in live mode.
func newTestTarget(t *testing.T) *testMock {
	t.Helper()
	if liveMode() {
		return &testMock{live: true}
	}
	return newTestMock(t)
}

// providerBlock configures the provider for this mock in HCL (never through process env).
func (m *testMock) providerBlock() string {
	if m.live {
		return `
provider "ncloudcert" {}
`
	}
	return fmt.Sprintf(`
provider "ncloudcert" {
  endpoint    = %q
  access_key  = %q
  secret_key  = %q
  max_retries = 4
}
`, m.URL, mockserver.DemoAccessKey, mockserver.DemoSecretKey)
}

// client talks to the service the way another tool would: for changes outside Terraform.
func (m *testMock) client(t *testing.T) *client.Client {
	t.Helper()
	cfg := client.Config{
		AccessKey: mockserver.DemoAccessKey, SecretKey: mockserver.DemoSecretKey, Endpoint: m.URL,
		MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond, PollInterval: 10 * time.Millisecond,
	}
	if m.live {
		cfg = client.Config{AccessKey: os.Getenv("NCLOUD_ACCESS_KEY"), SecretKey: os.Getenv("NCLOUD_SECRET_KEY"), MaxRetries: 5}
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkNoCertificates is a CheckDestroy that asks the mock.
func (m *testMock) checkNoCertificates(*terraformState) error {
	if m.live {
		return nil
	}
	if n := m.Stats().Certificates; n != 0 {
		return fmt.Errorf("%d certificates left on the service after destroy", n)
	}
	return nil
}

// expectRequests checks the number of requests one operation received so far.
func (m *testMock) expectRequests(operation string, want int) resource.TestCheckFunc {
	return func(*terraformState) error {
		if m.live {
			return nil
		}
		if got := m.Requests(operation); got != want {
			return fmt.Errorf("%s received %d requests, want %d", operation, got, want)
		}
		return nil
	}
}

// expectNoRequests checks that nothing at all reached the service.
func (m *testMock) expectNoRequests(*terraformState) error {
	if m.live {
		return nil
	}
	n := 0
	for _, c := range m.Stats().Requests {
		n += c
	}
	if n != 0 {
		return fmt.Errorf("%d requests reached the service: %v", n, m.Stats().Requests)
	}
	return nil
}

func (m *testMock) expectCertificates(want int) resource.TestCheckFunc {
	return func(*terraformState) error {
		if m.live {
			return nil
		}
		if got := m.Stats().Certificates; got != want {
			return fmt.Errorf("the service holds %d certificates, want %d", got, want)
		}
		return nil
	}
}

// hcl renders a string as an HCL heredoc-free literal (PEM contains newlines).
func hcl(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// externalConfig renders a resource block; extra lines go inside it.
func externalConfig(name string, leaf testLeaf, chain string, extra ...string) string {
	return fmt.Sprintf(`
resource "ncloudcert_external_certificate" "test" {
  name                  = %s
  certificate_pem       = %s
  certificate_chain_pem = %s
  private_key_pem       = %s
%s
}
`, hcl(name), hcl(leaf.certPEM), hcl(chain), hcl(leaf.keyPEM), strings.Join(extra, "\n"))
}

// noSecretsInState fails when key material appears anywhere in the state.
type noSecretsInState struct{ secrets []string }

func (c noSecretsInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if strings.Contains(string(raw), "PRIVATE KEY") {
		resp.Error = fmt.Errorf("private key material found in state")
		return
	}
	for _, s := range c.secrets {
		body := strings.TrimSpace(s)
		if i := strings.Index(body, "\n"); i > 0 {
			body = body[i+1 : i+41] // a slice of the base64 body survives any re-encoding
		}
		if strings.Contains(string(raw), body) {
			resp.Error = fmt.Errorf("private key material found in state")
			return
		}
	}
}
