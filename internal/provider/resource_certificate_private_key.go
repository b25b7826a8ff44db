package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ resource.Resource                   = (*certificatePrivateKeyResource)(nil)
	_ resource.ResourceWithConfigure      = (*certificatePrivateKeyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*certificatePrivateKeyResource)(nil)
	_ resource.ResourceWithImportState    = (*certificatePrivateKeyResource)(nil)
	_ resource.ResourceWithIdentity       = (*certificatePrivateKeyResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*certificatePrivateKeyResource)(nil)
)

type certificatePrivateKeyResource struct {
	client *client.Client
}

func newCertificatePrivateKeyResource() resource.Resource { return &certificatePrivateKeyResource{} }

type certificatePrivateKeyModel struct {
	ID                     types.String   `tfsdk:"id"`
	CertificateNo          types.Int64    `tfsdk:"certificate_no"`
	PrivateKeyPEM          pemValue       `tfsdk:"private_key_pem"`
	PrivateKeyPEMWO        types.String   `tfsdk:"private_key_pem_wo"`
	PrivateKeyPEMWOVersion types.Int64    `tfsdk:"private_key_pem_wo_version"`
	Status                 types.String   `tfsdk:"status"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
}

func (r *certificatePrivateKeyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_private_key"
}

func (r *certificatePrivateKeyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	certificateNoIdentity.schema(resp)
}

func (r *certificatePrivateKeyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := privateKeyAttributes(
		"Terraform cannot see changes to it: bump `private_key_pem_wo_version` to have the new key checked against the certificate.",
		"Required with it; changing it checks the current key against the certificate again (the service keeps the key registered first).")
	maps.Copy(attrs, map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The certificate number, as a string (the import id).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"certificate_no": schema.Int64Attribute{
			MarkdownDescription: "Number of the certificate whose key to register: an Advanced certificate issued from your CSR, typically `ncloudcert_certificate_validation.x.certificate_no` so that registration waits for issuance. Changing it replaces the registration.",
			Required:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(1)},
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "The certificate's status label; `NORMAL` once the key is registered. After importing a certificate whose key is not registered, its current status: the next plan replaces this resource, so the apply registers the key.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "Registers the private key of an Advanced certificate issued from your CSR (`NORMAL_UNREGISTERED_PRIVATE_KEY` → `NORMAL`): the console's \"private key registration\". " +
			"Create waits for issuance if needed and checks that the key matches the issued certificate before sending it; a key that does not match is an error and nothing is sent. " +
			"The service cannot unregister or replace a key: destroy only forgets the registration, and a changed key is checked against the certificate but not sent again (reissue the order with a new CSR to change keys).",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true,
				CreateDescription: "Default 75m: waiting for issuance (when the certificate is not issued yet) and the registration."}),
		},
	}
}

func (r *certificatePrivateKeyResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if args := argumentsOf(req.Config); args != nil {
		checkKeyChoice(args, &resp.Diagnostics)
	}
}

func (r *certificatePrivateKeyResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

// configuredPrivateKey returns the key and the attribute that holds it; write-only values
// exist only in the configuration.
func configuredPrivateKey(plan, config certificatePrivateKeyModel) (string, path.Path) {
	if !config.PrivateKeyPEMWO.IsNull() {
		return config.PrivateKeyPEMWO.ValueString(), path.Root("private_key_pem_wo")
	}
	return plan.PrivateKeyPEM.ValueString(), path.Root("private_key_pem")
}

func (r *certificatePrivateKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer certificateNoIdentity.afterCreate(ctx, resp)
	var plan, config certificatePrivateKeyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultValidationTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	no := plan.CertificateNo.ValueInt64()
	keyPEM, keyPath := configuredPrivateKey(plan, config)

	tflog.Debug(ctx, "waiting for issuance before registering the private key", map[string]any{"certificate_no": no})
	cert, err := r.client.WaitForIssued(ctx, no)
	var terminal *client.TerminalStatusError
	switch {
	case errors.As(err, &terminal):
		cure := ""
		if c, err := r.client.GetCertificate(ctx, no); err == nil {
			cure = "\n\n" + terminalCure(c)
		}
		resp.Diagnostics.AddAttributeError(path.Root("certificate_no"), "Certificate will not be issued",
			fmt.Sprintf("Certificate %d reached status %s, so it has no key to register. Nothing was sent. %s%s", no, terminal.Status, terminal.Reason, cure))
		return
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("certificate_no"), "Certificate not found",
			fmt.Sprintf("Certificate %d does not exist, so its private key cannot be registered. Nothing was sent: %s", no, err))
		return
	case err != nil:
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error waiting for certificate %d to be issued", no), err)
		return
	}
	if !r.keyMatches(ctx, no, keyPEM, keyPath, &resp.Diagnostics) {
		return
	}
	switch cert.Status() {
	case client.StatusNormalUnregisteredPrivateKey:
		tflog.Debug(ctx, "registering the private key", map[string]any{"certificate_no": no})
		if err := r.client.RegisterPrivateKey(ctx, no, keyPEM); err != nil {
			addClientError(&resp.Diagnostics, fmt.Sprintf("Error registering the private key of certificate %d", no), err)
			return
		}
		if cert, err = r.client.GetCertificate(ctx, no); err != nil {
			addClientError(&resp.Diagnostics, fmt.Sprintf("The private key of certificate %d was registered, but reading the certificate afterwards failed", no), err)
			cert = &client.Certificate{No: no, StatusName: client.StatusNormal}
		}
	case client.StatusNormal:
		// The key is registered already (an earlier apply whose answer was lost, or the
		// console), and the configured key matches the certificate: nothing to send.
		tflog.Debug(ctx, "the certificate's key is registered already", map[string]any{"certificate_no": no})
	default:
		resp.Diagnostics.AddAttributeError(path.Root("certificate_no"), "Certificate takes no private key",
			fmt.Sprintf("Certificate %d is in status %s: only an Advanced certificate issued from your CSR (status %s) takes a private key. Nothing was sent.",
				no, cert.Status(), client.StatusNormalUnregisteredPrivateKey))
		return
	}
	plan.ID = types.StringValue(strconv.FormatInt(no, 10))
	plan.Status = optionalString(cert.Status())
	resp.Diagnostics.Append(rememberCertificateRef(ctx, resp.Private, cert)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// keyMatches reads the issued certificate and checks the key against it; a problem is an
// error on the key's attribute.
func (r *certificatePrivateKeyResource) keyMatches(ctx context.Context, no int64, keyPEM string, keyPath path.Path, diags *diag.Diagnostics) bool {
	key, err := parsePrivateKey(keyPEM)
	if err != nil {
		diags.AddAttributeError(keyPath, "Invalid private key", fmt.Sprintf("%s. Nothing was sent.", err))
		return false
	}
	chain, err := r.client.GetCertificateChain(ctx, no)
	if err != nil {
		addClientError(diags, fmt.Sprintf("Error reading certificate %d to check its private key; nothing was sent", no), err)
		return false
	}
	leaf, err := parseLeafCertificate(chain.Certificate)
	if err != nil {
		diags.AddError("Cannot read the issued certificate", fmt.Sprintf("Certificate %d's PEM could not be parsed (%s), so the key cannot be checked. Nothing was sent.", no, err))
		return false
	}
	if !keyMatchesCertificate(key, leaf) {
		diags.AddAttributeError(keyPath, "Private key does not match the certificate",
			fmt.Sprintf("The private key is not the key of certificate %d (issued for %q from the order's CSR). Nothing was sent. "+
				"Use the key the CSR was made with, or reissue the order with a CSR made from this key.", no, leaf.Subject.CommonName))
		return false
	}
	return true
}

func (r *certificatePrivateKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer certificateNoIdentity.afterRead(ctx, req, resp)
	var state certificatePrivateKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cert := readCertificateByID(ctx, r.client, resp, state.ID, state.ID.ValueString())
	if cert == nil {
		return
	}
	no := cert.No
	if got := certificateTypeOf(cert); !slices.Contains(advancedOrderTypes, got) {
		addWrongTypeError(&resp.Diagnostics, "ncloudcert_certificate_private_key", "advanced_dv and advanced_ov", cert, got)
		return
	}
	state.CertificateNo = types.Int64Value(no)
	state.Status = optionalString(cert.Status())
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// ModifyPlan: a registration whose certificate's key is not registered (an import of a
// certificate still NORMAL_UNREGISTERED_PRIVATE_KEY, or not issued yet) has not done its job:
// the plan replaces it, so the apply waits for issuance, checks the configured key and
// registers it, instead of the import reporting success.
func (r *certificatePrivateKeyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var status types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
	if status.IsNull() || status.IsUnknown() || !keyToRegister(status.ValueString()) {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
	resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Private key not registered",
		fmt.Sprintf("The certificate is in status %s: its private key is not registered yet. The plan replaces this resource, so the apply waits for issuance if needed, "+
			"checks the configured key against the certificate and registers it.", status.ValueString()))
}

// keyToRegister: a status in which the certificate's key is still to be registered (issued
// without it, or not issued yet); expired or revoked certificates are left alone.
func keyToRegister(status string) bool {
	return status == client.StatusNormalUnregisteredPrivateKey || awaitsIssuance(status)
}

// Update checks a changed key against the certificate and records it: the service keeps the
// key registered first, so nothing is sent.
func (r *certificatePrivateKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer certificateNoIdentity.afterUpdate(ctx, req, resp)
	var plan, state, config certificatePrivateKeyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.PrivateKeyPEM.Equal(state.PrivateKeyPEM) || !plan.PrivateKeyPEMWOVersion.Equal(state.PrivateKeyPEMWOVersion) {
		keyPEM, keyPath := configuredPrivateKey(plan, config)
		if !r.keyMatches(ctx, plan.CertificateNo.ValueInt64(), keyPEM, keyPath, &resp.Diagnostics) {
			return
		}
	}
	plan.Status = state.Status
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the registration: the service cannot unregister a key.
func (r *certificatePrivateKeyResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

func (r *certificatePrivateKeyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByCertificateNo(ctx, req, resp)
}
