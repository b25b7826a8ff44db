package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// outputs reads the named outputs into the given values.
func outputs(t *testing.T, out map[string]json.RawMessage, into map[string]any) {
	t.Helper()
	for key, v := range into {
		raw, ok := out[key]
		if !ok {
			t.Fatalf("no output %s", key)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("output %s: %v", key, err)
		}
	}
}

// The organizations and certificate types examples, applied as written.
func TestAccExample_catalogDataSources(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedTestOrganizations(t, m)
	tf, dir := cliTerraform(t, m, "1.5.0")
	ctx := context.Background()
	for _, name := range []string{"ncloudcert_organizations", "ncloudcert_certificate_types"} {
		copyFile(t, "../../examples/data-sources/"+name+"/data-source.tf", filepath.Join(dir, name+".tf"))
	}
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]json.RawMessage{}
	for k, v := range out {
		raw[k] = v.Value
	}
	var orgNo int64
	var verification map[string]string
	var described map[string]string
	var paid []string
	outputs(t, raw, map[string]any{"organization_no": &orgNo, "verification": &verification, "certificate_types": &described, "paid_types": &paid})
	if orgNo != 1001 {
		t.Errorf("organization_no = %d, want 1001 (Example Corp, verified)", orgNo)
	}
	if len(verification) != 1 || verification["1001"] != "verified" {
		t.Errorf("verification = %v", verification)
	}
	if len(described) != 4 || described["NCP_PAID_OV_01"] != "Advanced OV: PAID, OV, 365 days, CSR required" {
		t.Errorf("certificate_types = %v", described)
	}
	if strings.Join(paid, ",") != "advanced_dv,advanced_ov" {
		t.Errorf("paid_types = %v", paid)
	}
}

// The function's example: a certificate from a file and one from the service.
func TestAccExample_parseCertificateFunction(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.8.0")
	ctx := context.Background()
	ca := testCertificateAuthority(t)
	www := ca.issue(t, "www.example.com", []string{"example.com"}, leafOptions{notAfter: time.Now().Add(10 * 24 * time.Hour)})
	writeFile(t, filepath.Join(dir, "www.example.com.crt"), strings.ReplaceAll(www.certPEM, "\n", "\r\n"))
	api := ca.issue(t, "api.example.net", nil)
	registerOutside(t, m, "api-example-com", api, ca.intermediatePEM)
	copyFile(t, "../../examples/functions/parse_certificate/function.tf", filepath.Join(dir, "function.tf"))
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]json.RawMessage{}
	for k, v := range out {
		raw[k] = v.Value
	}
	var parsed map[string]any
	var valid bool
	var apiNotAfter string
	outputs(t, raw, map[string]any{"www_certificate": &parsed, "www_valid_for_30_days": &valid, "api_not_after": &apiNotAfter})
	if parsed["common_name"] != "www.example.com" || parsed["not_after"] != www.cert.NotAfter.UTC().Format(time.RFC3339) ||
		parsed["key_algorithm"] != "ECDSA P-256" || len(parsed["sha256_fingerprint"].(string)) != 64 {
		t.Errorf("www_certificate = %v", parsed)
	}
	if valid {
		t.Error("www_valid_for_30_days = true for a certificate expiring in 10 days")
	}
	if apiNotAfter != api.cert.NotAfter.UTC().Format(time.RFC3339) {
		t.Errorf("api_not_after = %q, want %s", apiNotAfter, api.cert.NotAfter.UTC().Format(time.RFC3339))
	}
}

// The guide's checks: silent while every certificate is good for long, one warning each
// once a certificate of the account and the monitored PEM expire soon; the run succeeds.
func TestAccGuide_expiryMonitoring(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.8.0")
	ctx := context.Background()
	ca := testCertificateAuthority(t)
	good := ca.issue(t, "good.example.com", nil)
	registerOutside(t, m, "good-example-com", good, ca.intermediatePEM)
	copyFile(t, "../../examples/guides/expiry-monitoring/checks.tf", filepath.Join(dir, "checks.tf"))
	setPEM := func(pem string) {
		b, _ := json.Marshal(map[string]string{"monitored_certificate_pem": pem})
		writeFile(t, filepath.Join(dir, "monitored.auto.tfvars.json"), string(b))
	}
	plan := func() string {
		t.Helper()
		var buf bytes.Buffer
		if _, err := tf.PlanJSON(ctx, &buf); err != nil {
			t.Fatalf("plan: %v\n%s", err, buf.String())
		}
		return buf.String()
	}
	setPEM(good.certPEM)
	if out := plan(); strings.Contains(out, "Check block assertion failed") {
		t.Fatalf("a check fails while every certificate is good:\n%s", out)
	}

	soon := ca.issue(t, "soon.example.com", nil, leafOptions{notAfter: time.Now().Add(10 * 24 * time.Hour)})
	no := registerOutside(t, m, "soon-example-com", soon, ca.intermediatePEM).No
	setPEM(soon.certPEM)
	out := plan()
	for _, want := range []string{
		`Certificates expiring within 30 days: soon-example-com (` + dsNo(no) + `) on ` + soon.cert.NotAfter.UTC().Format(time.RFC3339),
		`The certificate for soon.example.com (serial ` + certificateSerial(soon.cert) + `) expires at ` + soon.cert.NotAfter.UTC().Format(time.RFC3339) + `, within 14 days.`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no warning %q in the plan:\n%s", want, out)
		}
	}
	if strings.Count(out, `"summary":"Check block assertion failed"`) != 2 || !strings.Contains(out, `"severity":"warning"`) || strings.Contains(out, `"severity":"error"`) {
		t.Errorf("want exactly two check warnings and no error:\n%s", out)
	}
	if err := tf.Apply(ctx); err != nil { // warnings never stop an apply
		t.Fatalf("apply: %v", err)
	}
}
