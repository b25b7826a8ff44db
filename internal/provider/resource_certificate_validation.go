package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ resource.Resource                = (*certificateValidationResource)(nil)
	_ resource.ResourceWithConfigure   = (*certificateValidationResource)(nil)
	_ resource.ResourceWithImportState = (*certificateValidationResource)(nil)
	_ resource.ResourceWithIdentity    = (*certificateValidationResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*certificateValidationResource)(nil)
)

// issuedStatuses are the statuses the validation waits for (client.IsIssuedStatus).
var issuedStatuses = []string{client.StatusNormal, client.StatusNormalGlobalEdgeDedicated, client.StatusNormalUnregisteredPrivateKey}

// defaultValidationTimeout bounds the wait for issuance: DNS propagation and the CA's checks
// take minutes, rarely more than an hour.
const defaultValidationTimeout = 75 * time.Minute

// certificateValidationResource waits until a certificate the cloud's CA issues (an issued
// certificate, an Advanced order's certificate) is issued. It changes nothing on the
// service: destroying it forgets it.
type certificateValidationResource struct {
	client *client.Client
}

func newCertificateValidationResource() resource.Resource { return &certificateValidationResource{} }

type certificateValidationModel struct {
	ID                    types.String   `tfsdk:"id"`
	CertificateNo         types.Int64    `tfsdk:"certificate_no"`
	ValidationRecordFQDNs types.Set      `tfsdk:"validation_record_fqdns"`
	Status                types.String   `tfsdk:"status"`
	IssuedAt              types.String   `tfsdk:"issued_at"`
	NotAfter              types.String   `tfsdk:"not_after"`
	CertificatePEM        types.String   `tfsdk:"certificate_pem"`
	CertificateChainPEM   types.String   `tfsdk:"certificate_chain_pem"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

func (r *certificateValidationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_validation"
}

func (r *certificateValidationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	certificateNoIdentity.schema(resp)
}

func (r *certificateValidationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc,
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Waits until a certificate requested from NAVER Cloud's CA is issued, after its DNS validation records are published. " +
			"It changes nothing on the service; destroying it only removes it from state. Reference its `certificate_no` from whatever uses the " +
			"certificate, so that waits for issuance, and take the PEM from its `certificate_pem`: read in the same apply, so the next plan is empty.",
		Attributes: map[string]schema.Attribute{
			"id": computed("The certificate number, as a string (the import id)."),
			"certificate_no": schema.Int64Attribute{
				MarkdownDescription: "Number of the certificate to wait for, e.g. `ncloudcert_issued_certificate.x.certificate_no`. Changing it replaces this resource (a new wait).",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"validation_record_fqdns": schema.SetAttribute{
				MarkdownDescription: "Names of the DNS records published for validation, e.g. the names of the DNS provider's record resources. " +
					"When set and the certificate is still pending, the create first checks that every record the service expects is among them (case and a trailing dot ignored) and " +
					"fails at once naming the missing ones, instead of waiting for a validation that cannot succeed. Changing it replaces this resource.",
				Optional:      true,
				ElementType:   types.StringType,
				PlanModifiers: []planmodifier.Set{setplanmodifier.RequiresReplace()},
			},
			"status": computed("Status label reported by the service: " + backtickList(issuedStatuses) +
				" once issued (the last for an Advanced certificate whose private key is still to be registered). " +
				"After importing a certificate that is not issued yet, its current status: the next plan replaces the validation, so the apply waits."),
			"issued_at": computed("When the certificate was issued, RFC 3339 in UTC."),
			"not_after": computed(metadataDescriptions["not_after"]),
			"certificate_pem": computed("The issued certificate in PEM format, read as soon as it is issued (in the same apply), and again when the service renews it. " +
				"Take the PEM from here rather than from `ncloudcert_issued_certificate`, whose `certificate_pem` fills in only at its next refresh: " +
				"consumers then get it in the apply that issues it, and the next plan is empty."),
			"certificate_chain_pem": computed("The certificates that issued it (intermediate first, then the root) in PEM format, read with `certificate_pem`."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true,
				CreateDescription: "How long to wait for issuance. Default 75m."}),
		},
	}
}

func (r *certificateValidationResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

func (r *certificateValidationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer certificateNoIdentity.afterCreate(ctx, resp)
	var plan certificateValidationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultValidationTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultValidationTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	no := plan.CertificateNo.ValueInt64()

	cert, err := r.client.GetCertificate(ctx, no)
	if err != nil {
		if client.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("certificate_no"), "Certificate not found",
				fmt.Sprintf("Certificate %d does not exist, so there is nothing to wait for: %s", no, err))
			return
		}
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error reading certificate %d", no), err)
		return
	}
	var records []validationRecord
	if !cert.Issued() && !cert.Terminal() {
		records, err = fetchValidationRecords(ctx, r.client, no, cert.Type, validationGroups(certificateNames(cert)), false)
		if !plan.ValidationRecordFQDNs.IsNull() {
			if err != nil {
				addClientError(&resp.Diagnostics, fmt.Sprintf("Error reading the validation records of certificate %d to check validation_record_fqdns", no), err)
				return
			}
			fqdns, _ := knownStrings(plan.ValidationRecordFQDNs)
			if missing := missingRecordNames(records, fqdns); len(missing) > 0 {
				resp.Diagnostics.AddAttributeError(path.Root("validation_record_fqdns"), "Validation records missing",
					fmt.Sprintf("Certificate %d is validated by DNS records that validation_record_fqdns does not list, so it could never be issued: %s. "+
						"Nothing was waited for. Publish every record of the certificate's domain_validation_records (for_each over the map) and list their names here. The records the service expects:%s",
						no, strings.Join(missing, ", "), describeRecords(records)))
				return
			}
		} else if err != nil {
			tflog.Debug(ctx, "could not read the validation records (only used in messages)", map[string]any{"certificate_no": no, "error": err.Error()})
			records = nil
		}
	}

	tflog.Debug(ctx, "waiting for issuance", map[string]any{"certificate_no": no, "status": cert.Status(), "timeout": timeout.String()})
	owner := cert
	cert, err = r.client.WaitForIssued(ctx, no)
	var terminal *client.TerminalStatusError
	switch {
	case errors.As(err, &terminal):
		reason := "The service gave no reason."
		if terminal.Reason != "" {
			reason = "The service's reason: " + terminal.Reason
		}
		resp.Diagnostics.AddError("Certificate validation failed",
			fmt.Sprintf("Certificate %d reached status %s and will not be issued. %s\n\n%s", no, terminal.Status, reason, terminalCure(owner)))
		return
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("certificate_no"), "Certificate deleted while waiting",
			fmt.Sprintf("Certificate %d was deleted while waiting for it to be issued: %s", no, err))
		return
	case errors.Is(err, context.DeadlineExceeded):
		last := "unknown (no read succeeded)"
		if cert != nil {
			last = cert.Status()
		}
		waited := "its DNS validation"
		if len(records) > 0 {
			waited = "the service to see these DNS records, published with exactly these values:" + describeRecords(records)
		}
		resp.Diagnostics.AddError("Certificate not issued in time",
			fmt.Sprintf("Certificate %d was not issued within the create timeout (%s): its last status was %s. Terraform waited for %s\n\n"+
				"Check the records' names, types and values in your DNS (a wrong value is never validated), allow for DNS propagation, "+
				"or raise timeouts.create. Applying again waits anew; the certificate request itself is unchanged.\n\n%s",
				no, timeout, last, waited, err))
		return
	case err != nil:
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error waiting for certificate %d to be issued", no), err)
		return
	}
	plan.ID = types.StringValue(strconv.FormatInt(no, 10))
	plan.apply(cert)
	plan.CertificatePEM, plan.CertificateChainPEM = types.StringNull(), types.StringNull()
	r.readMaterial(ctx, &plan, cert, &resp.Diagnostics)
	resp.Diagnostics.Append(rememberCertificateRef(ctx, resp.Private, cert)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *certificateValidationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer certificateNoIdentity.afterRead(ctx, req, resp)
	var state certificateValidationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cert := readCertificateByID(ctx, r.client, resp, state.ID, state.ID.ValueString())
	if cert == nil {
		return
	}
	state.CertificateNo = types.Int64Value(cert.No)
	state.apply(cert)
	// The PEM once issued (an import), and again when the serial changes (a renewal by the
	// service): fetched only then, so a steady refresh stays one request.
	renewed := cert.SerialNumber != "" && pemSerial(state.CertificatePEM.ValueString()) != cert.SerialNumber
	if cert.Issued() && (state.CertificatePEM.IsNull() || renewed) {
		r.readMaterial(ctx, &state, cert, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// ModifyPlan: a validation whose certificate is not issued yet (an import of a pending
// certificate, or one whose request failed) has not done its job: the plan replaces it, so the
// apply waits for issuance (or reports the failure and its cure) instead of the import
// reporting success.
func (r *certificateValidationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var status types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
	if status.IsNull() || status.IsUnknown() || !awaitsIssuance(status.ValueString()) {
		return
	}
	for _, a := range []string{"status", "issued_at", "not_after", "certificate_pem", "certificate_chain_pem"} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(a), types.StringUnknown())...)
	}
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
	resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Certificate not issued yet",
		fmt.Sprintf("The certificate is in status %s, so this validation has not completed: the plan replaces it, and the apply waits for issuance (or reports why it cannot happen).", status.ValueString()))
}

// Update only records Terraform-side changes (timeouts): everything else replaces.
func (r *certificateValidationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer certificateNoIdentity.afterUpdate(ctx, req, resp)
	var plan certificateValidationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the validation: nothing on the service to undo.
func (r *certificateValidationResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

func (r *certificateValidationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByCertificateNo(ctx, req, resp)
}

// awaitsIssuance: a status from which the validation still has work to do (pending), or must
// report a failed request; an issued, expired or revoked certificate was validated.
func awaitsIssuance(status string) bool {
	return !client.IsIssuedStatus("", status) && (!client.IsTerminalStatus("", status) || client.IsFailedRequestStatus("", status))
}

// readMaterial fills certificate_pem and certificate_chain_pem (one GetCertificateChain);
// a failure leaves them as they were, with a warning: the next refresh tries again.
func (r *certificateValidationResource) readMaterial(ctx context.Context, m *certificateValidationModel, cert *client.Certificate, diags *diag.Diagnostics) {
	pemText, chain, err := readIssuedPEM(ctx, r.client, cert.No)
	if err != nil {
		diags.AddWarning("Cannot read the issued certificate's PEM",
			fmt.Sprintf("Certificate %d is issued, but reading its PEM failed, so certificate_pem is left as it was; the next refresh tries again: %s", cert.No, err))
		return
	}
	m.CertificatePEM, m.CertificateChainPEM = pemText, chain
}

// terminalCure says how to get out of a terminal request state, for the resource that owns
// the certificate (judged from the certificate: an order's, one this provider requests, or
// another kind).
func terminalCure(cert *client.Certificate) string {
	const check = "Check the DNS validation records (names, types and values) first. "
	switch typ := certificateTypeOf(cert); {
	case cert.OrderID != "" || slices.Contains(advancedOrderTypes, typ):
		return check + fmt.Sprintf("If the certificate belongs to an ncloudcert_advanced_order (order %s), apply again: the order reissues it in place (the same paid order, a new certificate number), "+
			"and this validation is replaced with it. Nothing is bought again.", cert.OrderID)
	case slices.Contains(issuedCertificateTypes, typ):
		return check + "Then apply again: the ncloudcert_issued_certificate that requested it replaces the failed request with a new one, and this validation is replaced with it."
	default:
		return fmt.Sprintf("Certificate %d (type %s) is not one requested from NAVER Cloud's CA by this provider: there is nothing to validate. "+
			"Point certificate_no at an ncloudcert_issued_certificate or ncloudcert_advanced_order certificate.", cert.No, typ)
	}
}

// apply copies the certificate's status and dates.
func (m *certificateValidationModel) apply(cert *client.Certificate) {
	m.Status = optionalString(cert.Status())
	m.IssuedAt = optionalTime(cert.IssuedAt)
	m.NotAfter = optionalTime(cert.NotAfter)
}
