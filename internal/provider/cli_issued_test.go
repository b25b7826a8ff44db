package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The documented for_each wiring, through the Terraform CLI over the example itself (design
// §6: plugin-testing cannot hold for_each instances). A single plan before anything exists
// proves the map's keys are known at plan time; the records the example hands to its DNS
// stand-in (terraform_data) are then published to the mock's DNS, as a DNS provider would,
// and the validation in the example succeeds only if they are the right ones.
func TestAccExample_issuedCertificateForEach(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	copyFile(t, "../../examples/resources/ncloudcert_issued_certificate/resource.tf", filepath.Join(dir, "main.tf"))
	ctx := context.Background()

	// 1. One plan, nothing exists yet: for_each over the records is planned with its keys.
	keys := plannedRecordKeys(ctx, t, tf, dir, "domain_validation_records")
	if !slices.Equal(keys, []string{"example.com"}) {
		t.Fatalf("planned DNS records %v, want one for the validation domain example.com (the wildcard and the apex share it)", keys)
	}
	if err := m.expectNoRequests(nil); err != nil {
		t.Fatalf("planning: %v", err)
	}

	// 2. The request and its records (what a DNS provider's resource would receive).
	if published := applyAndPublishRecords(ctx, t, tf, m); published != 1 {
		t.Fatalf("%d records published, want 1", published)
	}

	// 3. The rest: the validation succeeds with the records as published.
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	no := strings.TrimSpace(string(out["certificate_no"].Value))
	var certNo int64
	if _, err := fmt.Sscan(no, &certNo); err != nil {
		t.Fatalf("certificate_no output %q: %v", no, err)
	}
	if info, ok := m.Certificate(certNo); !ok || info.StatusName != "NORMAL" {
		t.Fatalf("certificate %d: %+v, want NORMAL", certNo, info)
	}
	if pemOut := string(out["certificate_pem"].Value); !strings.Contains(pemOut, "BEGIN CERTIFICATE") {
		t.Fatalf("output certificate_pem (from the validation) is %s, want the PEM in the apply that issued it", pemOut)
	}
	if changes, err := tf.Plan(ctx); err != nil || changes {
		t.Fatalf("plan after apply: changes=%v err=%v", changes, err)
	}
	if got := m.Requests(mockserver.OpCloudBasicCertificateRequest); got != 1 {
		t.Fatalf("%d requests, want 1", got)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if n := m.Stats().Certificates; n != 0 {
		t.Fatalf("%d certificates left after destroy", n)
	}
}

// stateResources lists the root module's resources of a state.
// applyAndPublishRecords applies the terraform_data records of the example (a stand-in for
// a DNS provider's record resource) and publishes each to the mock's DNS, as a DNS provider
// would; it returns how many it published.
func applyAndPublishRecords(ctx context.Context, t *testing.T, tf *tfexec.Terraform, m *testMock) int {
	t.Helper()
	if err := tf.Apply(ctx, tfexec.Target("terraform_data.validation_record")); err != nil {
		t.Fatalf("targeted apply: %v", err)
	}
	state, err := tf.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	published := 0
	for _, r := range stateResources(state) {
		if r.Type != "terraform_data" {
			continue
		}
		rec, _ := r.AttributeValues["output"].(map[string]any)
		var values []string
		raw, _ := rec["values"].([]any)
		for _, v := range raw {
			values = append(values, fmt.Sprint(v))
		}
		if err := m.PublishDNS(fmt.Sprint(rec["name"]), fmt.Sprint(rec["type"]), values...); err != nil {
			t.Fatal(err)
		}
		published++
	}
	return published
}

func stateResources(s *tfjson.State) []*tfjson.StateResource {
	if s == nil || s.Values == nil || s.Values.RootModule == nil {
		return nil
	}
	return s.Values.RootModule.Resources
}

// A request the service failed: every plan warns, naming the status and the service's reason,
// and plans a replacement; the apply deletes the failed request and requests anew.
func TestAccCLI_issuedFailedRequestWarning(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	writeFile(t, filepath.Join(dir, "main.tf"), `
resource "ncloudcert_issued_certificate" "test" {
  name        = "cli-failed"
  common_name = "failed.example.com"
}
`)
	ctx := context.Background()
	if err := tf.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	state, err := tf.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var first int64
	if _, err := fmt.Sscan(fmt.Sprint(stateResources(state)[0].AttributeValues["certificate_no"]), &first); err != nil {
		t.Fatal(err)
	}
	const reason = "the domain is on the CA's block list"
	if err := m.FailCertificate(first, reason); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	changes, err := tf.PlanJSON(ctx, &buf)
	if err != nil || !changes {
		t.Fatalf("plan: changes=%v err=%v\n%s", changes, err, buf.String())
	}
	for _, want := range []string{`"severity":"warning"`, "Certificate request failed", "status FAILED", reason, "The next apply replaces it", `"action":"replace"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("plan output lacks %q:\n%s", want, buf.String())
		}
	}
	if err := tf.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	if _, still := m.Certificate(first); still || m.Stats().Certificates != 1 || m.Requests(mockserver.OpCloudBasicCertificateRequest) != 2 {
		t.Fatalf("after apply: failed request kept=%v, %d certificates, %d requests; want it deleted, 1 certificate, 2 requests",
			still, m.Stats().Certificates, m.Requests(mockserver.OpCloudBasicCertificateRequest))
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
}

// The documented Advanced flow through the Terraform CLI over the example itself: for_each
// over the order's records is planned before anything exists; the records the example hands
// to its DNS stand-in are published to the mock's DNS; one apply then validates and
// registers the key.
func TestAccExample_advancedOrderForEach(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	copyFile(t, "../../examples/resources/ncloudcert_advanced_order/resource.tf", filepath.Join(dir, "main.tf"))
	csr, key := testOrderCSR(t)
	writeFile(t, filepath.Join(dir, "terraform.tfvars"), fmt.Sprintf("csr_pem = %q\nprivate_key_pem = %q\n", csr, key))
	ctx := context.Background()

	keys := plannedRecordKeys(ctx, t, tf, dir, "domain_validation_records")
	slices.Sort(keys)
	if !slices.Equal(keys, []string{orderAlternateName, orderCommonName}) {
		t.Fatalf("planned DNS records %v, want one per validation domain", keys)
	}
	if err := m.expectNoRequests(nil); err != nil {
		t.Fatalf("planning: %v", err)
	}
	if published := applyAndPublishRecords(ctx, t, tf, m); published != 2 {
		t.Fatalf("%d records published, want 2", published)
	}
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var certNo int64
	if _, err := fmt.Sscan(strings.TrimSpace(string(out["certificate_no"].Value)), &certNo); err != nil {
		t.Fatalf("certificate_no output: %v", err)
	}
	if info, ok := m.Certificate(certNo); !ok || info.StatusName != "NORMAL" {
		t.Fatalf("certificate %d: %+v, want NORMAL (key registered)", certNo, info)
	}
	if changes, err := tf.Plan(ctx); err != nil || changes {
		t.Fatalf("plan after apply: changes=%v err=%v", changes, err)
	}
	if got, want := m.Requests(mockserver.OpAdvancedCertificateRequest), 1; got != want {
		t.Fatalf("%d order requests, want %d", got, want)
	}
	if got := m.Requests(mockserver.OpRegisterPrivateKey); got != 1 {
		t.Fatalf("%d RegisterPrivateKey requests, want 1", got)
	}
	// The example keeps deletion_protection on: destroy is refused at plan time, and its
	// documented way out (false, apply, destroy) works.
	if err := tf.Destroy(ctx); err == nil || !strings.Contains(err.Error(), "protected from destroy") {
		t.Fatalf("destroy of a protected order: %v, want it refused", err)
	}
	main := filepath.Join(dir, "main.tf")
	text, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, main, strings.Replace(string(text), "deletion_protection = true", "deletion_protection = false", 1))
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply deletion_protection = false: %v", err)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if n := m.Stats().Certificates; n != 0 {
		t.Fatalf("%d certificates left after destroy", n)
	}
}

// plannedRecordKeys runs the first plan of an example, before anything exists, and returns the
// keys of its DNS stand-in (terraform_data.validation_record): for_each over the records map
// (named attr) must plan with its keys known.
func plannedRecordKeys(ctx context.Context, t *testing.T, tf *tfexec.Terraform, dir, attr string) []string {
	t.Helper()
	planFile := filepath.Join(dir, "first.tfplan")
	if _, err := tf.Plan(ctx, tfexec.Out(planFile)); err != nil {
		t.Fatalf("the first plan must succeed with for_each over %s: %v", attr, err)
	}
	plan, err := tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, rc := range plan.ResourceChanges {
		if rc.Type == "terraform_data" && rc.Name == "validation_record" {
			keys = append(keys, fmt.Sprint(rc.Index))
		}
	}
	return keys
}
