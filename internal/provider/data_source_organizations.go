package provider

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*organizationsDataSource)(nil)

func newOrganizationsDataSource() datasource.DataSource { return &organizationsDataSource{} }

// organizationsDataSource lists the account's organizations (v2 ListOrganizations), to find
// the organization_no an Advanced OV order needs.
type organizationsDataSource struct{ client *client.Client }

type organizationsDataSourceModel struct {
	ID                     types.String `tfsdk:"id"`
	Name                   types.String `tfsdk:"name"`
	BusinessRegistrationNo types.String `tfsdk:"business_registration_no"`
	VerificationStatus     types.String `tfsdk:"verification_status"`
	Organizations          types.List   `tfsdk:"organizations"`
}

var organizationAttrTypes = map[string]attr.Type{
	"organization_no": types.Int64Type, "name_kor": types.StringType, "name_eng": types.StringType,
	"business_registration_no": types.StringType, "verification_type": types.StringType,
	"verification_status": types.StringType, "verified": types.BoolType,
}

func (d *organizationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organizations"
}

func (d *organizationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	statuses := client.VerificationStatuses()
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the organizations registered for the account (business verification for Advanced OV certificates), " +
			"to find the `organization_no` an `advanced_ov` order needs. " +
			"The service documents this operation as unstable (\"needs revision\"): the provider accepts the organizations under any of the plausible answer shapes, " +
			"and an answer it cannot recognise (an HTML page, an empty body, JSON without a list) is an error naming the endpoint, never an empty list. " +
			"`business_registration_no` and `verification_status` are sent to the service; `name` is matched by the provider, because the service filters the Korean and the English name separately. " +
			"Every filter is also checked on the answer. Filters combine (AND).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Fixed identifier of the data source (`organizations`)."},
			"name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep organizations whose Korean **or** English name contains this text, ignoring case " +
					"(a substring, so `Example` finds `Example Corp` and `예시` finds `예시 주식회사`).",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"business_registration_no": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep the organization with this business registration number, compared by its digits (`123-45-67890` and `1234567890` are the same).",
				Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`\d`), "must contain digits")},
			},
			"verification_status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep organizations in this verification status: one of `" + strings.Join(statuses, "`, `") +
					"` (use `verified` for organizations an OV order can use), or a raw `verificationProgressCode` number for a status the provider does not know.",
				Validators: []validator.String{stringvalidator.RegexMatches(
					regexp.MustCompile(`^(`+strings.Join(statuses, "|")+`|\d+)$`),
					"must be one of "+strings.Join(statuses, ", ")+", or a verification progress code (a number)",
				)},
			},
			"organizations": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching organizations, ordered by `organization_no`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"organization_no":          schema.Int64Attribute{Computed: true, MarkdownDescription: "The organization's number: `organization_no` of an `advanced_ov` order."},
					"name_kor":                 str("Korean name of the organization."),
					"name_eng":                 str("English name of the organization."),
					"business_registration_no": str("Business registration number, as the service holds it."),
					"verification_type":        str("How the organization is verified (`BUSINESS_REGISTRATION`)."),
					"verification_status": str("Verification progress: `" + strings.Join(statuses, "`, `") +
						"` (codes 0, 1, 2, 3, 4, 7, 90, 91); a code the provider does not know is kept as the number."),
					"verified": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether verification is complete (`verification_status` is `verified`): only then can OV orders use it."},
				}},
			},
		},
	}
}

func (d *organizationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if c := clientFromProviderData(req.ProviderData, &resp.Diagnostics); c != nil {
		d.client = c
	}
}

func (d *organizationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m organizationsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgs, err := d.client.ListOrganizations(ctx, client.OrganizationFilter{
		Name: m.Name.ValueString(), BusinessRegistrationNo: m.BusinessRegistrationNo.ValueString(),
		VerificationStatus: m.VerificationStatus.ValueString(),
	})
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list organizations", err)
		return
	}
	items := make([]attr.Value, 0, len(orgs))
	for _, o := range orgs {
		obj, diags := types.ObjectValue(organizationAttrTypes, map[string]attr.Value{
			"organization_no": types.Int64Value(o.No), "name_kor": optionalString(o.NameKor), "name_eng": optionalString(o.NameEng),
			"business_registration_no": optionalString(o.BusinessRegistrationNo), "verification_type": optionalString(o.VerificationType),
			"verification_status": optionalString(o.VerificationStatus), "verified": types.BoolValue(o.Verified()),
		})
		resp.Diagnostics.Append(diags...)
		items = append(items, obj)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: organizationAttrTypes}, items)
	resp.Diagnostics.Append(diags...)
	m.ID, m.Organizations = types.StringValue("organizations"), list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
