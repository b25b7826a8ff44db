package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ resource.Resource                   = (*eabCredentialResource)(nil)
	_ resource.ResourceWithConfigure      = (*eabCredentialResource)(nil)
	_ resource.ResourceWithValidateConfig = (*eabCredentialResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*eabCredentialResource)(nil)
	_ resource.ResourceWithIdentity       = (*eabCredentialResource)(nil)
	_ resource.ResourceWithImportState    = (*eabCredentialResource)(nil)
)

// eabCredentialType is the resource type name, for messages.
const eabCredentialType = "ncloudcert_acme_eab_credential"

// The arguments' values and the service's codes (API doc §6.6): one list for the validators,
// the descriptions and the requests.
var (
	eabModes     = []string{"pre_validated", "dns01"}
	eabModeCodes = map[string]string{"pre_validated": client.EabModePreValidated, "dns01": client.EabModeDNS01}
	eabTypes     = []string{"advanced_dv", "advanced_ov"}
	eabTypeCodes = map[string]string{"advanced_dv": client.EabTypeDV, "advanced_ov": client.EabTypeOV}
)

// The validity range follows the CA/Browser Forum's 200-day limit on TLS certificates
// (since 15 March 2026); the guide documents none (its example is 198).
const (
	minEabValidityDays = 1
	maxEabValidityDays = 200
)

// eabAliasPattern: 1–63 letters, digits, '.', '_' or '-', starting with a letter or digit
// (our rule; the guide has none), so an alias is safe in file names and Kubernetes labels.
var eabAliasPattern = `^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`

type eabCredentialResource struct {
	client *client.Client
}

func newEabCredentialResource() resource.Resource { return &eabCredentialResource{} }

type eabCredentialModel struct {
	ID              types.String `tfsdk:"id"`
	AccountID       types.Int64  `tfsdk:"account_id"`
	ValidationMode  types.String `tfsdk:"validation_mode"`
	CertificateType types.String `tfsdk:"certificate_type"`
	ValidityDays    types.Int64  `tfsdk:"validity_days"`
	Alias           types.String `tfsdk:"alias"`
	OrganizationNo  types.Int64  `tfsdk:"organization_no"`
	EabKid          types.String `tfsdk:"eab_kid"`
	EabHmacKey      types.String `tfsdk:"eab_hmac_key"`
	Status          types.String `tfsdk:"status"`
	EabUsed         types.Bool   `tfsdk:"eab_used"`
}

func (r *eabCredentialResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_acme_eab_credential"
}

func (r *eabCredentialResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	accountIDIdentity.schema(resp)
}

const unreportedReplaceDesc = "Changing it creates a new credential (and deactivates this one), unless the service did not report it to an import: then the configured value is recorded."

func (r *eabCredentialResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replaceString := stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !req.StateValue.IsNull() // null: not reported to an import
	}, unreportedReplaceDesc, unreportedReplaceDesc)
	replaceInt := int64planmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !req.StateValue.IsNull()
	}, unreportedReplaceDesc, unreportedReplaceDesc)
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An ACME **External Account Binding** (EAB) credential for NAVER Cloud's ACME server, so that cert-manager, Caddy or certbot can get " +
			"Advanced DV/OV certificates from it. The service shows the HMAC key **once**, in the create's answer: `eab_hmac_key` is set by the apply that creates " +
			"the credential and is null after an import. Every argument change creates a new credential. Destroy **deactivates** the credential, for good.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The account id as a string (the import id).",
				Computed:            true,
				PlanModifiers:       keepString,
			},
			"account_id": schema.Int64Attribute{
				MarkdownDescription: "The ACME account id of the credential.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"validation_mode": schema.StringAttribute{
				MarkdownDescription: "How the ACME server validates domains: `pre_validated` (domains validated beforehand in Certificate Manager) or `dns01` (the ACME client answers DNS-01 challenges). " + unreportedReplaceDesc,
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf(eabModes...)},
				PlanModifiers:       []planmodifier.String{replaceString},
			},
			"certificate_type": schema.StringAttribute{
				MarkdownDescription: "The certificates the credential gets: " + backtickList(eabTypes) + ". `advanced_ov` needs `organization_no`. Changing it creates a new credential.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf(eabTypes...)},
				PlanModifiers:       []planmodifier.String{replaceString},
			},
			"validity_days": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Validity of the certificates issued through the credential, in days: %d–%d (the CA/Browser Forum's limit since March 2026; the service's own range is not documented). Changing it creates a new credential.",
					minEabValidityDays, maxEabValidityDays),
				Required:      true,
				Validators:    []validator.Int64{int64validator.Between(minEabValidityDays, maxEabValidityDays)},
				PlanModifiers: []planmodifier.Int64{replaceInt},
			},
			"alias": schema.StringAttribute{
				MarkdownDescription: "A name for the credential, unique among your active credentials: 1–63 letters, digits, `.`, `_` or `-`, starting with a letter or digit. " +
					"Create refuses an alias an active credential already has, naming it. Changing it creates a new credential.",
				Required:      true,
				Validators:    []validator.String{eabAliasValidator()},
				PlanModifiers: []planmodifier.String{replaceString},
			},
			"organization_no": schema.Int64Attribute{
				MarkdownDescription: "The organization number, for `advanced_ov` only (required there, refused for `advanced_dv`: both checked at plan time). " + unreportedReplaceDesc,
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{replaceInt},
			},
			"eab_kid": schema.StringAttribute{
				MarkdownDescription: "The EAB key identifier to give the ACME client (`--eab-kid`, cert-manager's `keyID`).",
				Computed:            true,
				PlanModifiers:       keepString,
			},
			"eab_hmac_key": schema.StringAttribute{
				MarkdownDescription: "The EAB HMAC key to give the ACME client (`--eab-hmac-key`, cert-manager's secret). Sensitive. The service shows it only in the create's answer: " +
					"null after an import, and null when the create's answer was lost and the credential was recovered by its alias (a warning says so). " +
					"To get a key then, make a new credential: `terraform apply -replace=<address>`.",
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: keepString,
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "The ACME account status: `pending` (not used yet), `valid` (an ACME client registered with it) or `deactivated` (unusable: the next plan replaces it).",
				Computed:            true,
				PlanModifiers:       keepString,
			},
			"eab_used": schema.BoolAttribute{
				MarkdownDescription: "Whether an ACME client has used the credential to register an account.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *eabCredentialResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

func (r *eabCredentialResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer accountIDIdentity.afterCreate(ctx, resp)
	var plan eabCredentialModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := client.EabCredentialInput{
		ValidationMode:  eabModeCodes[plan.ValidationMode.ValueString()],
		CertificateType: eabTypeCodes[plan.CertificateType.ValueString()],
		ValidityDays:    plan.ValidityDays.ValueInt64(),
		Alias:           plan.Alias.ValueString(),
	}
	if !plan.OrganizationNo.IsNull() {
		in.OrganizationNo = strconv.FormatInt(plan.OrganizationNo.ValueInt64(), 10)
	}
	tflog.Debug(ctx, "creating an ACME EAB credential", map[string]any{"alias": in.Alias, "type": in.CertificateType, "mode": in.ValidationMode})
	res, err := r.client.CreateEabCredential(ctx, in)
	if err != nil {
		addEabCreateError(&resp.Diagnostics, in.Alias, err)
		return
	}
	// From here on the credential exists: only warnings, never an error (a taint would
	// deactivate it and make another).
	cred := res.Credential
	plan.ID = types.StringValue(strconv.FormatInt(cred.AccountID, 10))
	plan.AccountID = types.Int64Value(cred.AccountID)
	plan.EabKid = types.StringValue(cred.Kid)
	plan.Status = types.StringValue(cred.Status)
	plan.EabUsed = types.BoolValue(cred.Used)
	plan.EabHmacKey = types.StringNull()
	if cred.HMACKey != "" {
		plan.EabHmacKey = types.StringValue(cred.HMACKey)
	}
	if cred.Kid == "" || cred.Status == "" {
		// The answer (or the list, after a lost answer) left them out: one more look.
		if found, rerr := r.client.ReadEabCredential(ctx, cred.AccountID); rerr == nil && found != nil {
			plan.EabKid, plan.Status, plan.EabUsed = types.StringValue(found.Kid), types.StringValue(found.Status), types.BoolValue(found.Used)
		} else {
			plan.EabKid, plan.Status = types.StringValue(cred.Kid), types.StringValue(cred.Status)
		}
	}
	if res.Adopted {
		resp.Diagnostics.AddWarning("EAB HMAC key unavailable",
			fmt.Sprintf("The answer to the create was lost, and credential %d (alias %q) was found afterwards and proven to be the one this apply created; no second credential was created. "+
				"Its HMAC key was only in the lost answer and the service never shows it again, so eab_hmac_key is null. "+
				"To get a usable key, make a new credential: terraform apply -replace=<this resource's address> (which deactivates this one).", cred.AccountID, cred.Alias))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// addEabCreateError explains a create that did not record a credential.
func addEabCreateError(diags *diag.Diagnostics, alias string, err error) {
	var taken *client.EabAliasInUseError
	if errors.As(err, &taken) && len(taken.Existing) > 0 {
		ids := make([]string, 0, len(taken.Existing))
		for _, e := range taken.Existing {
			ids = append(ids, fmt.Sprintf("%d (status %s)", e.AccountID, e.Status))
		}
		importID := strconv.FormatInt(taken.Existing[0].AccountID, 10)
		if taken.AfterLostAnswer {
			diags.AddAttributeError(path.Root("alias"), "EAB credential outcome unknown",
				fmt.Sprintf("%s\n\nAfter the answer to the create was lost, credential(s) %s with alias %q appeared, but nothing proves which, if any, this apply created, so none was taken over and nothing was recorded. "+
					"If one is yours, import it (its HMAC key cannot be recovered: then replace it with terraform apply -replace):\n\n%s\n\nOtherwise deactivate it in the console, or choose another alias.",
					err, strings.Join(ids, ", "), alias, importInstructions(eabCredentialType, importID)))
			return
		}
		diags.AddAttributeError(path.Root("alias"), "EAB alias already in use",
			fmt.Sprintf("Active EAB credential(s) %s already have the alias %q; nothing was sent. Terraform never takes over a credential it did not create, and an alias should name one credential.\n\n"+
				"If it is the credential this resource should manage, import it (its HMAC key cannot be recovered after import):\n\n%s\n\nOtherwise choose another alias, or deactivate the other credential in the console.",
				strings.Join(ids, ", "), alias, importInstructions(eabCredentialType, importID)))
		return
	}
	if client.IsUncertain(err) {
		diags.AddError("EAB credential outcome unknown", err.Error()+
			"\n\nThe service may have created the credential, and checking its list afterwards failed, so nothing was recorded. "+
			"The next apply lists the credentials first: if this request created one, it refuses the alias and names the credential, so you can import it or deactivate it. "+
			"No second credential is created with that alias.")
		return
	}
	addClientError(diags, "Error creating EAB credential "+strconv.Quote(alias), err)
}

func (r *eabCredentialResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer accountIDIdentity.afterRead(ctx, req, resp)
	var state eabCredentialModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := parseCertificateNo(state.ID.ValueString())
	if !ok {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid EAB credential id", fmt.Sprintf("The id %q in state is not an account id.", state.ID.ValueString()))
		return
	}
	cred, err := r.client.ReadEabCredential(ctx, id)
	switch {
	case err != nil:
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error reading EAB credential %d", id), err)
		return
	case cred == nil:
		tflog.Warn(ctx, "EAB credential no longer listed; removing it from state", map[string]any{"account_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	state.fill(*cred)
	if cred.Deactivated() {
		resp.Diagnostics.AddWarning("EAB credential deactivated",
			fmt.Sprintf("EAB credential %d (alias %q) was deactivated outside Terraform and can no longer be used. The next apply replaces it: it creates a new credential, with a new key ID and HMAC key, "+
				"to give your ACME clients. Remove the resource from the configuration instead if you no longer need one.", id, cred.Alias))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// fill copies what the service reported; what it did not report stays as it was.
func (m *eabCredentialModel) fill(e client.EabCredential) {
	m.ID = types.StringValue(strconv.FormatInt(e.AccountID, 10))
	m.AccountID = types.Int64Value(e.AccountID)
	m.Status = types.StringValue(e.Status)
	m.EabKid = types.StringValue(e.Kid)
	m.EabUsed = types.BoolValue(e.Used)
	m.Alias = types.StringValue(e.Alias)
	for name, code := range eabTypeCodes {
		if code == e.CertificateType {
			m.CertificateType = types.StringValue(name)
		}
	}
	for name, code := range eabModeCodes {
		if code == e.ValidationMode {
			m.ValidationMode = types.StringValue(name)
		}
	}
	if e.ValidityDays > 0 {
		m.ValidityDays = types.Int64Value(e.ValidityDays)
	}
	if org, err := strconv.ParseInt(e.OrganizationNo, 10, 64); err == nil && org > 0 {
		m.OrganizationNo = types.Int64Value(org)
	}
}

// Update only records configured values the service did not report to an import: every
// other change replaces.
func (r *eabCredentialResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer accountIDIdentity.afterUpdate(ctx, req, resp)
	var plan, state eabCredentialModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.ValidationMode, state.OrganizationNo = plan.ValidationMode, plan.OrganizationNo
	state.CertificateType, state.ValidityDays, state.Alias = plan.CertificateType, plan.ValidityDays, plan.Alias
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *eabCredentialResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state eabCredentialModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.AccountID.ValueInt64()
	outcome, err := r.client.DeactivateEabCredential(ctx, id)
	if err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error deactivating EAB credential %d", id), err)
		return
	}
	switch outcome {
	case client.EabAlreadyDeactivated:
		tflog.Info(ctx, "EAB credential was already deactivated", map[string]any{"account_id": id})
	case client.EabMissing:
		tflog.Info(ctx, "EAB credential no longer exists", map[string]any{"account_id": id})
	default:
		tflog.Info(ctx, "EAB credential deactivated", map[string]any{"account_id": id})
	}
}

func (r *eabCredentialResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	accountIDIdentity.importState(ctx, req, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	var id int64
	resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root("account_id"), &id)...)
	resp.Diagnostics.AddWarning("EAB HMAC key not imported",
		fmt.Sprintf("The service shows a credential's HMAC key only once, when it is created, so eab_hmac_key stays null for imported credential %d. "+
			"If your ACME clients need the key and you no longer have it, make a new credential: terraform apply -replace=<this resource's address> (which deactivates this one).", id))
}
