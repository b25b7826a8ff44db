package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

func eabAliasValidator() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(eabAliasPattern),
		"must be 1–63 letters, digits, '.', '_' or '-', starting with a letter or digit")
}

// ValidateConfig: organization_no goes with advanced_ov, and only there.
func (r *eabCredentialResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var typ types.String
	var org types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("certificate_type"), &typ)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("organization_no"), &org)...)
	if resp.Diagnostics.HasError() || typ.IsUnknown() || typ.IsNull() || org.IsUnknown() {
		return
	}
	switch {
	case typ.ValueString() == "advanced_ov" && org.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("organization_no"), "Missing organization_no",
			"An advanced_ov EAB credential needs organization_no: the number of the organization validated for OV certificates (Certificate Manager console, Organization). "+
				"Set it, or use certificate_type = \"advanced_dv\".")
	case typ.ValueString() == "advanced_dv" && !org.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("organization_no"), "organization_no is only for advanced_ov",
			"An advanced_dv EAB credential takes no organization. Remove organization_no, or use certificate_type = \"advanced_ov\".")
	}
}

// ModifyPlan replaces a credential deactivated outside Terraform, and refuses, at plan
// time, a create on a site without API 2.0.
func (r *eabCredentialResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if !req.State.Raw.IsNull() {
		var status types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
		if status.ValueString() == client.EabStatusDeactivated {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
		}
		return
	}
	if r.client != nil && !r.client.SupportsV2() {
		resp.Diagnostics.AddError("ACME EAB credentials are not available on this site",
			"EAB credentials use Certificate Manager API 2.0, which site \""+r.client.Site()+"\" does not offer (only \"public\" does). Nothing was sent.")
	}
}
