package provider

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// leanDomains answers like a service that documents only the first fields of a domain
// (API doc §6.5): dmnId as a numeric string, memberNo, domainAddress, dcvType; no state,
// no record, no dates.
var leanDomains = wireVariant{name: "lean domains", body: func(body map[string]any) {
	list, _ := body["domainVldList"].([]any)
	for i, it := range list {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		list[i] = map[string]any{"dmnId": fmt.Sprint(m["dmnId"]), "memberNo": m["memberNo"], "domainAddress": m["domainAddress"], "dcvType": m["dcvType"]}
	}
}}

// leanMock serves m through the lean variant.
func leanMock(t *testing.T, m *testMock) *testMock {
	t.Helper()
	srv := httptest.NewServer(rewritingHandler(m.Server, leanDomains))
	t.Cleanup(srv.Close)
	return &testMock{Server: m.Server, URL: srv.URL}
}

// A service whose items carry no record: the registration still works, the record's values
// are null (the key and domains stay known), and the next plan is empty.
func TestAccDomainValidation_leanService(t *testing.T) {
	t.Parallel()
	m := leanMock(t, newTestMock(t))
	config := m.providerBlock() + domainBlock(`  domain = "lean.example.com"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoDomains,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(domainResource, at("validation_records").AtMapKey("lean.example.com").AtMapKey("record_values"), knownvalue.Null()),
					statecheck.ExpectKnownValue(domainResource, at("validation_records").AtMapKey("lean.example.com").AtMapKey("domains"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("lean.example.com")})),
					statecheck.ExpectKnownValue(domainResource, at("status"), knownvalue.Null()),
					statecheck.ExpectKnownValue(domainResource, at("issue_type"), knownvalue.StringExact("console")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ResourceName: domainResource, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"issue_type"}},
		},
	})
}

// The refresh warnings, as the CLI shows them: PENDING names the record to publish; an
// INVALID verdict says the cure and the plan replaces the registration; a service that does
// not describe the record says so.
func TestAccCLI_domainValidationWarnings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	writeFile(t, filepath.Join(dir, "main.tf"), m.providerBlock()+domainBlock(`  domain = "warn.example.com"`))
	if err := tf.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	plan := func() string {
		t.Helper()
		var buf bytes.Buffer
		if _, err := tf.PlanJSON(ctx, &buf); err != nil {
			t.Fatalf("plan: %v\n%s", err, buf.String())
		}
		return buf.String()
	}
	expect := func(out string, wants ...string) {
		t.Helper()
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("plan output lacks %q:\n%s", want, out)
			}
		}
	}
	expect(plan(), "Domain not validated yet", "_dnsauth.warn.example.com", `"severity":"warning"`)
	if err := m.InvalidateDomain(m.Domains()[0].ID); err != nil {
		t.Fatal(err)
	}
	out := plan()
	expect(out, "Domain validation invalid", "the plan replaces the registration", `"action":"replace"`)
	if strings.Contains(out, "Domain not validated yet") {
		t.Errorf("an INVALID domain is warned about as pending:\n%s", out)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatal(err)
	}

	lean := leanMock(t, newTestMock(t))
	tf2, dir2 := cliTerraform(t, lean, "1.5.0")
	writeFile(t, filepath.Join(dir2, "main.tf"), lean.providerBlock()+domainBlock(`  domain = "lean.example.com"`))
	if err := tf2.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := tf2.PlanJSON(ctx, &buf); err != nil {
		t.Fatalf("plan: %v", err)
	}
	expect(buf.String(), "Validation record not reported", "validation_records has null values")
	if err := tf2.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
}
