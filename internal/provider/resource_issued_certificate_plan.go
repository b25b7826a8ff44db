package provider

import (
	"context"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Plan-time behaviour of ncloudcert_issued_certificate: every input problem is reported on
// its attribute before any request is sent; the validation records' keys are planned from
// the configuration; a failed request is planned for replacement.

// ValidateConfig checks what no single attribute shows: too many names, a name twice.
func (r *issuedCertificateResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if args := argumentsOf(req.Config); args != nil {
		checkNameChoice(args, &resp.Diagnostics)
	}
	var commonName types.String
	var dnsNames types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("common_name"), &commonName)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("dns_names"), &dnsNames)...)
	if resp.Diagnostics.HasError() || commonName.IsUnknown() || dnsNames.IsUnknown() {
		return
	}
	names, known := knownStrings(dnsNames)
	if !known {
		return // checked again at apply, before anything is sent
	}
	addDomainListProblems(&resp.Diagnostics, path.Root("dns_names"), commonName.ValueString(), names)
}

func (r *issuedCertificateResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if !req.State.Raw.IsNull() {
		addFixedNameReplacementWarning(ctx, req, &resp.Diagnostics)
		// A request that ended without a certificate is replaced: the failed request is
		// deleted (it still holds its name in the account) and a new one is requested.
		// Reading one attribute keeps large plans cheap.
		var status types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
		if client.IsFailedRequestStatus("", status.ValueString()) {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
			return
		}
		addIssuedExpiryWarning(&resp.Diagnostics, plannedExpiry(ctx, req.State, req.Plan, &resp.Diagnostics), time.Now())
		return
	}

	// Create (or the create half of a replacement).
	if r.client != nil && !r.client.SupportsV2() {
		resp.Diagnostics.AddAttributeError(path.Root("type"), "Certificate requests are not available on this site",
			"Requesting Cloud Basic and Global Edge certificates uses Certificate Manager API 2.0, which site \""+r.client.Site()+
				"\" does not offer (only \"public\" does). Nothing was sent. Register a certificate issued elsewhere with ncloudcert_external_certificate instead.")
		return
	}
	var commonName types.String
	var dnsNames types.Set
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("common_name"), &commonName)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("dns_names"), &dnsNames)...)
	if resp.Diagnostics.HasError() || commonName.IsUnknown() || dnsNames.IsUnknown() {
		return // the map stays unknown: its keys come from names known only at apply
	}
	names, known := knownStrings(dnsNames)
	if !known {
		return
	}
	records, d := plannedValidationRecords(ctx, validationGroups(append([]string{commonName.ValueString()}, names...)))
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("domain_validation_records"), records)...)
}

// knownStrings reads a set of strings; known is false when an element is unknown.
func knownStrings(s types.Set) (out []string, known bool) {
	if s.IsNull() {
		return nil, true
	}
	for _, e := range s.Elements() {
		v, ok := e.(types.String)
		if !ok || v.IsUnknown() {
			return nil, false
		}
		if !v.IsNull() {
			out = append(out, v.ValueString())
		}
	}
	return out, true
}

// requiresReplaceIfOtherDomain replaces when the common name names another domain; a
// change of case or trailing dot only updates the state.
func requiresReplaceIfOtherDomain() planmodifier.String {
	const desc = "Replaces the certificate when the name changes other than in case or a trailing dot."
	return stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = req.PlanValue.IsUnknown() || canonicalDomain(req.PlanValue.ValueString()) != canonicalDomain(req.StateValue.ValueString())
	}, desc, desc)
}

// requiresReplaceIfOtherDomains replaces when the set names other domains.
func requiresReplaceIfOtherDomains() planmodifier.Set {
	const desc = "Replaces the certificate when the set of names changes other than in case or trailing dots."
	return setplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.SetRequest, resp *setplanmodifier.RequiresReplaceIfFuncResponse) {
		planned, known := knownStrings(req.PlanValue)
		prior, _ := knownStrings(req.StateValue)
		resp.RequiresReplace = req.PlanValue.IsUnknown() || !known || !slices.Equal(validationNameSet(planned), validationNameSet(prior))
	}, desc, desc)
}
