package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The documented example through the Terraform CLI (for_each: plugin-testing cannot hold
// for_each instances): one plan before anything exists has the record keyed by the domain;
// the record the example hands to its DNS stand-in is published to the mock's DNS, and the
// wait succeeds with it. Then the import.sh command adopts the registration again with an
// empty plan, and destroy deletes it.
func TestAccExample_domainValidation(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	copyFile(t, "../../examples/resources/ncloudcert_domain_validation/resource.tf", filepath.Join(dir, "main.tf"))
	ctx := context.Background()

	keys := plannedRecordKeys(ctx, t, tf, dir, "validation_records")
	if !slices.Equal(keys, []string{"example.com"}) {
		t.Fatalf("planned DNS records %v, want one for example.com", keys)
	}
	if err := m.expectNoRequests(nil); err != nil {
		t.Fatalf("planning: %v", err)
	}
	if published := applyAndPublishRecords(ctx, t, tf, m); published != 1 {
		t.Fatalf("%d records published, want 1", published)
	}
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if d := m.Domains(); len(d) != 1 || d[0].ValidState != "VALID" {
		t.Fatalf("domains after apply: %+v", d)
	}
	if changes, err := tf.Plan(ctx); err != nil || changes {
		t.Fatalf("plan after apply: changes=%v err=%v", changes, err)
	}

	// import.sh, with the id of this registration.
	b, err := os.ReadFile("../../examples/resources/ncloudcert_domain_validation/import.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := regexp.MustCompile(`terraform import (\S+) (\d+)`).FindStringSubmatch(string(b))
	if cmd == nil {
		t.Fatalf("import.sh has no terraform import command:\n%s", b)
	}
	if err := tf.StateRm(ctx, cmd[1]); err != nil {
		t.Fatal(err)
	}
	if err := tf.Import(ctx, cmd[1], fmt.Sprint(m.Domains()[0].ID)); err != nil {
		t.Fatalf("import: %v", err)
	}
	if changes, err := tf.Plan(ctx); err != nil || changes {
		t.Fatalf("plan after import: changes=%v err=%v", changes, err)
	}
	if got := m.Requests(mockserver.OpRegisterDomain); got != 1 {
		t.Fatalf("%d registrations, want 1", got)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if d := m.Domains(); len(d) != 0 {
		t.Fatalf("domains after destroy: %+v", d)
	}
}
