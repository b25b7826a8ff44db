package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

func eabInputFor(alias string) client.EabCredentialInput {
	return client.EabCredentialInput{ValidationMode: client.EabModeDNS01, CertificateType: client.EabTypeDV, ValidityDays: 198, Alias: alias}
}

const eabResource = "ncloudcert_acme_eab_credential.test"

func eabConfig(m *testMock, alias string, validity int, extra ...string) string {
	body := ""
	for _, e := range extra {
		body += "  " + e + "\n"
	}
	return m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_acme_eab_credential" "test" {
  validation_mode  = "dns01"
  certificate_type = "advanced_dv"
  validity_days    = %d
  alias            = %q
%s}
`, validity, alias, body)
}

// onlyEab is the one credential the mock holds.
func (m *testMock) onlyEab(t *testing.T) mockserver.EabCredentialInfo {
	t.Helper()
	ids := m.EabCredentialIDs()
	if len(ids) != 1 {
		t.Fatalf("the mock holds %d EAB credentials, want 1", len(ids))
	}
	info, _ := m.EabCredential(ids[0])
	return info
}

// expectEabActive checks how many credentials exist and how many are not deactivated.
func (m *testMock) expectEabCredentials(total, active int) tfresource.TestCheckFunc {
	return func(*terraformState) error {
		ids := m.EabCredentialIDs()
		n := 0
		for _, id := range ids {
			if info, _ := m.EabCredential(id); info.Status != "deactivated" {
				n++
			}
		}
		if len(ids) != total || n != active {
			return fmt.Errorf("the mock holds %d EAB credentials (%d active), want %d (%d active)", len(ids), n, total, active)
		}
		return nil
	}
}

// hmacKeyIsMocks checks that the state's key is the one the service made.
func (m *testMock) hmacKeyIsMocks(t *testing.T) tfresource.TestCheckFunc {
	return func(s *terraformState) error {
		rs := s.RootModule().Resources[eabResource]
		id, _ := strconv.ParseInt(rs.Primary.ID, 10, 64)
		info, ok := m.EabCredential(id)
		if !ok || rs.Primary.Attributes["eab_hmac_key"] != info.HMACKey || info.HMACKey == "" {
			return fmt.Errorf("eab_hmac_key in state is not credential %d's key", id)
		}
		return nil
	}
}

// Create, refresh after use, import (the key is not imported), replace, destroy.
func TestAccEabCredential_lifecycle(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	var first int64
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.expectEabCredentials(2, 0),
		Steps: []tfresource.TestStep{
			{
				Config: eabConfig(m, "cert-manager", 198),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eabResource, at("account_id"), knownvalue.Int64Exact(59001)),
					statecheck.ExpectKnownValue(eabResource, at("id"), knownvalue.StringExact("59001")),
					statecheck.ExpectKnownValue(eabResource, at("status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue(eabResource, at("eab_used"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(eabResource, at("eab_kid"), knownvalue.StringRegexp(regexp.MustCompile(`^kid-`))),
				},
				Check: tfresource.ComposeAggregateTestCheckFunc(
					m.hmacKeyIsMocks(t),
					m.expectRequests(mockserver.OpCreateEabCredential, 1),
					func(*terraformState) error { first = m.onlyEab(t).AccountID; return nil },
				),
			},
			{
				// An ACME client registers with it: a refresh shows it, nothing to change.
				PreConfig: func() {
					if err := m.UseEabCredential(first); err != nil {
						t.Fatal(err)
					}
				},
				Config: eabConfig(m, "cert-manager", 198),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eabResource, at("status"), knownvalue.StringExact("valid")),
					statecheck.ExpectKnownValue(eabResource, at("eab_used"), knownvalue.Bool(true)),
				},
				Check: m.hmacKeyIsMocks(t), // the key survives refreshes
			},
			{
				ResourceName:            eabResource,
				ImportState:             true,
				ImportStateId:           "59001",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"eab_hmac_key"},
			},
			{
				// Any argument change replaces: the old credential is deactivated.
				Config: eabConfig(m, "cert-manager", 90),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(eabResource, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eabResource, at("account_id"), knownvalue.Int64Exact(59002)),
					statecheck.ExpectKnownValue(eabResource, at("validity_days"), knownvalue.Int64Exact(90)),
				},
				Check: tfresource.ComposeAggregateTestCheckFunc(m.expectEabCredentials(2, 1), m.hmacKeyIsMocks(t)),
			},
		},
	})
}

// A create whose answer is lost after the service committed it adopts that credential, by
// alias, with proof: exactly one CreateEabCredential, no key in state, nothing tainted.
func TestAccEabCredential_lostAnswer(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]mockserver.Fault{
		"dropped after commit": {Drop: true, AfterCommit: true},
		"503 after commit":     {Status: 503, AfterCommit: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := newTestMock(t)
			fault.Operation, fault.Count = mockserver.OpCreateEabCredential, 1
			config := eabConfig(m, "lost", 198)
			tfresource.Test(t, tfresource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy:             m.expectEabCredentials(1, 0),
				Steps: []tfresource.TestStep{
					{
						PreConfig: func() { m.AddFault(fault) },
						Config:    config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(eabResource, at("account_id"), knownvalue.Int64Exact(59001)),
							statecheck.ExpectKnownValue(eabResource, at("eab_hmac_key"), knownvalue.Null()),
							statecheck.ExpectKnownValue(eabResource, at("eab_kid"), knownvalue.NotNull()),
						},
						Check: tfresource.ComposeAggregateTestCheckFunc(
							m.expectRequests(mockserver.OpCreateEabCredential, 1),
							m.expectEabCredentials(1, 1),
						),
					},
					{
						Config: config,
						ConfigPlanChecks: tfresource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}, // not tainted
						},
					},
				},
			})
		})
	}
}

// An alias an active credential already holds is refused before anything is sent, naming
// the credential and the import command; a deactivated holder does not count.
func TestAccEabCredential_aliasInUse(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	c := m.client(t)
	ctx := context.Background()
	for _, alias := range []string{"taken", "freed"} {
		if _, err := c.CreateEabCredential(ctx, eabInputFor(alias)); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.DeactivateEabCredential(59002); err != nil { // "freed"
		t.Fatal(err)
	}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []tfresource.TestStep{
			{
				Config:      eabConfig(m, "taken", 198),
				ExpectError: regexp.MustCompile(`(?s)EAB alias already in use.*59001.*terraform import ncloudcert_acme_eab_credential.<name> 59001`),
				Check:       m.expectRequests(mockserver.OpCreateEabCredential, 2),
			},
			{
				Config: eabConfig(m, "freed", 198),
				Check: tfresource.ComposeAggregateTestCheckFunc(
					m.expectRequests(mockserver.OpCreateEabCredential, 3),
					m.expectEabCredentials(3, 2),
				),
			},
		},
	})
	if got := m.Requests(mockserver.OpCreateEabCredential); got != 3 {
		t.Fatalf("%d CreateEabCredential requests, want 3 (the refused alias sent none)", got)
	}
}

// A credential deactivated outside Terraform is replaced by the next apply; one that
// vanished is created again; a failed list is an error that keeps the state.
func TestAccEabCredential_drift(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := eabConfig(m, "drift", 198)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.expectEabCredentials(2, 0),
		Steps: []tfresource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := m.DeactivateEabCredential(59001); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(eabResource, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eabResource, at("account_id"), knownvalue.Int64Exact(59002)),
					statecheck.ExpectKnownValue(eabResource, at("status"), knownvalue.StringExact("pending")),
				},
				Check: tfresource.ComposeAggregateTestCheckFunc(
					m.expectEabCredentials(2, 1),
					m.expectRequests(mockserver.OpDeactivateEabCredential, 1), // already deactivated: settled by the list
					m.hmacKeyIsMocks(t),
				),
			},
			{
				// Not the service's answer: an error, and the credential stays in state.
				PreConfig: func() {
					m.AddFault(mockserver.Fault{Operation: mockserver.OpListEabCredentials, Count: 5, Status: 503}) // 1 + max_retries
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`Error reading EAB credential 59002`),
			},
			{
				Config:   config,
				PlanOnly: true, // still in state, still the same credential
			},
			{
				PreConfig: func() {
					if err := m.RemoveEabCredential(59002); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(eabResource, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eabResource, at("account_id"), knownvalue.Int64Exact(59003)),
				},
			},
		},
	})
}

// organization_no goes with advanced_ov and only there: plan-time errors, nothing sent.
func TestAccEabCredential_organizationPlanTime(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ov := m.providerBlock() + `
resource "ncloudcert_acme_eab_credential" "test" {
  validation_mode  = "pre_validated"
  certificate_type = "advanced_ov"
  validity_days    = 198
  alias            = "ov"
}
`
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []tfresource.TestStep{
			{Config: ov, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Missing organization_no.*organization_no`)},
			{Config: eabConfig(m, "dv", 198, "organization_no = 7"), PlanOnly: true, ExpectError: regexp.MustCompile(`organization_no is only for advanced_ov`)},
			{Config: eabConfig(m, "dv", 201), PlanOnly: true, ExpectError: regexp.MustCompile(`validity_days`)},
			{Config: eabConfig(m, "bad alias", 198), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)alias.*letters, digits`)},
		},
	})
	if err := m.expectNoRequests(nil); err != nil {
		t.Fatal(err)
	}
}

// An OV credential sends organizationNo (as a string) and reads it back after import.
func TestAccEabCredential_ov(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	config := m.providerBlock() + `
resource "ncloudcert_acme_eab_credential" "test" {
  validation_mode  = "pre_validated"
  certificate_type = "advanced_ov"
  validity_days    = 100
  alias            = "ov.caddy"
  organization_no  = 4242
}
`
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.expectEabCredentials(1, 0),
		Steps: []tfresource.TestStep{
			{
				Config: config,
				Check: func(*terraformState) error {
					if info := m.onlyEab(t); info.OrganizationNo != "4242" || info.TypeCode != "NPO_01" || info.ValidationMode != "PRE" {
						return fmt.Errorf("stored %+v", info)
					}
					return nil
				},
			},
			{ResourceName: eabResource, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"eab_hmac_key"}},
		},
	})
}

// Import warns that the HMAC key is not imported, and names the expected id on a bad one.
func TestEabCredential_importState(t *testing.T) {
	ctx := context.Background()
	r := newEabCredentialResource().(resource.ResourceWithImportState)
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	newResp := func() *resource.ImportStateResponse {
		return &resource.ImportStateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}}
	}
	resp := newResp()
	r.ImportState(ctx, resource.ImportStateRequest{ID: "59723"}, resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 || resp.Diagnostics.Warnings()[0].Summary() != "EAB HMAC key not imported" {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
	resp = newResp()
	r.ImportState(ctx, resource.ImportStateRequest{ID: "cert-manager"}, resp)
	if !resp.Diagnostics.HasError() || !regexp.MustCompile(`ACME account id`).MatchString(resp.Diagnostics.Errors()[0].Detail()) {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
}

// A value the service did not report to an import (null in state) is filled in from the
// configuration without replacing the credential; a reported value that changes replaces.
func TestEabCredential_replaceUnlessUnreported(t *testing.T) {
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	newEabCredentialResource().Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	attrs := schemaResp.Schema.Attributes
	modeMods := attrs["validation_mode"].(schema.StringAttribute).PlanModifiers
	orgMods := attrs["organization_no"].(schema.Int64Attribute).PlanModifiers
	objType := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	nulls := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		nulls[name] = tftypes.NewValue(typ, nil)
	}
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objType, nulls)}
	for _, tc := range []struct {
		prior types.String
		want  bool
	}{{types.StringNull(), false}, {types.StringValue("pre_validated"), true}} {
		req := planmodifier.StringRequest{Path: path.Root("validation_mode"), State: state, Plan: tfsdk.Plan(state),
			StateValue: tc.prior, PlanValue: types.StringValue("dns01"), ConfigValue: types.StringValue("dns01")}
		resp := &planmodifier.StringResponse{PlanValue: req.PlanValue}
		for _, m := range modeMods {
			m.PlanModifyString(ctx, req, resp)
		}
		if resp.RequiresReplace != tc.want {
			t.Errorf("validation_mode from %v: RequiresReplace %v, want %v", tc.prior, resp.RequiresReplace, tc.want)
		}
	}
	for _, tc := range []struct {
		prior types.Int64
		want  bool
	}{{types.Int64Null(), false}, {types.Int64Value(1), true}} {
		req := planmodifier.Int64Request{Path: path.Root("organization_no"), State: state, Plan: tfsdk.Plan(state),
			StateValue: tc.prior, PlanValue: types.Int64Value(2), ConfigValue: types.Int64Value(2)}
		resp := &planmodifier.Int64Response{PlanValue: req.PlanValue}
		for _, m := range orgMods {
			m.PlanModifyInt64(ctx, req, resp)
		}
		if resp.RequiresReplace != tc.want {
			t.Errorf("organization_no from %v: RequiresReplace %v, want %v", tc.prior, resp.RequiresReplace, tc.want)
		}
	}
}
