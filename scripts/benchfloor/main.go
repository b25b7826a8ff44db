// Command benchfloor is a plugin-framework provider that does no I/O at all: the
// floor any framework provider pays for plan and apply. scripts/bench.sh compares
// ncloudcert's resources against it (design §7).
//
// For every resource type ncloudcert_<suffix> of the provider it serves
// benchfloor_<suffix> with exactly that resource's schema (attribute names,
// types, Required/Optional/Computed, Sensitive, WriteOnly, defaults, blocks
// such as timeouts, descriptions), read from the provider itself at start-up,
// so it cannot drift as resources are added or changed. The attributes are
// plain: no validators, plan modifiers or custom types, and the resources have
// no ModifyPlan or config validators. Create fills every unknown (computed)
// value with some value of its type (a random one for strings, so ids differ),
// Read returns the state as it is, Update does the same with the plan, Delete
// does nothing.
//
// With no plan modifiers, computed attributes become unknown whenever an
// update is planned (the framework's default); a plan without changes stays
// empty, which is what the benchmark plans are. Its logging is set up the way
// the provider's main.go sets it up (quiet unless a TF_LOG* variable is set).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log"
	"math/big"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	ncloudcert "github.com/ncloudcert/terraform-provider-ncloudcert/internal/provider"
)

const (
	floorName = "benchfloor"
	// Address is where scripts/bench.sh's dev_overrides find the floor.
	floorAddress = "registry.terraform.io/ncloudcert/" + floorName
)

func main() {
	quietUnreadLogs()
	p, err := newFloorProvider(context.Background(), ncloudcert.New("bench")())
	if err != nil {
		log.Fatal(err)
	}
	if err := providerserver.Serve(context.Background(), func() provider.Provider { return p },
		providerserver.ServeOpts{Address: floorAddress}); err != nil {
		log.Fatal(err)
	}
}

// quietUnreadLogs turns the SDK's and the provider's loggers off when no
// TF_LOG* variable is set, exactly as the provider's main.go does, so the
// floor pays for logging what the provider pays.
func quietUnreadLogs() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_BENCHFLOOR"} {
		_ = os.Setenv(name, "off")
	}
}

// floorProvider serves one floorResource per resource type of the mirrored provider.
type floorProvider struct {
	resources []*floorResource
}

// newFloorProvider asks the provider for its resources' names and schemas and
// rebuilds each schema with plain attributes.
func newFloorProvider(ctx context.Context, p provider.Provider) (*floorProvider, error) {
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	prefix := meta.TypeName + "_"
	fp := &floorProvider{}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var rm resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &rm)
		suffix, ok := strings.CutPrefix(rm.TypeName, prefix)
		if !ok {
			return nil, fmt.Errorf("resource type %q does not start with %q", rm.TypeName, prefix)
		}
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() {
			return nil, fmt.Errorf("schema of %s: %v", rm.TypeName, sr.Diagnostics)
		}
		s, err := plainSchema(sr.Schema)
		if err != nil {
			return nil, fmt.Errorf("schema of %s: %w", rm.TypeName, err)
		}
		fp.resources = append(fp.resources, &floorResource{suffix: suffix, schema: s})
	}
	sort.Slice(fp.resources, func(i, j int) bool { return fp.resources[i].suffix < fp.resources[j].suffix })
	return fp, nil
}

func (*floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = floorName
}

func (*floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (*floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *floorProvider) Resources(context.Context) []func() resource.Resource {
	out := make([]func() resource.Resource, 0, len(p.resources))
	for _, r := range p.resources {
		out = append(out, func() resource.Resource { return r })
	}
	return out
}

func (*floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// floorResource is benchfloor_<suffix>: the schema, and no work.
type floorResource struct {
	suffix string
	schema schema.Schema
}

func (r *floorResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.suffix
}

func (r *floorResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

func (r *floorResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	v, err := fillUnknowns(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("benchfloor", err.Error())
		return
	}
	resp.State.Raw = v
}

// Read leaves the state as the framework copied it from the request.
func (r *floorResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *floorResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	v, err := fillUnknowns(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("benchfloor", err.Error())
		return
	}
	resp.State.Raw = v
}

// Delete does nothing; the framework removes the resource from state.
func (r *floorResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// fillUnknowns replaces every unknown value with a known value of its type.
func fillUnknowns(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		return someValue(v.Type()), nil
	})
}

// someValue is a known value of type t: a random string, zero, false, empty
// collections, objects and tuples of such values.
func someValue(t tftypes.Type) tftypes.Value {
	switch tt := t.(type) {
	case tftypes.List, tftypes.Set:
		return tftypes.NewValue(t, []tftypes.Value{})
	case tftypes.Map:
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	case tftypes.Tuple:
		elems := make([]tftypes.Value, 0, len(tt.ElementTypes))
		for _, et := range tt.ElementTypes {
			elems = append(elems, someValue(et))
		}
		return tftypes.NewValue(t, elems)
	case tftypes.Object:
		vals := make(map[string]tftypes.Value, len(tt.AttributeTypes))
		for name, at := range tt.AttributeTypes {
			vals[name] = someValue(at)
		}
		return tftypes.NewValue(t, vals)
	}
	switch {
	case t.Is(tftypes.String):
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		return tftypes.NewValue(t, "floor-"+hex.EncodeToString(b))
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(0))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	default: // DynamicPseudoType: any type will do
		return tftypes.NewValue(tftypes.String, "floor")
	}
}

// plainSchema rebuilds s with the same wire schema and defaults, and no
// validators, plan modifiers or custom types.
func plainSchema(s schema.Schema) (schema.Schema, error) {
	attrs, err := plainAttributes(s.Attributes)
	if err != nil {
		return schema.Schema{}, err
	}
	blocks, err := plainBlocks(s.Blocks)
	if err != nil {
		return schema.Schema{}, err
	}
	return schema.Schema{
		Attributes:          attrs,
		Blocks:              blocks,
		Description:         s.Description,
		MarkdownDescription: s.MarkdownDescription,
		DeprecationMessage:  s.DeprecationMessage,
		Version:             s.Version,
	}, nil
}

func plainAttributes(in map[string]schema.Attribute) (map[string]schema.Attribute, error) {
	if in == nil {
		return nil, nil
	}
	out := make(map[string]schema.Attribute, len(in))
	for name, a := range in {
		p, err := plainAttribute(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		out[name] = p
	}
	return out, nil
}

// plainAttribute mirrors the attribute kinds the provider uses; any other kind fails at
// start-up (and the schema test), so the floor cannot silently drift.
func plainAttribute(a schema.Attribute) (schema.Attribute, error) {
	switch a := a.(type) {
	case schema.StringAttribute:
		return schema.StringAttribute{
			Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	case schema.BoolAttribute:
		return schema.BoolAttribute{
			Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	case schema.Int64Attribute:
		return schema.Int64Attribute{
			Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	case schema.ListAttribute:
		return schema.ListAttribute{
			ElementType: plainType(a.ElementType),
			Required:    a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	case schema.SetAttribute:
		return schema.SetAttribute{
			ElementType: plainType(a.ElementType),
			Required:    a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	case schema.MapAttribute:
		return schema.MapAttribute{
			ElementType: plainType(a.ElementType),
			Required:    a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	case schema.SingleNestedAttribute:
		attrs, err := plainAttributes(a.Attributes)
		if err != nil {
			return nil, err
		}
		return schema.SingleNestedAttribute{
			Attributes: attrs,
			Required:   a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	case schema.ListNestedAttribute:
		nested, err := plainNestedAttributeObject(a.NestedObject)
		if err != nil {
			return nil, err
		}
		return schema.ListNestedAttribute{
			NestedObject: nested,
			Required:     a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	case schema.MapNestedAttribute:
		nested, err := plainNestedAttributeObject(a.NestedObject)
		if err != nil {
			return nil, err
		}
		return schema.MapNestedAttribute{
			NestedObject: nested,
			Required:     a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Default: a.Default,
		}, nil
	default:
		return nil, fmt.Errorf("attribute kind %T is not mirrored by scripts/benchfloor yet: extend plainAttribute", a)
	}
}

func plainNestedAttributeObject(o schema.NestedAttributeObject) (schema.NestedAttributeObject, error) {
	attrs, err := plainAttributes(o.Attributes)
	return schema.NestedAttributeObject{Attributes: attrs}, err
}

func plainBlocks(in map[string]schema.Block) (map[string]schema.Block, error) {
	if in == nil {
		return nil, nil
	}
	out := make(map[string]schema.Block, len(in))
	for name, b := range in {
		p, err := plainBlock(b)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		out[name] = p
	}
	return out, nil
}

func plainBlock(b schema.Block) (schema.Block, error) {
	switch b := b.(type) {
	case schema.SingleNestedBlock:
		attrs, err := plainAttributes(b.Attributes)
		if err != nil {
			return nil, err
		}
		blocks, err := plainBlocks(b.Blocks)
		if err != nil {
			return nil, err
		}
		return schema.SingleNestedBlock{
			Attributes: attrs, Blocks: blocks,
			Description: b.Description, MarkdownDescription: b.MarkdownDescription, DeprecationMessage: b.DeprecationMessage,
		}, nil
	default:
		return nil, fmt.Errorf("block kind %T is not mirrored by scripts/benchfloor yet: extend plainBlock", b)
	}
}

func plainAttributeTypes(in map[string]attr.Type) map[string]attr.Type {
	if in == nil {
		return nil
	}
	out := make(map[string]attr.Type, len(in))
	for name, t := range in {
		out[name] = plainType(t)
	}
	return out
}

// plainType is the framework's base type behind t (a custom type is replaced
// by the type it extends; collections and objects are rebuilt element-wise).
func plainType(t attr.Type) attr.Type {
	ctx := context.Background()
	switch t := t.(type) {
	case basetypes.StringTypable:
		return types.StringType
	case basetypes.BoolTypable:
		return types.BoolType
	case basetypes.Int64Typable:
		return types.Int64Type
	case basetypes.Int32Typable:
		return types.Int32Type
	case basetypes.Float64Typable:
		return types.Float64Type
	case basetypes.Float32Typable:
		return types.Float32Type
	case basetypes.NumberTypable:
		return types.NumberType
	case basetypes.DynamicTypable:
		return types.DynamicType
	case attr.TypeWithElementType:
		switch t.TerraformType(ctx).(type) {
		case tftypes.List:
			return types.ListType{ElemType: plainType(t.ElementType())}
		case tftypes.Set:
			return types.SetType{ElemType: plainType(t.ElementType())}
		case tftypes.Map:
			return types.MapType{ElemType: plainType(t.ElementType())}
		}
	case attr.TypeWithAttributeTypes:
		return types.ObjectType{AttrTypes: plainAttributeTypes(t.AttributeTypes())}
	case attr.TypeWithElementTypes:
		elems := make([]attr.Type, 0, len(t.ElementTypes()))
		for _, et := range t.ElementTypes() {
			elems = append(elems, plainType(et))
		}
		return types.TupleType{ElemTypes: elems}
	}
	return t
}
