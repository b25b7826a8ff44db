package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Plan-time behaviour and refresh warnings of ncloudcert_domain_validation.

// ModifyPlan: an INVALID registration is replaced (the service's verdict is final); a new
// one gets its validation_records key from the configuration, and is refused before
// anything is sent on a site without API 2.0.
func (r *domainValidationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if !req.State.Raw.IsNull() {
		var status types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
		if status.ValueString() == client.DomainInvalid {
			for _, a := range []string{"status", "validated_at", "registered_at", "id"} {
				resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(a), types.StringUnknown())...)
			}
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("domain_id"), types.Int64Unknown())...)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("validation_status"), types.MapUnknown(types.StringType))...)
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
		}
		return
	}
	if r.client != nil && !r.client.SupportsV2() {
		resp.Diagnostics.AddAttributeError(path.Root("domain"), "Domain registration is not available on this site",
			"Registering domains uses Certificate Manager API 2.0, which site \""+r.client.Site()+"\" does not offer (only \"public\" does). Nothing was sent.")
		return
	}
	var domain types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("domain"), &domain)...)
	if resp.Diagnostics.HasError() || domain.IsUnknown() || domain.IsNull() {
		return // the map stays unknown: its key comes from a domain known only at apply
	}
	records, d := plannedValidationRecords(ctx, validationGroups([]string{domain.ValueString()}))
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("validation_records"), records)...)
}

// noWildcardValidator refuses "*.x": a domain is registered without its wildcard.
type noWildcardValidator struct{}

var _ validator.String = noWildcardValidator{}

func (noWildcardValidator) Description(context.Context) string {
	return "must not be a wildcard (*.example.com): register example.com"
}

func (v noWildcardValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (noWildcardValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d := canonicalDomain(req.ConfigValue.ValueString()); strings.HasPrefix(d, "*.") {
		resp.Diagnostics.AddAttributeError(req.Path, "Wildcard domain",
			fmt.Sprintf("%q is a wildcard: register the domain itself, %q; wildcard certificates of it use that validation. Nothing was sent.",
				req.ConfigValue.ValueString(), strings.TrimPrefix(d, "*.")))
	}
}

// addDomainRecordWarning says when the service did not describe the record to publish.
func addDomainRecordWarning(diags *diag.Diagnostics, d *client.DomainValidation) {
	if d.HasRecord() || d.ValidState == client.DomainValid {
		return
	}
	diags.AddAttributeWarning(path.Root("validation_records"), "Validation record not reported",
		fmt.Sprintf("The service did not say which DNS record validates domain %q (domain id %d), so validation_records has null values. "+
			"Look the record up in the Certificate Manager console; the next refresh reads it again.", d.Domain, d.ID))
}

// addDomainStatusWarning warns on refresh about a registration that is not VALID: PENDING
// names the record to publish, INVALID the cure.
func addDomainStatusWarning(diags *diag.Diagnostics, d *client.DomainValidation, records types.Map) {
	switch d.ValidState {
	case client.DomainPending:
		what := "its DNS record"
		if d.HasRecord() {
			what = fmt.Sprintf("the %s record %s with the value %s", d.RecordType, d.RecordName, strings.Join(d.RecordValues, ", "))
		}
		diags.AddAttributeWarning(path.Root("status"), "Domain not validated yet",
			fmt.Sprintf("Domain %q (domain id %d) is PENDING: the service has not seen %s yet. Publish validation_records with your DNS provider "+
				"(for_each over the map) and wait with ncloudcert_domain_validation_wait.", d.Domain, d.ID, what))
	case client.DomainInvalid:
		diags.AddAttributeWarning(path.Root("status"), "Domain validation invalid",
			fmt.Sprintf("Domain %q (domain id %d) is INVALID: the service will not validate this registration any more. "+
				"Check that the record of validation_records is published with exactly its value, then apply: the plan replaces the registration (deletes it and registers the domain again).%s",
				d.Domain, d.ID, recordsText(records)))
	}
}

// recordsText lists the records of a validation records map for messages.
func recordsText(records types.Map) string {
	if records.IsNull() || records.IsUnknown() {
		return ""
	}
	var b strings.Builder
	for _, e := range records.Elements() {
		obj, ok := e.(types.Object)
		if !ok {
			continue
		}
		attrs := obj.Attributes()
		fmt.Fprintf(&b, "\n  %s %s %s", strValue(attrs["record_name"]), strValue(attrs["record_type"]), listText(attrs["record_values"]))
	}
	return b.String()
}

func strValue(v attr.Value) string {
	if s, ok := v.(types.String); ok {
		return s.ValueString()
	}
	return ""
}

func listText(v attr.Value) string {
	l, ok := v.(types.List)
	if !ok {
		return ""
	}
	var out []string
	for _, e := range l.Elements() {
		out = append(out, strValue(e))
	}
	return strings.Join(out, ", ")
}
