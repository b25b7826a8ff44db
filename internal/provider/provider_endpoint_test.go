package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// endpointProvider is a provider block for endpoint, with extra lines inside it.
func endpointProvider(endpoint string, extra ...string) string {
	return fmt.Sprintf(`
provider "ncloudcert" {
  endpoint    = %q
  access_key  = %q
  secret_key  = %q
  max_retries = 0
%s
}
`, endpoint, mockserver.DemoAccessKey, mockserver.DemoSecretKey, strings.Join(extra, "\n"))
}

// Keys never cross the network in clear: http:// reaches only loopback addresses unless the
// configuration opts in. Each refusal is a plan-time error on endpoint, before any request.
func TestAccProvider_cleartextEndpoint(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "clear.example.com", nil)
	res := externalConfig("acc-clear", leaf, ca.intermediatePEM)
	refused := regexp.MustCompile(`(?s)Cleartext endpoint refused.*with provider\["registry\.(terraform\.io|opentofu\.org)/hashicorp/ncloudcert"\].*endpoint\s+= "http://.*Private keys.*allow_insecure_http = true`)
	// localhost and the mock's own 127.0.0.1 both name the loopback interface.
	localhost := strings.Replace(m.URL, "127.0.0.1", "localhost", 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{Config: endpointProvider("http://certificates.internal.example:8080") + res, PlanOnly: true, ExpectError: refused},
			{Config: endpointProvider("http://10.1.2.3") + res, PlanOnly: true, ExpectError: refused},
			{Config: endpointProvider("http://[fe80::1]:8080") + res, PlanOnly: true, ExpectError: refused},
			{Config: endpointProvider("http://certificates.internal.example:8080", "allow_insecure_http = false") + res, PlanOnly: true, ExpectError: refused},
			// Opted in: configured, and the plan (which sends nothing for a create) is made.
			{Config: endpointProvider("http://certificates.internal.example:8080", "allow_insecure_http = true") + res, PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: endpointProvider("https://certificates.internal.example") + res, PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: endpointProvider(localhost) + res, PlanOnly: true, ExpectNonEmptyPlan: true, Check: m.expectNoRequests},
		},
	})
	if n := m.Requests("getCertificateList"); n != 0 {
		t.Errorf("%d requests reached the service", n)
	}
}
