package main

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	ncloudcert "github.com/ncloudcert/terraform-provider-ncloudcert/internal/provider"
)

func schemas(t *testing.T, server tfprotov6.ProviderServer) map[string]*tfprotov6.Schema {
	t.Helper()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
	return resp.ResourceSchemas
}

func floorServer(t *testing.T) tfprotov6.ProviderServer {
	t.Helper()
	p, err := newFloorProvider(context.Background(), ncloudcert.New("test")())
	if err != nil {
		t.Fatal(err)
	}
	return providerserver.NewProtocol6(p)()
}

// Every resource of the provider has a floor twin whose schema, as Terraform
// sees it, is identical.
func TestFloorMirrorsEveryResourceSchema(t *testing.T) {
	prov := schemas(t, providerserver.NewProtocol6(ncloudcert.New("test")())())
	floor := schemas(t, floorServer(t))
	if len(prov) == 0 || len(floor) != len(prov) {
		t.Fatalf("%d resource types in the provider, %d in the floor", len(prov), len(floor))
	}
	for name, want := range prov {
		floorName := "benchfloor_" + strings.TrimPrefix(name, "ncloudcert_")
		got, ok := floor[floorName]
		if !ok {
			t.Errorf("no %s for %s", floorName, name)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			w, _ := json.MarshalIndent(want, "", "  ")
			g, _ := json.MarshalIndent(got, "", "  ")
			t.Errorf("schema of %s differs from %s:\nprovider: %s\nfloor: %s", floorName, name, w, g)
		}
	}
}

// Each floor resource applies with its required arguments, fills its computed
// attributes, plans empty afterwards, updates in place and destroys, through
// the Terraform CLI (TF_ACC=1, as make test runs it).
func TestAccFloorLifecycle(t *testing.T) {
	for name, s := range schemas(t, floorServer(t)) {
		t.Run(name, func(t *testing.T) {
			first, second, ok := requiredArguments(s.Block)
			if !ok {
				t.Skipf("%s has required arguments this test cannot write", name)
			}
			factories := map[string]func() (tfprotov6.ProviderServer, error){
				"benchfloor": func() (tfprotov6.ProviderServer, error) { return floorServer(t), nil },
			}
			config := func(args string) string {
				return fmt.Sprintf("resource %q \"test\" {\n%s}\n", name, args)
			}
			var id string
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps: []resource.TestStep{
					{
						Config: config(first),
						Check: func(st *terraform.State) error {
							rs := st.RootModule().Resources[name+".test"]
							if rs == nil || !strings.HasPrefix(rs.Primary.ID, "floor-") {
								return fmt.Errorf("no id filled in on create: %+v", rs)
							}
							id = rs.Primary.ID
							return nil
						},
					},
					{
						Config: config(second),
						Check: func(st *terraform.State) error {
							rs := st.RootModule().Resources[name+".test"]
							if rs == nil || rs.Primary.ID == "" || rs.Primary.ID == id && second != first {
								return fmt.Errorf("id %q after update, was %q: want a new computed value", rs.Primary.ID, id)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// requiredArguments writes HCL for the block's required top-level attributes,
// twice with different values; ok is false for kinds it does not write.
func requiredArguments(b *tfprotov6.SchemaBlock) (first, second string, ok bool) {
	var names []string
	values := map[string][2]string{}
	for _, a := range b.Attributes {
		if !a.Required {
			continue
		}
		switch {
		case a.NestedType != nil:
			return "", "", false
		case a.Type.Is(tftypes.String):
			values[a.Name] = [2]string{`"a"`, `"b"`}
		case a.Type.Is(tftypes.Number):
			values[a.Name] = [2]string{"1", "2"}
		case a.Type.Is(tftypes.Bool):
			values[a.Name] = [2]string{"true", "false"}
		default:
			return "", "", false
		}
		names = append(names, a.Name)
	}
	for _, nb := range b.BlockTypes {
		if nb.MinItems > 0 {
			return "", "", false
		}
	}
	sort.Strings(names)
	for _, n := range names {
		first += fmt.Sprintf("  %s = %s\n", n, values[n][0])
		second += fmt.Sprintf("  %s = %s\n", n, values[n][1])
	}
	return first, second, true
}
