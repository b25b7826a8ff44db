// Command providerschema prints the provider's schemas in the JSON format of
// `terraform providers schema -json`, for `tfplugindocs generate
// --providers-schema` (make docs).
//
// It asks the provider in process (GetProviderSchema over protocol 6) instead
// of running Terraform, so the generated docs do not depend on which Terraform
// happens to be installed: Terraform before 1.11 drops `write_only` from its
// output, which changes the rendered pages. The provider appears under the key
// "ncloudcert", the name tfplugindocs looks up.
//
//	go run ./scripts/providerschema > schema.json
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/provider"
)

// providerKey is the key under "provider_schemas"; tfplugindocs finds the
// provider by its short name.
const providerKey = "ncloudcert"

func main() {
	out, err := export(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
	if _, err := os.Stdout.Write(out); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}

// The JSON shapes of `terraform providers schema -json` (format 1.0), as
// Terraform's command/jsonprovider writes them.
type (
	schemasJSON struct {
		FormatVersion   string                   `json:"format_version"`
		ProviderSchemas map[string]*providerJSON `json:"provider_schemas,omitempty"`
	}
	providerJSON struct {
		Provider                 *schemaJSON                    `json:"provider,omitempty"`
		ResourceSchemas          map[string]*schemaJSON         `json:"resource_schemas,omitempty"`
		DataSourceSchemas        map[string]*schemaJSON         `json:"data_source_schemas,omitempty"`
		EphemeralResourceSchemas map[string]*schemaJSON         `json:"ephemeral_resource_schemas,omitempty"`
		ResourceIdentitySchemas  map[string]*identitySchemaJSON `json:"resource_identity_schemas,omitempty"`
		Functions                map[string]*functionJSON       `json:"functions,omitempty"`
	}
	// functionJSON and parameterJSON are Terraform's command/jsonfunction shapes.
	functionJSON struct {
		Description        string           `json:"description,omitempty"`
		Summary            string           `json:"summary,omitempty"`
		DeprecationMessage string           `json:"deprecation_message,omitempty"`
		ReturnType         json.RawMessage  `json:"return_type"`
		Parameters         []*parameterJSON `json:"parameters,omitempty"`
		VariadicParameter  *parameterJSON   `json:"variadic_parameter,omitempty"`
	}
	parameterJSON struct {
		Name        string          `json:"name"`
		Description string          `json:"description,omitempty"`
		IsNullable  bool            `json:"is_nullable,omitempty"`
		Type        json.RawMessage `json:"type"`
	}
	schemaJSON struct {
		Version int64      `json:"version"`
		Block   *blockJSON `json:"block,omitempty"`
	}
	blockJSON struct {
		Attributes      map[string]*attributeJSON `json:"attributes,omitempty"`
		BlockTypes      map[string]*blockTypeJSON `json:"block_types,omitempty"`
		Description     string                    `json:"description,omitempty"`
		DescriptionKind string                    `json:"description_kind,omitempty"`
		Deprecated      bool                      `json:"deprecated,omitempty"`
	}
	blockTypeJSON struct {
		NestingMode string     `json:"nesting_mode,omitempty"`
		Block       *blockJSON `json:"block,omitempty"`
		MinItems    int64      `json:"min_items,omitempty"`
		MaxItems    int64      `json:"max_items,omitempty"`
	}
	attributeJSON struct {
		Type            json.RawMessage `json:"type,omitempty"`
		NestedType      *nestedTypeJSON `json:"nested_type,omitempty"`
		Description     string          `json:"description,omitempty"`
		DescriptionKind string          `json:"description_kind,omitempty"`
		Deprecated      bool            `json:"deprecated,omitempty"`
		Required        bool            `json:"required,omitempty"`
		Optional        bool            `json:"optional,omitempty"`
		Computed        bool            `json:"computed,omitempty"`
		Sensitive       bool            `json:"sensitive,omitempty"`
		WriteOnly       bool            `json:"write_only,omitempty"`
	}
	nestedTypeJSON struct {
		Attributes  map[string]*attributeJSON `json:"attributes,omitempty"`
		NestingMode string                    `json:"nesting_mode,omitempty"`
	}
	identitySchemaJSON struct {
		Version    int64                             `json:"version"`
		Attributes map[string]*identityAttributeJSON `json:"attributes,omitempty"`
	}
	identityAttributeJSON struct {
		Type              json.RawMessage `json:"type,omitempty"`
		Description       string          `json:"description,omitempty"`
		RequiredForImport bool            `json:"required_for_import,omitempty"`
		OptionalForImport bool            `json:"optional_for_import,omitempty"`
	}
)

func export(ctx context.Context) ([]byte, error) {
	server := providerserver.NewProtocol6(provider.New("docs")())()

	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError(resp.Diagnostics); err != nil {
		return nil, err
	}
	// Kinds this exporter does not write yet: fail rather than leave them out of the docs.
	for kind, n := range map[string]int{
		"list resources": len(resp.ListResourceSchemas),
		"actions":        len(resp.ActionSchemas), "state stores": len(resp.StateStoreSchemas),
	} {
		if n > 0 {
			return nil, fmt.Errorf("the provider has %s, which scripts/providerschema does not export yet: extend it", kind)
		}
	}

	p := &providerJSON{
		Provider:                 marshalSchema(resp.Provider),
		ResourceSchemas:          marshalSchemas(resp.ResourceSchemas),
		DataSourceSchemas:        marshalSchemas(resp.DataSourceSchemas),
		EphemeralResourceSchemas: marshalSchemas(resp.EphemeralResourceSchemas),
		Functions:                marshalFunctions(resp.Functions),
	}

	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError(ids.Diagnostics); err != nil {
		return nil, err
	}
	if len(ids.IdentitySchemas) > 0 {
		p.ResourceIdentitySchemas = map[string]*identitySchemaJSON{}
		for name, s := range ids.IdentitySchemas {
			is := &identitySchemaJSON{Version: s.Version, Attributes: map[string]*identityAttributeJSON{}}
			for _, a := range s.IdentityAttributes {
				is.Attributes[a.Name] = &identityAttributeJSON{
					Type:              marshalType(a.Type),
					Description:       a.Description,
					RequiredForImport: a.RequiredForImport,
					OptionalForImport: a.OptionalForImport,
				}
			}
			p.ResourceIdentitySchemas[name] = is
		}
	}

	out, err := json.Marshal(schemasJSON{FormatVersion: "1.0", ProviderSchemas: map[string]*providerJSON{providerKey: p}})
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

func marshalFunctions(in map[string]*tfprotov6.Function) map[string]*functionJSON {
	if len(in) == 0 {
		return nil
	}
	param := func(p *tfprotov6.FunctionParameter) *parameterJSON {
		if p == nil {
			return nil
		}
		return &parameterJSON{Name: p.Name, Description: p.Description, IsNullable: p.AllowNullValue, Type: marshalType(p.Type)}
	}
	out := make(map[string]*functionJSON, len(in))
	for name, f := range in {
		fj := &functionJSON{
			Description: f.Description, Summary: f.Summary, DeprecationMessage: f.DeprecationMessage,
			VariadicParameter: param(f.VariadicParameter),
		}
		if f.Return != nil {
			fj.ReturnType = marshalType(f.Return.Type)
		}
		for _, p := range f.Parameters {
			fj.Parameters = append(fj.Parameters, param(p))
		}
		out[name] = fj
	}
	return out
}

func diagnosticsError(diags []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range diags {
		if d != nil && d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, fmt.Errorf("%s: %s", d.Summary, d.Detail))
		}
	}
	return errors.Join(errs...)
}

func marshalSchemas(in map[string]*tfprotov6.Schema) map[string]*schemaJSON {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]*schemaJSON, len(in))
	for name, s := range in {
		out[name] = marshalSchema(s)
	}
	return out
}

func marshalSchema(s *tfprotov6.Schema) *schemaJSON {
	if s == nil {
		return nil
	}
	return &schemaJSON{Version: s.Version, Block: marshalBlock(s.Block)}
}

func marshalBlock(b *tfprotov6.SchemaBlock) *blockJSON {
	if b == nil {
		return &blockJSON{DescriptionKind: "plain"}
	}
	out := &blockJSON{
		Description:     b.Description,
		DescriptionKind: stringKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	if len(b.Attributes) > 0 {
		out.Attributes = map[string]*attributeJSON{}
		for _, a := range b.Attributes {
			out.Attributes[a.Name] = marshalAttribute(a)
		}
	}
	if len(b.BlockTypes) > 0 {
		out.BlockTypes = map[string]*blockTypeJSON{}
		for _, nb := range b.BlockTypes {
			out.BlockTypes[nb.TypeName] = &blockTypeJSON{
				NestingMode: blockNesting(nb.Nesting),
				Block:       marshalBlock(nb.Block),
				MinItems:    nb.MinItems,
				MaxItems:    nb.MaxItems,
			}
		}
	}
	return out
}

func marshalAttribute(a *tfprotov6.SchemaAttribute) *attributeJSON {
	out := &attributeJSON{
		Description:     a.Description,
		DescriptionKind: stringKind(a.DescriptionKind),
		Deprecated:      a.Deprecated,
		Required:        a.Required,
		Optional:        a.Optional,
		Computed:        a.Computed,
		Sensitive:       a.Sensitive,
		WriteOnly:       a.WriteOnly,
	}
	if a.NestedType != nil {
		nt := &nestedTypeJSON{NestingMode: objectNesting(a.NestedType.Nesting), Attributes: map[string]*attributeJSON{}}
		for _, na := range a.NestedType.Attributes {
			nt.Attributes[na.Name] = marshalAttribute(na)
		}
		out.NestedType = nt
		return out
	}
	out.Type = marshalType(a.Type)
	return out
}

// marshalType writes a type in cty's JSON notation, which tftypes shares.
func marshalType(t interface{ MarshalJSON() ([]byte, error) }) json.RawMessage {
	if t == nil {
		return nil
	}
	b, err := t.MarshalJSON()
	if err != nil {
		panic(err) // tftypes documents MarshalJSON as error-free
	}
	return b
}

func stringKind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

func blockNesting(m tfprotov6.SchemaNestedBlockNestingMode) string {
	switch m {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return "single"
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return "list"
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return "set"
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return "map"
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return "group"
	}
	return "invalid"
}

func objectNesting(m tfprotov6.SchemaObjectNestingMode) string {
	switch m {
	case tfprotov6.SchemaObjectNestingModeSingle:
		return "single"
	case tfprotov6.SchemaObjectNestingModeList:
		return "list"
	case tfprotov6.SchemaObjectNestingModeSet:
		return "set"
	case tfprotov6.SchemaObjectNestingModeMap:
		return "map"
	}
	return "invalid"
}
