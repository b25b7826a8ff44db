package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// A fixed name and a replacement. Terraform never tells a provider about `lifecycle`, so with
// create_before_destroy the new request is sent while the old certificate still holds the
// name, and the service refuses it. The plan warns whenever a certificate with a fixed name is
// replaced, and the create's name-in-use error names the name_prefix route instead of
// advising to import the very certificate being replaced.

// cbdNameAdvice is the route out, shared by the plan warning and the create error.
const cbdNameAdvice = "With `lifecycle { create_before_destroy = true }` the new certificate is requested while the old one still holds the name, " +
	"and a fixed `name` cannot be held by both, so the apply fails. Use `name_prefix` instead of `name` (a new name is generated for each certificate), " +
	"or remove create_before_destroy (the old certificate is then deleted first)."

// replacementReason says why this plan replaces the certificate, or "" when it does not:
// a failed request, or a changed type, common name or set of names (spelling aside).
func replacementReason(ctx context.Context, req resource.ModifyPlanRequest, diags *diag.Diagnostics) string {
	var plan, state issuedCertificateModel
	for _, a := range []struct {
		name     string
		dst, src any
	}{
		{"status", &state.Status, nil}, {"type", &state.Type, &plan.Type},
		{"common_name", &state.CommonName, &plan.CommonName}, {"dns_names", &state.DNSNames, &plan.DNSNames},
	} {
		diags.Append(req.State.GetAttribute(ctx, path.Root(a.name), a.dst)...)
		if a.src != nil {
			diags.Append(req.Plan.GetAttribute(ctx, path.Root(a.name), a.src)...)
		}
	}
	if diags.HasError() {
		return ""
	}
	planned, known := knownStrings(plan.DNSNames)
	prior, _ := knownStrings(state.DNSNames)
	switch {
	case client.IsFailedRequestStatus("", state.Status.ValueString()):
		return "its request ended in status " + state.Status.ValueString()
	case !plan.Type.IsUnknown() && plan.Type.ValueString() != state.Type.ValueString():
		return "type changes"
	case plan.CommonName.IsUnknown() || canonicalDomain(plan.CommonName.ValueString()) != canonicalDomain(state.CommonName.ValueString()):
		return "common_name changes"
	case plan.DNSNames.IsUnknown() || !known || !slices.Equal(validationNameSet(planned), validationNameSet(prior)):
		return "dns_names change"
	}
	return ""
}

// addFixedNameReplacementWarning warns when a certificate with a configured name is
// replaced: an error only if create_before_destroy were known to be in effect, which no
// provider can know.
func addFixedNameReplacementWarning(ctx context.Context, req resource.ModifyPlanRequest, diags *diag.Diagnostics) {
	var name types.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	if name.IsNull() || name.IsUnknown() {
		return // name_prefix: every certificate gets its own name
	}
	reason := replacementReason(ctx, req, diags)
	if reason == "" {
		return
	}
	diags.AddAttributeWarning(path.Root("name"), "Replacement with a fixed name",
		fmt.Sprintf("This plan replaces the certificate named %q (%s). %s", name.ValueString(), reason, cbdNameAdvice))
}

// addIssuedNameInUseError reports a name-in-use refusal of a request. When the holder is a
// request of this resource's kind for the same names that ended in a terminal state, it is
// almost surely the certificate this apply replaces (create_before_destroy): the error says
// so, and does not advise importing it. Otherwise the shared error, with the route for the
// case of a replacement. False when err is not a name-in-use refusal.
func addIssuedNameInUseError(diags *diag.Diagnostics, err error) bool {
	var taken *client.NameInUseError
	if !errors.As(err, &taken) {
		return false
	}
	holder := &taken.Existing
	ours := slices.Contains(issuedCertificateTypes, certificateTypeOf(holder))
	if ours && taken.SameMaterial && client.IsFailedRequestStatus(holder.StatusCode, holder.StatusName) {
		diags.AddAttributeError(path.Root("name"), "Certificate name already in use",
			fmt.Sprintf("Certificate %d already holds the name %q: a %s request for the same domain names that ended in status %s. "+
				"It is most likely the certificate this apply replaces. %s Importing it would not help: a failed request is replaced anyway.\n\n%s",
				holder.No, taken.Name, certificateTypeOf(holder), holder.Status(), cbdNameAdvice, err))
		return true
	}
	addNameInUseError(diags, issuedCertificateType, err)
	if ours {
		diags.AddAttributeWarning(path.Root("name"), "If this apply replaces that certificate",
			"If the certificate holding the name is the one this apply replaces: "+cbdNameAdvice)
	}
	return true
}
