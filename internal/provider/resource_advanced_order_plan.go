package provider

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Plan-time behaviour of ncloudcert_advanced_order: every input problem is reported on its
// attribute before any request is sent; a reissue and an extension are decided in the plan.

// ValidateConfig checks the CSR against the names, OV's organization number, the name choice.
func (r *advancedOrderResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if args := argumentsOf(req.Config); args != nil {
		checkNameChoice(args, &resp.Diagnostics)
	}
	var config advancedOrderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.Type.IsUnknown() || config.CommonName.IsUnknown() || config.CSRPEM.IsUnknown() || config.OrganizationNo.IsUnknown() {
		return // checked again at apply, before anything is sent
	}
	names, known := knownStrings(config.DNSNames)
	if !known || config.DNSNames.IsUnknown() {
		return
	}
	addOrderProblems(&resp.Diagnostics, config.Type.ValueString(), config.CommonName.ValueString(), names, config.CSRPEM.ValueString(), !config.OrganizationNo.IsNull(), "")
}

// addOrderProblems reports what the service would refuse: an OV order without organization
// number, too many names or one twice, a CSR that does not parse, is not signed by its key,
// or names other domains than common_name and dns_names.
func addOrderProblems(diags *diag.Diagnostics, typ, commonName string, dnsNames []string, csrPEM string, haveOrganization bool, sent string) {
	if typ == "advanced_ov" && !haveOrganization {
		diags.AddAttributeError(path.Root("organization_no"), "Missing organization_no",
			strings.TrimSpace("An advanced_ov order needs organization_no: the service validates the organization as well as the domains. "+sent))
	}
	addDomainListProblems(diags, path.Root("dns_names"), commonName, dnsNames)
	if p := csrProblem(csrPEM, commonName, dnsNames); p != "" {
		diags.AddAttributeError(path.Root("csr_pem"), "Invalid certificate signing request", strings.TrimSpace(p+" "+sent))
	}
}

// parseCSR parses a PEM CSR: exactly one CERTIFICATE REQUEST block, signed by its own key.
func parseCSR(s string) (*x509.CertificateRequest, error) {
	var blocks []*pem.Block
	for rest := []byte(strings.TrimSpace(s)); ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		blocks = append(blocks, b)
	}
	if len(blocks) != 1 || blocks[0].Type != "CERTIFICATE REQUEST" {
		return nil, fmt.Errorf("csr_pem must hold exactly one PEM block of type CERTIFICATE REQUEST (found %d PEM block(s))", len(blocks))
	}
	csr, err := x509.ParseCertificateRequest(blocks[0].Bytes)
	if err != nil {
		return nil, fmt.Errorf("csr_pem does not parse as a certificate signing request: %w", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("csr_pem's signature does not hold (the CSR was altered, or not signed by its key): %w", err)
	}
	return csr, nil
}

// csrProblem says why the CSR cannot be ordered for these names, or "".
func csrProblem(csrPEM, commonName string, dnsNames []string) string {
	csr, err := parseCSR(csrPEM)
	if err != nil {
		return err.Error() + "."
	}
	got := validationNameSet(append([]string{csr.Subject.CommonName}, csr.DNSNames...))
	want := validationNameSet(append([]string{commonName}, dnsNames...))
	if !slices.Equal(got, want) {
		return fmt.Sprintf("The CSR's names (%s) are not common_name and dns_names (%s): the service refuses a CSR for other names. Make the CSR for exactly these names, or change common_name / dns_names.",
			strings.Join(got, ", "), strings.Join(want, ", "))
	}
	if csr.Subject.CommonName != "" && canonicalDomain(csr.Subject.CommonName) != canonicalDomain(commonName) {
		return fmt.Sprintf("The CSR's common name is %q, not common_name %q.", csr.Subject.CommonName, commonName)
	}
	return ""
}

// sameCSR: both parse to the same request (formatting aside).
func sameCSR(a, b string) bool {
	ca, errA := parseCSR(a)
	cb, errB := parseCSR(b)
	return errA == nil && errB == nil && string(ca.Raw) == string(cb.Raw)
}

func (r *advancedOrderResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state advancedOrderModel
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if req.Plan.Raw.IsNull() {
		if !req.State.Raw.IsNull() && protected(state) {
			addProtectedError(&resp.Diagnostics, state)
		}
		return
	}
	var plan advancedOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	names, namesKnown := knownStrings(plan.DNSNames)
	namesKnown = namesKnown && !plan.DNSNames.IsUnknown() && !plan.CommonName.IsUnknown()
	plannedRecords := func() {
		v := types.MapUnknown(validationRecordsType.ElemType)
		if namesKnown {
			m, d := plannedValidationRecords(ctx, validationGroups(append([]string{plan.CommonName.ValueString()}, names...)))
			resp.Diagnostics.Append(d...)
			v = m
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("domain_validation_records"), v)...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("validation_status"), types.MapUnknown(types.StringType))...)
	}
	if req.State.Raw.IsNull() {
		plannedRecords()
		return
	}
	if replaced := replacedBy(plan, state); len(replaced) > 0 {
		if protected(state) {
			resp.Diagnostics.AddAttributeError(replaced[0], "Advanced order is protected from replacement", fmt.Sprintf(
				"Changing %s replaces order %s: a new paid order is placed and the current one is destroyed, forfeiting its subscription. Nothing was changed. "+
					"Revert the change, or, if that is what you want, set deletion_protection = false on it, apply, then make the change.", replaced[0], orderLabel(state)))
			return
		}
		resp.RequiresReplace = append(resp.RequiresReplace, replaced...)
		return
	}
	if state.ID.IsNull() {
		// An order request whose outcome is unknown: the next apply sends it again (same
		// requestToken) unless the refresh found the order.
		for _, name := range []string{"id", "status", "not_before", "not_after", "certificate_pem", "certificate_chain_pem", "subscription_start", "subscription_end"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
		}
		for _, name := range []string{"representative_certificate_no", "remaining_days", "extendable_years"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.Int64Unknown())...)
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("certificates"), types.ListUnknown(types.Int64Type))...)
		plannedRecords()
		return
	}
	// After an import, csr_pem and reissue_triggers are not known to the state: taking them
	// from the configuration does not reissue.
	imported := state.CSRPEM.IsNull()
	csrChanged := false
	if !imported {
		switch {
		case plan.CSRPEM.IsUnknown():
			csrChanged = true
		case plan.CSRPEM.ValueString() != state.CSRPEM.ValueString() && sameCSR(plan.CSRPEM.ValueString(), state.CSRPEM.ValueString()):
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("csr_pem"), state.CSRPEM)...)
		default:
			csrChanged = plan.CSRPEM.ValueString() != state.CSRPEM.ValueString()
		}
	}
	prior, _ := knownStrings(state.DNSNames)
	namesChanged := !namesKnown || !slices.Equal(validationNameSet(names), validationNameSet(prior))
	triggersChanged := !imported && !plan.ReissueTriggers.Equal(state.ReissueTriggers)
	// A representative whose request ended without a certificate is reissued in place.
	failed := client.IsFailedRequestStatus("", state.Status.ValueString())
	if csrChanged || namesChanged || triggersChanged || failed {
		for _, name := range []string{"status", "not_before", "not_after", "certificate_pem", "certificate_chain_pem"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("representative_certificate_no"), types.Int64Unknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("certificates"), types.ListUnknown(types.Int64Type))...)
		if !keepsPersistentRecords(ctx, plan, state, recordsMethod(ctx, req.Private), names, namesKnown) {
			plannedRecords()
		}
	}

	if plan.SubscriptionYears.IsUnknown() || state.SubscriptionYears.IsNull() {
		return
	}
	want, have := plan.SubscriptionYears.ValueInt64(), state.SubscriptionYears.ValueInt64()
	switch {
	case want < have:
		resp.Diagnostics.AddAttributeError(path.Root("subscription_years"), "Subscription cannot be shortened",
			fmt.Sprintf("Order %s is subscribed for %d year(s); subscription_years = %d would shorten it, which the service does not allow. Set subscription_years to %d or more.",
				state.ID.ValueString(), have, want, have))
	case want > have && !state.ExtendableYears.IsNull() && !state.ExtendableYears.IsUnknown() && want-have > state.ExtendableYears.ValueInt64():
		resp.Diagnostics.AddAttributeError(path.Root("subscription_years"), "Subscription cannot be extended that far",
			fmt.Sprintf("Raising subscription_years from %d to %d extends order %s by %d year(s), but the service allows %d now (extendable_years; 0 until a certificate of the order is issued, or after the subscription ended). Nothing was sent.",
				have, want, state.ID.ValueString(), want-have, state.ExtendableYears.ValueInt64()))
	case want > have:
		for _, name := range []string{"subscription_end"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("remaining_days"), types.Int64Unknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("extendable_years"), types.Int64Unknown())...)
	}
}

// protected: destroy and replacement are refused (a state without the attribute, from
// before it existed or an import, is protected).
func protected(state advancedOrderModel) bool {
	return state.DeletionProtection.IsNull() || state.DeletionProtection.IsUnknown() || state.DeletionProtection.ValueBool()
}

func addProtectedError(diags *diag.Diagnostics, state advancedOrderModel) {
	diags.AddError("Advanced order is protected from destroy", fmt.Sprintf(
		"Destroying order %s forfeits its paid subscription: its certificates are deleted (and revoked with revoke_on_destroy), and the subscription cannot be recovered. "+
			"Nothing was changed. If that is what you want: set deletion_protection = false on it, apply, then destroy (or remove it from the configuration) again.", orderLabel(state)))
}

func orderLabel(state advancedOrderModel) string {
	if state.ID.IsNull() {
		return strconv.Quote(state.Name.ValueString()) + " (its order id not known yet)"
	}
	return state.ID.ValueString()
}

// replacedBy lists the arguments whose change needs a new order: type, the common name
// (other than case or a trailing dot) and the organization. A value the state does not
// know (after an import) is taken from the configuration without replacing.
func replacedBy(plan, state advancedOrderModel) path.Paths {
	var out path.Paths
	if plan.Type.IsUnknown() || (!state.Type.IsNull() && plan.Type.ValueString() != state.Type.ValueString()) {
		out = append(out, path.Root("type"))
	}
	if plan.CommonName.IsUnknown() || (!state.CommonName.IsNull() && canonicalDomain(plan.CommonName.ValueString()) != canonicalDomain(state.CommonName.ValueString())) {
		out = append(out, path.Root("common_name"))
	}
	if plan.OrganizationNo.IsUnknown() || (!state.OrganizationNo.IsNull() && !plan.OrganizationNo.Equal(state.OrganizationNo)) {
		out = append(out, path.Root("organization_no"))
	}
	return out
}

// keepsPersistentRecords: when the records in state were made by persistent_dns (method:
// how the representative was requested) and the reissue uses it too, for the same
// validation domains, the reissue reuses the order's records, so the plan keeps them
// (known, unchanged) and the DNS records made from them are not replaced.
func keepsPersistentRecords(ctx context.Context, plan, state advancedOrderModel, method string, names []string, namesKnown bool) bool {
	if !namesKnown || plan.ValidationMethod.ValueString() != "persistent_dns" || method != "persistent_dns" ||
		state.DomainValidationRecords.IsNull() || state.DomainValidationRecords.IsUnknown() {
		return false
	}
	var diags diag.Diagnostics
	prior := append([]string{state.CommonName.ValueString()}, stringElements(ctx, state.DNSNames, &diags)...)
	return !diags.HasError() && slices.Equal(validationDomains(append([]string{plan.CommonName.ValueString()}, names...)), validationDomains(prior))
}

// validationDomains are the keys of the records of names.
func validationDomains(names []string) []string {
	var out []string
	for _, g := range validationGroups(names) {
		out = append(out, g.Domain)
	}
	slices.Sort(out)
	return out
}

// privateKeyRecordsMethod is the private state key of the validation_method the
// representative was requested with (its records are of that kind); absent after an import.
const privateKeyRecordsMethod = "records_method"

func recordsMethod(ctx context.Context, private privateGetter) string {
	if private == nil {
		return ""
	}
	b, d := private.GetKey(ctx, privateKeyRecordsMethod)
	var method string
	if d.HasError() || len(b) == 0 || json.Unmarshal(b, &method) != nil {
		return ""
	}
	return method
}

func saveRecordsMethod(ctx context.Context, private privateSetter, method string) diag.Diagnostics {
	b, _ := json.Marshal(method)
	return private.SetKey(ctx, privateKeyRecordsMethod, b)
}
