package provider

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// guideBlock is the one ```terraform block of the import guide that contains marker.
func guideBlock(t *testing.T, marker string) string {
	t.Helper()
	b, err := os.ReadFile("../../templates/guides/importing-existing-certificates.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, m := range regexp.MustCompile("(?s)```terraform\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		if strings.Contains(m[1], marker) {
			found = append(found, m[1])
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d blocks of the import guide contain %q, want 1", len(found), marker)
	}
	return found[0]
}

// The import guide's adoption route, run as written with the Terraform CLI: the literal map
// is generated, the certificates are imported over it, the next plan is empty, and a
// certificate that expires or is revoked afterwards is never planned for destruction. The
// completeness check names what was left out.
func TestAccGuide_importOverLiteralMap(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.7.0")
	ctx := context.Background()
	c := m.client(t)
	var nos []int64
	for _, req := range []client.CertificateRequest{
		{Type: client.CloudBasic, Name: "guide-cb", CommonName: "*.guide.example.com", DNSNames: []string{"guide.example.com"}},
		{Type: client.GlobalEdge, Name: "guide-ge", CommonName: "edge.guide.example.com"},
		{Type: client.CloudBasic, Name: "guide-stale", CommonName: "stale.guide.example.com"},
	} {
		cert, err := c.RequestCertificate(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		nos = append(nos, cert.No)
	}
	for _, no := range nos[:2] {
		if err := m.ValidateCertificate(no); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.SetStatus(nos[2], client.StatusValidationExpire); err != nil {
		t.Fatal(err)
	}

	// 1. The literal map, written from the inventory.
	main := filepath.Join(dir, "main.tf")
	writeFile(t, main, guideBlock(t, `output "adopted_tf"`))
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply (inventory): %v", err)
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var adopted string
	if err := json.Unmarshal(out["adopted_tf"].Value, &adopted); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(adopted, dsNo(nos[0])) || !strings.Contains(adopted, dsNo(nos[1])) || strings.Contains(adopted, dsNo(nos[2])) {
		t.Fatalf("adopted map:\n%s", adopted)
	}
	writeFile(t, filepath.Join(dir, "adopted.tf"), adopted)

	// 2. Import over it: the next plan is empty.
	writeFile(t, main, guideBlock(t, "to       = ncloudcert_issued_certificate.this[each.key]"))
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply (import): %v", err)
	}
	if changes, err := tf.Plan(ctx); err != nil || changes {
		t.Fatalf("plan after import: changes=%v err=%v", changes, err)
	}

	// 3. A certificate expires, another is revoked: still in the map, never destroyed.
	if err := m.SetStatus(nos[0], client.StatusExpire); err != nil {
		t.Fatal(err)
	}
	if err := m.SetStatus(nos[1], client.StatusRevoke); err != nil {
		t.Fatal(err)
	}
	planFile := filepath.Join(dir, "after.tfplan")
	if _, err := tf.Plan(ctx, tfexec.Out(planFile)); err != nil {
		t.Fatalf("plan after expiry: %v", err)
	}
	plan, err := tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Change.Actions.Delete() || rc.Change.Actions.Replace() || rc.Change.Actions.DestroyBeforeCreate() || rc.Change.Actions.CreateBeforeDestroy() {
			t.Errorf("%s is planned for %v after its certificate changed status", rc.Address, rc.Change.Actions)
		}
	}

	// 4. The completeness check names what is not managed (and no orders: none exist).
	writeFile(t, filepath.Join(dir, "check.tf"), guideBlock(t, `output "unmanaged"`)+"\nlocals {\n  orders = {}\n}\n")
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply (check): %v", err)
	}
	out, err = tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var unmanaged struct {
		Cloud    []string `json:"cloud_certificates"`
		Orders   []string `json:"advanced_orders"`
		Register []string `json:"keys_to_register"`
	}
	if err := json.Unmarshal(out["unmanaged"].Value, &unmanaged); err != nil {
		t.Fatal(err)
	}
	if strings.Join(unmanaged.Cloud, ",") != dsNo(nos[2]) || len(unmanaged.Orders) != 0 || len(unmanaged.Register) != 0 {
		t.Errorf("unmanaged = %+v, want only certificate %d", unmanaged, nos[2])
	}
}
