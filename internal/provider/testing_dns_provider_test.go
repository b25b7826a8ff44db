package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// A test-only DNS provider, `ncloudcerttest`, stands for the user's DNS provider in the
// acceptance tests: its `ncloudcerttest_dns_record` publishes a record to the test's mock's
// simulated DNS on create and removes it on destroy.

// testProviderFactoriesWithDNS serves ncloudcert and the DNS stand-in over m.
func testProviderFactoriesWithDNS(m *testMock) map[string]func() (tfprotov6.ProviderServer, error) {
	f := testProviderFactories()
	f["ncloudcerttest"] = providerserver.NewProtocol6WithError(&testDNSProvider{m: m})
	return f
}

type testDNSProvider struct{ m *testMock }

func (p *testDNSProvider) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "ncloudcerttest"
}

func (p *testDNSProvider) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {
}

func (p *testDNSProvider) Configure(_ context.Context, _ fwprovider.ConfigureRequest, resp *fwprovider.ConfigureResponse) {
	resp.ResourceData = p.m
}

func (p *testDNSProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &testDNSRecord{} }}
}

func (p *testDNSProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type testDNSRecord struct{ m *testMock }

type testDNSRecordModel struct {
	ID     types.String `tfsdk:"id"`
	Name   types.String `tfsdk:"name"`
	Type   types.String `tfsdk:"type"`
	Values types.List   `tfsdk:"values"`
}

func (r *testDNSRecord) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dns_record"
}

func (r *testDNSRecord) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":   schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"name": schema.StringAttribute{Required: true, PlanModifiers: replace},
		"type": schema.StringAttribute{Required: true, PlanModifiers: replace},
		"values": schema.ListAttribute{Required: true, ElementType: types.StringType,
			PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()}},
	}}
}

func (r *testDNSRecord) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if m, ok := req.ProviderData.(*testMock); ok {
		r.m = m
	}
}

func (r *testDNSRecord) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan testDNSRecordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var values []string
	resp.Diagnostics.Append(plan.Values.ElementsAs(ctx, &values, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.m.PublishDNS(plan.Name.ValueString(), plan.Type.ValueString(), values...); err != nil {
		resp.Diagnostics.AddError("Cannot publish the DNS record", err.Error())
		return
	}
	plan.ID = types.StringValue(plan.Type.ValueString() + " " + plan.Name.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *testDNSRecord) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state testDNSRecordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *testDNSRecord) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan testDNSRecordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *testDNSRecord) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state testDNSRecordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.m.PublishDNS(state.Name.ValueString(), state.Type.ValueString()); err != nil {
		resp.Diagnostics.AddError("Cannot remove the DNS record", err.Error())
	}
}
