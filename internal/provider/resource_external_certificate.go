package provider

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ resource.Resource                   = (*externalCertificateResource)(nil)
	_ resource.ResourceWithConfigure      = (*externalCertificateResource)(nil)
	_ resource.ResourceWithValidateConfig = (*externalCertificateResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*externalCertificateResource)(nil)
	_ resource.ResourceWithImportState    = (*externalCertificateResource)(nil)
	_ resource.ResourceWithIdentity       = (*externalCertificateResource)(nil)
)

const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

type externalCertificateResource struct {
	client *client.Client
}

func newExternalCertificateResource() resource.Resource { return &externalCertificateResource{} }

type externalCertificateModel struct {
	ID                     types.String   `tfsdk:"id"`
	Name                   types.String   `tfsdk:"name"`
	NamePrefix             types.String   `tfsdk:"name_prefix"`
	CertificatePEM         pemValue       `tfsdk:"certificate_pem"`
	CertificateChainPEM    pemValue       `tfsdk:"certificate_chain_pem"`
	PrivateKeyPEM          pemValue       `tfsdk:"private_key_pem"`
	PrivateKeyPEMWO        types.String   `tfsdk:"private_key_pem_wo"`
	PrivateKeyPEMWOVersion types.Int64    `tfsdk:"private_key_pem_wo_version"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
	certificateMetadataModel
}

// externalCertificateType is the resource type name, for messages.
const externalCertificateType = "ncloudcert_external_certificate"

func (r *externalCertificateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_external_certificate"
}

func (r *externalCertificateResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	certificateNoIdentity.schema(resp)
}

func (r *externalCertificateResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := certificateMetadataResourceAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The certificate number, as a string (the import id).",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	maps.Copy(attrs, nameAttributes())
	attrs["certificate_pem"] = schema.StringAttribute{
		CustomType:    certificatePEMType,
		PlanModifiers: []planmodifier.String{keepEquivalentPEM{pemCertificate}},
		MarkdownDescription: "The server (leaf) certificate in PEM format. Compared by content: line endings and surrounding whitespace never cause a diff. " +
			"Changing it renews the certificate in place (API 2.0), keeping `id` and `certificate_no`.",
		Required: true,
	}
	attrs["certificate_chain_pem"] = schema.StringAttribute{
		CustomType:    chainPEMType,
		PlanModifiers: []planmodifier.String{keepEquivalentPEM{pemChain}},
		MarkdownDescription: "The intermediate certificates in PEM format, issuer of the leaf first; a trailing root is optional. " +
			"Only CERTIFICATE blocks are accepted. Changing it renews in place.",
		Required: true,
	}
	maps.Copy(attrs, privateKeyAttributes(
		"Terraform cannot see changes to it: bump `private_key_pem_wo_version` to renew with a new key.",
		"Required with it; changing it renews the certificate in place with the current certificate material."))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Registers a certificate issued elsewhere (an *external* certificate) with Certificate Manager, " +
			"so Load Balancers, CDN+ and Global Edge can use it. New certificate material renews the certificate in place: its number stays the same, so the instances that use it are untouched.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "Default 10m.", ReadDescription: "Default 5m.", UpdateDescription: "Default 10m.",
				DeleteDescription: "Default 10m. While instances still use the certificate, delete keeps retrying until this runs out."}),
		},
	}
}

// ValidateConfig checks the argument combinations in one pass (see common_config_checks.go).
func (r *externalCertificateResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if args := argumentsOf(req.Config); args != nil {
		checkNameChoice(args, &resp.Diagnostics)
		checkKeyChoice(args, &resp.Diagnostics)
	}
}

func (r *externalCertificateResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

func (r *externalCertificateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer certificateNoIdentity.afterCreate(ctx, resp)
	var plan, config externalCertificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	in, ok := externalInput(plan, config, &resp.Diagnostics)
	if !ok {
		return
	}
	in.Name = plan.Name.ValueString()
	if plan.Name.IsUnknown() || plan.Name.IsNull() {
		in.Name = generateName(plan.NamePrefix.ValueString())
	}
	tflog.Debug(ctx, "registering external certificate", map[string]any{"name": in.Name, "serial": in.SerialNumber})
	started := time.Now()
	cert, err := r.client.CreateExternalCertificate(ctx, in)
	if err != nil {
		if addNameInUseError(&resp.Diagnostics, externalCertificateType, err) {
			return
		}
		addClientError(&resp.Diagnostics, "Error registering external certificate "+strconv.Quote(in.Name), err)
		if client.IsUncertain(err) {
			// The certificate may exist. Keeping its name and material in state (Terraform
			// marks it tainted) lets the next refresh find it, and act on it only with proof
			// that it is this create's: never an orphan, never someone else's.
			plan.Name, plan.ID = types.StringValue(in.Name), types.StringNull()
			plan.certificateMetadataModel = nullCertificateMetadata()
			resp.Diagnostics.Append(recordCreateAttempt(ctx, resp.Private, r.client, started)...)
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		}
		return
	}
	plan.Name = types.StringValue(in.Name)
	r.applyRemote(ctx, &plan, cert, false, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *externalCertificateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer certificateNoIdentity.afterRead(ctx, req, resp)
	var state externalCertificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	cert := readOwnedCertificate(ctx, r.client, req, resp, state.ID, state.Name.ValueString(), client.KindExternal, "registers it anew",
		func(cert *client.Certificate, attempt createAttempt, haveAttempt bool) (bool, string) {
			return ownsUnconfirmedCreate(cert, state.Name.ValueString(), state.CertificatePEM.ValueString(), attempt, haveAttempt)
		})
	if cert == nil {
		return
	}
	prior := state
	if got := certificateTypeOf(cert); got != "" && got != "external" {
		addWrongTypeError(&resp.Diagnostics, externalCertificateType, "external", cert, got)
		return
	}
	no := cert.No

	// The list answer carries the serial, not the PEM: fetch the PEM only when it is missing
	// (import) or the certificate was replaced outside Terraform, so a refresh stays one
	// request. A chain replaced outside Terraform with the same leaf is therefore not seen
	// (documented). Sites without API 2.0 cannot fetch PEM at all: the serial decides.
	stateSerial := ""
	if leaf, err := parseLeafCertificate(state.CertificatePEM.ValueString()); err == nil {
		stateSerial = certificateSerial(leaf)
	}
	drifted := cert.SerialNumber != "" && stateSerial != cert.SerialNumber
	switch {
	case (state.CertificatePEM.IsNull() || drifted) && r.client.SupportsV2():
		r.readMaterial(ctx, &state, no, &resp.Diagnostics)
	case drifted:
		state.CertificatePEM = nullPEMValue(pemCertificate) // shows the difference in the next plan
	}
	r.applyRemote(ctx, &state, cert, true, &resp.Diagnostics)
	if state.unchangedSince(prior) {
		return // resp.State already holds the prior state
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// unchangedSince reports whether a refresh left every value Read may change as it was.
func (m externalCertificateModel) unchangedSince(prior externalCertificateModel) bool {
	return m.ID.Equal(prior.ID) && m.Name.Equal(prior.Name) && m.CertificatePEM.Equal(prior.CertificatePEM) &&
		m.CertificateChainPEM.Equal(prior.CertificateChainPEM) && metadataEqual(m.certificateMetadataModel, prior.certificateMetadataModel)
}

// readMaterial fills certificate_pem and certificate_chain_pem from the service.
func (r *externalCertificateResource) readMaterial(ctx context.Context, state *externalCertificateModel, no int64, diags *diag.Diagnostics) {
	chain, err := r.client.GetCertificateChain(ctx, no)
	if err != nil {
		// Without the PEM, a null certificate_pem still shows the difference in the next plan.
		state.CertificatePEM = nullPEMValue(pemCertificate)
		diags.AddWarning("Cannot read the certificate's PEM",
			fmt.Sprintf("Reading the PEM of certificate %d failed, so certificate_pem is left empty in state and the next apply re-sends the configured certificate: %s", no, err))
		return
	}
	// Stored canonically: the service answers with \r\n line endings, files use \n.
	state.CertificatePEM = newPEMValue(pemCertificate, canonicalPEM(chain.Certificate))
	if rest := canonicalPEM(chain.SubCACertificate + "\n" + chain.RootCACertificate); rest != "" {
		state.CertificateChainPEM = newPEMValue(pemChain, rest)
	}
}

func (r *externalCertificateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer certificateNoIdentity.afterUpdate(ctx, req, resp)
	var plan, state, config externalCertificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !needsRenewal(plan, state) {
		// Only Terraform-side values changed (timeouts, the key after an import): nothing to send.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	in, ok := externalInput(plan, config, &resp.Diagnostics)
	if !ok {
		return
	}
	in.No = state.CertificateNo.ValueInt64()
	in.Name = state.Name.ValueString()
	tflog.Debug(ctx, "renewing external certificate in place", map[string]any{"certificate_no": in.No, "serial": in.SerialNumber})
	cert, err := r.client.RegisterExternalCertificate(ctx, in)
	if err != nil {
		summary := fmt.Sprintf("Error renewing certificate %d in place", in.No)
		switch {
		case client.IsV2Forbidden(err):
			resp.Diagnostics.AddError(summary, err.Error()+"\n\nIn-place renewal uses Certificate Manager API 2.0, which this key may not call (only main-account keys can). "+
				"Use a main-account key, or "+replaceInsteadAdvice)
		case client.IsRequestInvalid(err) && !nameRegexp.MatchString(in.Name):
			resp.Diagnostics.AddAttributeError(path.Root("name"), summary, err.Error()+fmt.Sprintf("\n\nThe name %q predates the current name rule (%s), and the service applies the rule to in-place renewals too, so this certificate cannot be renewed in place. ",
				in.Name, nameRuleText)+"Give it a name that fits the rule, or "+replaceInsteadAdvice)
		default:
			addClientError(&resp.Diagnostics, summary, err)
		}
		return
	}
	r.applyRemote(ctx, &plan, cert, false, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *externalCertificateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state externalCertificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	deleteOwnedCertificate(ctx, r.client, req.Private, state.ID, state.CertificateNo.ValueInt64(), state.Name.ValueString(), client.KindExternal,
		func(cert *client.Certificate, attempt createAttempt, haveAttempt bool) (bool, string) {
			return ownsUnconfirmedCreate(cert, state.Name.ValueString(), state.CertificatePEM.ValueString(), attempt, haveAttempt)
		}, &resp.Diagnostics)
}

func (r *externalCertificateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByCertificateNo(ctx, req, resp)
}

// applyRemote copies what the service reported into the model: everything on refresh,
// the values the plan left unknown after a change.
func (r *externalCertificateResource) applyRemote(ctx context.Context, m *externalCertificateModel, cert *client.Certificate, refresh bool, diags *diag.Diagnostics) {
	meta, d := newCertificateMetadata(ctx, cert)
	diags.Append(d...)
	if refresh {
		m.certificateMetadataModel = meta
	} else {
		m.certificateMetadataModel = m.mergeRemote(meta)
	}
	m.ID = types.StringValue(strconv.FormatInt(cert.No, 10))
	if cert.Name != "" && (refresh || m.Name.IsUnknown()) {
		m.Name = types.StringValue(cert.Name)
	}
}
