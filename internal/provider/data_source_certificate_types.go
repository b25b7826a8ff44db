package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*certificateTypesDataSource)(nil)

func newCertificateTypesDataSource() datasource.DataSource { return &certificateTypesDataSource{} }

// certificateTypesDataSource lists the certificate products the account can request (v2
// ListCertificateTypes).
type certificateTypesDataSource struct{ client *client.Client }

type certificateTypesDataSourceModel struct {
	ID               types.String `tfsdk:"id"`
	Types            types.Set    `tfsdk:"types"`
	PricingPlan      types.String `tfsdk:"pricing_plan"`
	CertificateTypes types.List   `tfsdk:"certificate_types"`
}

var (
	// requestableTypes: the shared type vocabulary minus external (not a product one requests).
	requestableTypes       = []string{"cloud_basic", "global_edge", "advanced_dv", "advanced_ov"}
	pricingPlans           = []string{"FREE", "PAID"}
	certificateTypeAttrTyp = map[string]attr.Type{
		"type": types.StringType, "code": types.StringType, "name": types.StringType, "pricing_plan": types.StringType,
		"validation_level": types.StringType, "validity_days": types.Int64Type, "ca": types.StringType, "csr_required": types.BoolType,
	}
	// validationLevels shortens the documented labels (§4.3); others are kept as sent.
	validationLevels = map[string]string{"domain validation certificate": "DV", "organization validation certificate": "OV"}
)

func (d *certificateTypesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_types"
}

func (d *certificateTypesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the certificate types the account can request, with pricing plan, validation level, validity and whether a CSR is required, " +
			"from the service's certificate type list (one request; the filters apply on the provider).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Fixed identifier of the data source (`certificate_types`)."},
			"types": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Keep only these types: `" + strings.Join(requestableTypes, "`, `") + "`.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(requestableTypes...)),
				},
			},
			"pricing_plan": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only types of this pricing plan: `" + strings.Join(pricingPlans, "` or `") + "` (case ignored).",
				Validators:          []validator.String{stringvalidator.OneOfCaseInsensitive(pricingPlans...)},
			},
			"certificate_types": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The certificate types, in the service's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"type": str("The type in the provider's vocabulary (`" + strings.Join(requestableTypes, "`, `") +
						"`: the value of `type` on `ncloudcert_issued_certificate` and `ncloudcert_advanced_order`); null for a product the provider does not know (see `code`)."),
					"code":             str("The service's certificate type code, e.g. `NCP_PAID_OV_01`."),
					"name":             str("The product name."),
					"pricing_plan":     str("`FREE` or `PAID`, as the service says."),
					"validation_level": str("`DV` (domain validation) or `OV` (organization validation: orders need an `organization_no`, see `ncloudcert_organizations`); another label of the service is kept as sent."),
					"validity_days":    schema.Int64Attribute{Computed: true, MarkdownDescription: "Validity of an issued certificate, in days; null when the service does not say."},
					"ca":               str("The issuing certificate authority; null when the service does not say."),
					"csr_required":     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether a request needs your CSR (`csr_pem` of `ncloudcert_advanced_order`); null when the service does not say."},
				}},
			},
		},
	}
}

func (d *certificateTypesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if c := clientFromProviderData(req.ProviderData, &resp.Diagnostics); c != nil {
		d.client = c
	}
}

func (d *certificateTypesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m certificateTypesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var wantTypes []string
	resp.Diagnostics.Append(m.Types.ElementsAs(ctx, &wantTypes, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, err := d.client.ListCertificateTypes(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list certificate types", err)
		return
	}
	items := []attr.Value{}
	for _, t := range all {
		typ := requestableTypeOf(t.Code)
		if len(wantTypes) > 0 && !slices.Contains(wantTypes, typ) ||
			!m.PricingPlan.IsNull() && !strings.EqualFold(t.PricingPlan, m.PricingPlan.ValueString()) {
			continue
		}
		obj, diags := types.ObjectValue(certificateTypeAttrTyp, certificateTypeValues(t, typ))
		resp.Diagnostics.Append(diags...)
		items = append(items, obj)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: certificateTypeAttrTyp}, items)
	resp.Diagnostics.Append(diags...)
	m.ID, m.CertificateTypes = types.StringValue("certificate_types"), list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// requestableTypeOf maps a certificate type code to the provider's vocabulary; "" when the
// code is not one of the requestable types.
func requestableTypeOf(code string) string {
	t := certificateTypeFor[strings.ToUpper(strings.TrimSpace(code))]
	if !slices.Contains(requestableTypes, t) {
		return ""
	}
	return t
}

func certificateTypeValues(t client.CertificateTypeInfo, typ string) map[string]attr.Value {
	level := t.ValidationLevel
	if short, ok := validationLevels[strings.ToLower(strings.TrimSpace(level))]; ok {
		level = short
	}
	v := map[string]attr.Value{
		"type": optionalString(typ), "code": types.StringValue(t.Code), "name": optionalString(t.Name),
		"pricing_plan": optionalString(t.PricingPlan), "validation_level": optionalString(level),
		"validity_days": types.Int64Null(), "ca": optionalString(t.CA), "csr_required": types.BoolNull(),
	}
	if t.ValidityDays != nil {
		v["validity_days"] = types.Int64Value(*t.ValidityDays)
	}
	if t.CSRRequired != nil {
		v["csr_required"] = types.BoolValue(*t.CSRRequired)
	}
	return v
}
