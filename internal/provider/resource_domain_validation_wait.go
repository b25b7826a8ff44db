package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ resource.Resource                = (*domainValidationWaitResource)(nil)
	_ resource.ResourceWithConfigure   = (*domainValidationWaitResource)(nil)
	_ resource.ResourceWithIdentity    = (*domainValidationWaitResource)(nil)
	_ resource.ResourceWithImportState = (*domainValidationWaitResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*domainValidationWaitResource)(nil)
)

// domainValidationWaitResource waits until a registered domain is VALID: the registration's
// record is known only once it exists, so the DNS record and the wait come after it, as
// ncloudcert_certificate_validation does for certificates. It changes nothing on the service.
type domainValidationWaitResource struct {
	client *client.Client
}

func newDomainValidationWaitResource() resource.Resource { return &domainValidationWaitResource{} }

type domainValidationWaitModel struct {
	ID                    types.String   `tfsdk:"id"`
	DomainID              types.Int64    `tfsdk:"domain_id"`
	ValidationRecordFQDNs types.Set      `tfsdk:"validation_record_fqdns"`
	Domain                types.String   `tfsdk:"domain"`
	Status                types.String   `tfsdk:"status"`
	ValidatedAt           types.String   `tfsdk:"validated_at"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

func (r *domainValidationWaitResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_domain_validation_wait"
}

func (r *domainValidationWaitResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	domainIDIdentity.schema(resp)
}

func (r *domainValidationWaitResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Waits until a domain registered with `ncloudcert_domain_validation` is `VALID`, after its DNS record is published. " +
			"It changes nothing on the service; destroying it only removes it from state. Reference its `domain_id` from whatever needs the validated domain, so that waits too.",
		Attributes: map[string]schema.Attribute{
			"id": computed("The domain id, as a string (the import id)."),
			"domain_id": schema.Int64Attribute{
				MarkdownDescription: "The domain id to wait for: `ncloudcert_domain_validation.x.domain_id`. Changing it replaces this resource (a new wait).",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"validation_record_fqdns": schema.SetAttribute{
				MarkdownDescription: "Names of the DNS records published for validation, e.g. the names of the DNS provider's record resources. " +
					"When set and the domain is still `PENDING`, the create first checks that the record the service expects is among them (case and a trailing dot ignored) and " +
					"fails at once naming it, instead of waiting for a validation that cannot succeed. Changing it replaces this resource.",
				Optional:      true,
				ElementType:   types.StringType,
				PlanModifiers: []planmodifier.Set{setplanmodifier.RequiresReplace()},
			},
			"domain":       computed("The validated domain."),
			"status":       computed("The service's validation state: `VALID` once the wait is over. After importing a domain that is not `VALID` yet, its current state: the next plan replaces this resource, so the apply waits."),
			"validated_at": computed("When the domain became `VALID`, RFC 3339 in UTC; null when the service does not say."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true,
				CreateDescription: "How long to wait for validation. Default 75m."}),
		},
	}
}

func (r *domainValidationWaitResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

func (r *domainValidationWaitResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer domainIDIdentity.afterCreate(ctx, resp)
	var plan domainValidationWaitModel
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
	id := plan.DomainID.ValueInt64()
	dom, err := r.client.ReadDomainValidation(ctx, id, client.DomainFilter{})
	switch {
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("domain_id"), "Domain not found",
			fmt.Sprintf("Domain %d is not registered, so there is nothing to wait for: %s", id, err))
		return
	case err != nil:
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error reading domain %d", id), err)
		return
	}
	hint := client.DomainFilter{Domain: dom.Domain, DcvType: dom.DcvType}
	record := domainValidationRecord(dom.Domain, dom)
	if dom.ValidState == client.DomainPending && !plan.ValidationRecordFQDNs.IsNull() {
		fqdns, _ := knownStrings(plan.ValidationRecordFQDNs)
		if missing := missingRecordNames([]validationRecord{record}, fqdns); len(missing) > 0 {
			resp.Diagnostics.AddAttributeError(path.Root("validation_record_fqdns"), "Validation records missing",
				fmt.Sprintf("Domain %q (domain id %d) is validated by a DNS record that validation_record_fqdns does not list, so it could never become VALID: %s. "+
					"Nothing was waited for. Publish the record of the registration's validation_records (for_each over the map) and list its name here. The record the service expects:%s",
					dom.Domain, id, strings.Join(missing, ", "), describeRecords([]validationRecord{record})))
			return
		}
	}
	dom2, err := r.client.WaitForDomainValid(ctx, id, hint)
	if dom2 != nil {
		dom = dom2
	}
	var invalid *client.DomainInvalidError
	switch {
	case errors.As(err, &invalid):
		resp.Diagnostics.AddError("Domain validation failed",
			fmt.Sprintf("Domain %q (domain id %d) is INVALID and will not be validated. Check that its record is published with exactly its value, "+
				"then apply again: the ncloudcert_domain_validation that registered it replaces the registration, and this wait is replaced with it.", dom.Domain, id))
		return
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("domain_id"), "Domain deleted while waiting",
			fmt.Sprintf("Domain %d was deleted while waiting for it to be validated: %s", id, err))
		return
	case errors.Is(err, context.DeadlineExceeded):
		waited := "its DNS record"
		if record.Known {
			waited = "the service to see this DNS record, published with exactly this value:" + describeRecords([]validationRecord{record})
		}
		resp.Diagnostics.AddError("Domain not validated in time",
			fmt.Sprintf("Domain %q (domain id %d) was not VALID within the create timeout (%s): its last state was %s. Terraform waited for %s\n\n"+
				"Check the record's name, type and value in your DNS, allow for DNS propagation, or raise timeouts.create. Applying again waits anew; the registration itself is unchanged.\n\n%s",
				dom.Domain, id, timeout, dom.ValidState, waited, err))
		return
	case err != nil:
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error waiting for domain %d to be validated", id), err)
		return
	}
	plan.apply(dom)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *domainValidationWaitResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer domainIDIdentity.afterRead(ctx, req, resp)
	var state domainValidationWaitModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, valid := parseCertificateNo(state.ID.ValueString())
	if !valid {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid domain id", fmt.Sprintf("The id %q in state is not a domain id.", state.ID.ValueString()))
		return
	}
	dom, err := r.client.ReadDomainValidation(ctx, id, client.DomainFilter{Domain: state.Domain.ValueString()})
	switch {
	case client.IsNotFound(err):
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error reading domain %d", id), err)
		return
	}
	state.apply(dom)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// ModifyPlan: a wait whose domain is not VALID (an import of a pending domain, or one that
// turned INVALID) has not done its job: the plan replaces it, so the apply waits (or reports
// the failure) instead of reporting success.
func (r *domainValidationWaitResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var status types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
	if status.IsNull() || status.IsUnknown() || status.ValueString() == client.DomainValid {
		return
	}
	for _, a := range []string{"status", "validated_at"} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(a), types.StringUnknown())...)
	}
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
	resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Domain not validated",
		fmt.Sprintf("The domain is %s, so this wait has not completed: the plan replaces it, and the apply waits for VALID (or reports why it cannot happen).", status.ValueString()))
}

// Update only records Terraform-side changes (timeouts): everything else replaces.
func (r *domainValidationWaitResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer domainIDIdentity.afterUpdate(ctx, req, resp)
	var plan domainValidationWaitModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the wait: nothing on the service to undo.
func (r *domainValidationWaitResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

func (r *domainValidationWaitResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	domainIDIdentity.importState(ctx, req, resp)
}

func (m *domainValidationWaitModel) apply(d *client.DomainValidation) {
	m.ID = types.StringValue(strconv.FormatInt(d.ID, 10))
	m.DomainID = types.Int64Value(d.ID)
	m.Domain = optionalString(canonicalDomain(d.Domain))
	m.Status = optionalString(d.ValidState)
	m.ValidatedAt = optionalTime(d.ValidatedAt)
}
