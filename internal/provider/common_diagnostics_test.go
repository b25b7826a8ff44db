package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// A 403 is blamed on API 2.0 only when it answered an API 2.0 call.
func TestAddClientErrorForbiddenAdvice(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		want, not string
	}{
		{"v2", &client.APIError{Operation: "RegisterExternalCertificate", HTTPStatus: 403, V2: true}, "only main-account keys may call", "allowed-IP"},
		{"v1", &client.APIError{Operation: "getCertificateList", HTTPStatus: 403}, "allowed-IP restriction", "API 2.0"},
	} {
		var diags diag.Diagnostics
		addClientError(&diags, "Error", tc.err)
		if len(diags) != 1 {
			t.Fatalf("%s: %d diagnostics", tc.name, len(diags))
		}
		detail := diags[0].Detail()
		if !strings.Contains(detail, tc.want) || strings.Contains(detail, tc.not) {
			t.Errorf("%s: detail %q: want %q, not %q", tc.name, detail, tc.want, tc.not)
		}
	}
}
