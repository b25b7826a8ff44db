// Command benchfloor is a plugin-framework provider whose one resource does no
// I/O at all: the floor any framework provider pays for plan and apply.
// scripts/bench.sh compares ncloudcert_external_certificate against it (design §7).
//
// Its resource, benchfloor_certificate, takes the same arguments as
// ncloudcert_external_certificate (name_prefix and the PEM inputs) and keeps
// them in state; Read returns the state as it is.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return floorProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/ncloudcert/benchfloor"})
	if err != nil {
		log.Fatal(err)
	}
}

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "benchfloor"
}

func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return floorResource{} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type floorResource struct{}

type floorModel struct {
	ID                  types.String `tfsdk:"id"`
	Name                types.String `tfsdk:"name"`
	NamePrefix          types.String `tfsdk:"name_prefix"`
	CertificatePEM      types.String `tfsdk:"certificate_pem"`
	CertificateChainPEM types.String `tfsdk:"certificate_chain_pem"`
	PrivateKeyPEM       types.String `tfsdk:"private_key_pem"`
}

func (floorResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate"
}

func (floorResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                    schema.StringAttribute{Computed: true, PlanModifiers: stable},
			"name":                  schema.StringAttribute{Computed: true, PlanModifiers: stable},
			"name_prefix":           schema.StringAttribute{Optional: true},
			"certificate_pem":       schema.StringAttribute{Required: true},
			"certificate_chain_pem": schema.StringAttribute{Required: true},
			"private_key_pem":       schema.StringAttribute{Required: true, Sensitive: true},
		},
	}
}

func (floorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m floorModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	buf := make([]byte, 4)
	_, _ = rand.Read(buf)
	m.ID = types.StringValue(hex.EncodeToString(buf))
	m.Name = types.StringValue(m.NamePrefix.ValueString() + hex.EncodeToString(buf))
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (floorResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (floorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m floorModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (floorResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
