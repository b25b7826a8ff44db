package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// firstMockCertificateNo is the number a fresh mock gives its first certificate.
const firstMockCertificateNo = 100001

// publishWhenRequested publishes the records of the mock's first certificate as soon as it
// is requested, as a DNS provider's record resources would in the same apply; it stops when
// ctx ends.
func publishWhenRequested(ctx context.Context, m *testMock) {
	go func() {
		for ctx.Err() == nil {
			if _, ok := m.Certificate(firstMockCertificateNo); ok {
				_ = m.PublishDCV(firstMockCertificateNo)
				return
			}
			pollPause()
		}
	}()
}

// The documented one-apply flow, for Cloud Basic and Global Edge, with what users wire to
// it: for_each consumers of each.value (the whole record), the certificate's PEM taken from
// the validation into another resource and an output. After the one apply, the next plan is
// empty: nothing in a record changes on validation, and the validation has the PEM already.
func TestAccCLI_issuedOneApplyNextPlanEmpty(t *testing.T) {
	for _, typ := range []string{"cloud_basic", "global_edge"} {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			tf, dir := cliTerraform(t, m, "1.5.0")
			writeFile(t, filepath.Join(dir, "main.tf"), fmt.Sprintf(`
resource "ncloudcert_issued_certificate" "web" {
  name_prefix = "cli-one-"
  type        = %q
  common_name = "*.one.example.com"
  dns_names   = ["one.example.com", "api.one.example.com"]
}

resource "terraform_data" "validation_record" {
  for_each = ncloudcert_issued_certificate.web.domain_validation_records
  input    = each.value
}

resource "ncloudcert_certificate_validation" "web" {
  certificate_no          = ncloudcert_issued_certificate.web.certificate_no
  validation_record_fqdns = [for r in terraform_data.validation_record : r.output.record_name]
}

resource "terraform_data" "deployed" {
  input = {
    certificate = ncloudcert_certificate_validation.web.certificate_pem
    chain       = ncloudcert_certificate_validation.web.certificate_chain_pem
  }
}

output "certificate_pem" {
  value = ncloudcert_certificate_validation.web.certificate_pem
}
`, typ))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			publishWhenRequested(ctx, m)
			if err := tf.Apply(ctx); err != nil {
				t.Fatalf("the one apply: %v", err)
			}
			var buf bytes.Buffer
			changes, err := tf.PlanJSON(ctx, &buf)
			if err != nil || changes {
				t.Fatalf("the plan after the one apply must be empty: changes=%v err=%v\n%s", changes, err, buf.String())
			}
			out, err := tf.Output(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var pemText string
			if err := json.Unmarshal(out["certificate_pem"].Value, &pemText); err != nil {
				t.Fatal(err)
			}
			info, _ := m.Certificate(firstMockCertificateNo)
			if got := pemSerial(pemText); got == "" || !strings.EqualFold(got, info.SerialNumber) {
				t.Fatalf("output certificate_pem has serial %q, the issued certificate %q", got, info.SerialNumber)
			}
			if n := m.Requests(mockserver.OpGetCertificateChain); n == 0 {
				t.Fatal("the PEM was never read")
			}
			if err := tf.Destroy(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A fixed name with create_before_destroy and a failed request: the plan warns with the
// name_prefix route, and the create's error says so instead of advising to import the very
// certificate being replaced. Moving to name_prefix gets out.
func TestAccCLI_issuedFixedNameCreateBeforeDestroy(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	config := func(nameLine string) string {
		return fmt.Sprintf(`
resource "ncloudcert_issued_certificate" "test" {
  %s
  common_name = "cbd.example.com"
  lifecycle {
    create_before_destroy = true
  }
}
`, nameLine)
	}
	writeFile(t, filepath.Join(dir, "main.tf"), config(`name = "cli-cbd"`))
	ctx := context.Background()
	if err := tf.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.FailCertificate(firstMockCertificateNo, "CAA forbids issuance"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := tf.PlanJSON(ctx, &buf); err != nil {
		t.Fatalf("plan: %v\n%s", err, buf.String())
	}
	for _, want := range []string{"Replacement with a fixed name", "name_prefix", "create_before_destroy"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("plan output lacks %q:\n%s", want, buf.String())
		}
	}
	err := tf.Apply(ctx)
	if err == nil {
		t.Fatal("apply with a fixed name and create_before_destroy succeeded")
	}
	msg := oneLine(err.Error())
	for _, want := range []string{"Certificate name already in use", "most likely the certificate this apply replaces", "name_prefix"} {
		if !strings.Contains(msg, want) {
			t.Errorf("apply error lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "terraform import") {
		t.Errorf("the error advises importing the certificate being replaced: %s", msg)
	}
	writeFile(t, filepath.Join(dir, "main.tf"), config(`name_prefix = "cli-cbd-"`))
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply with name_prefix: %v", err)
	}
	if _, still := m.Certificate(firstMockCertificateNo); still || m.Stats().Certificates != 1 {
		t.Fatalf("after the replacement: failed request kept=%v, %d certificates; want it deleted and 1 certificate", still, m.Stats().Certificates)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
}
