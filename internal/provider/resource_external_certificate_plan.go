package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Plan-time checks and the renewal decision of ncloudcert_external_certificate: every input
// problem is reported on its attribute before any request is sent.

// configuredKey returns the private key and the attribute that holds it; write-only values
// exist only in the configuration, never in the plan.
func configuredKey(config externalCertificateModel) (types.String, string) {
	if !config.PrivateKeyPEMWO.IsNull() {
		return config.PrivateKeyPEMWO, "private_key_pem_wo"
	}
	return config.PrivateKeyPEM.StringValue, "private_key_pem"
}

func (r *externalCertificateResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: an expired or broken certificate must stay deletable
	}
	if !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) {
		// Nothing changes (the common refresh-only plan): only say whether it expires soon.
		// Reading one attribute keeps large plans cheap.
		var cert pemValue
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("certificate_pem"), &cert)...)
		if leaf, err := parseLeafCertificate(cert.ValueString()); err == nil {
			addExpiryDiagnostics(&resp.Diagnostics, &certificateMaterial{leaf: leaf}, false)
		}
		return
	}
	var plan, config externalCertificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *externalCertificateModel
	if !req.State.Raw.IsNull() {
		state = &externalCertificateModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	if state == nil {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("type"), "external")...)
	}
	key, keyAttr := configuredKey(config)
	if plan.CertificatePEM.IsUnknown() || plan.CertificateChainPEM.IsUnknown() || key.IsUnknown() {
		// Known only at apply: Create/Update run the same checks before sending anything.
		if state != nil {
			resp.Diagnostics.Append(markMetadataUnknown(ctx, &resp.Plan)...)
		}
		return
	}
	material, problems := checkMaterial(plan.CertificatePEM.ValueString(), plan.CertificateChainPEM.ValueString(), key.ValueString(), keyAttr)
	addMaterialProblems(&resp.Diagnostics, problems)
	if material == nil {
		return
	}
	renewAttr := ""
	if state != nil {
		renewAttr = renewalAttribute(plan, *state)
	}
	renew := state == nil || renewAttr != ""
	addExpiryDiagnostics(&resp.Diagnostics, material, renew)
	if state != nil && renew {
		if r.client != nil && !r.client.SupportsV2() && !replacesCertificate(plan, *state) {
			resp.Diagnostics.AddAttributeError(path.Root(renewAttr), "In-place renewal is not available on this site",
				fmt.Sprintf("Renewing a certificate in place keeps its number through Certificate Manager API 2.0, which site %q does not offer (only \"public\" does). Nothing was sent. Instead, ",
					r.client.Site())+replaceInsteadAdvice+" To replace just this certificate now, run terraform apply -replace=<resource address>.")
			return
		}
		resp.Diagnostics.Append(markMetadataUnknown(ctx, &resp.Plan)...)
	}
}

// replaceInsteadAdvice is the way to new material where in-place renewal is not possible.
const replaceInsteadAdvice = "let Terraform replace the certificate: set `name_prefix` and `lifecycle { create_before_destroy = true }`, " +
	"and change the prefix together with the certificate material, so the new certificate is registered before the old one is deleted " +
	"(instances using the old one must then be pointed at the new certificate_no)."

// replacesCertificate reports whether the plan replaces the certificate (a new name, or a
// name_prefix the current name lacks) rather than updating it.
func replacesCertificate(plan, state externalCertificateModel) bool {
	if !plan.Name.Equal(state.Name) {
		return true
	}
	prefix := plan.NamePrefix
	return !prefix.IsNull() && (prefix.IsUnknown() || !strings.HasPrefix(state.Name.ValueString(), prefix.ValueString()))
}

func addMaterialProblems(diags *diag.Diagnostics, problems []materialProblem) {
	for _, p := range problems {
		diags.AddAttributeError(path.Root(p.attribute), p.summary, p.detail)
	}
}

// addExpiryDiagnostics: sending an expired certificate is an error; one already registered
// only warns, so plans and destroys keep working while the user renews it. A certificate
// not valid yet warns when it is about to be sent.
func addExpiryDiagnostics(diags *diag.Diagnostics, m *certificateMaterial, sending bool) {
	v, detail := validityProblem(m.leaf, time.Now())
	switch {
	case v == expired && sending:
		diags.AddAttributeError(path.Root("certificate_pem"), "Certificate has expired", detail)
	case v == expired:
		diags.AddAttributeWarning(path.Root("certificate_pem"), "Certificate has expired", detail)
	case v == expiresSoon:
		diags.AddAttributeWarning(path.Root("certificate_pem"), "Certificate expires soon", detail)
	case v == notValidYet && sending:
		diags.AddAttributeWarning(path.Root("certificate_pem"), "Certificate is not valid yet", detail)
	}
}

// needsRenewal reports whether the planned material differs from what the service holds.
func needsRenewal(plan, state externalCertificateModel) bool {
	return renewalAttribute(plan, state) != ""
}

// renewalAttribute names the first attribute whose change needs a renewal, or "". The
// service's serial is the reference, so importing and then applying the same material
// sends nothing.
func renewalAttribute(plan, state externalCertificateModel) string {
	leaf, err := parseLeafCertificate(plan.CertificatePEM.ValueString())
	if err != nil {
		return "certificate_pem"
	}
	if s := state.SerialNumber.ValueString(); s != "" {
		if certificateSerial(leaf) != s {
			return "certificate_pem"
		}
	} else if !pemSemanticallyEqual(pemCertificate, plan.CertificatePEM.ValueString(), state.CertificatePEM.ValueString()) {
		return "certificate_pem"
	}
	if !state.CertificateChainPEM.IsNull() && !pemSemanticallyEqual(pemChain, plan.CertificateChainPEM.ValueString(), state.CertificateChainPEM.ValueString()) {
		return "certificate_chain_pem"
	}
	if !state.PrivateKeyPEMWOVersion.IsNull() && !plan.PrivateKeyPEMWOVersion.Equal(state.PrivateKeyPEMWOVersion) {
		return "private_key_pem_wo_version"
	}
	return ""
}

// externalInput checks the material again (values unknown at plan time arrive here) and
// builds the request in canonical PEM.
func externalInput(plan, config externalCertificateModel, diags *diag.Diagnostics) (client.ExternalCertificateInput, bool) {
	key, keyAttr := configuredKey(config)
	if key.IsNull() || key.ValueString() == "" {
		diags.AddAttributeError(path.Root("private_key_pem"), "Missing private key",
			"Set private_key_pem, or private_key_pem_wo with private_key_pem_wo_version: the service needs the certificate's private key.")
		return client.ExternalCertificateInput{}, false
	}
	material, problems := checkMaterial(plan.CertificatePEM.ValueString(), plan.CertificateChainPEM.ValueString(), key.ValueString(), keyAttr)
	addMaterialProblems(diags, problems)
	if material == nil {
		return client.ExternalCertificateInput{}, false
	}
	addExpiryDiagnostics(diags, material, true)
	if diags.HasError() {
		return client.ExternalCertificateInput{}, false
	}
	return client.ExternalCertificateInput{
		PrivateKey:   canonicalPEM(key.ValueString()),
		Certificate:  canonicalPEM(plan.CertificatePEM.ValueString()),
		Chain:        canonicalPEM(plan.CertificateChainPEM.ValueString()),
		SerialNumber: certificateSerial(material.leaf),
	}, true
}
