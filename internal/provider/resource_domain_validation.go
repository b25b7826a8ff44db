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
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ resource.Resource                = (*domainValidationResource)(nil)
	_ resource.ResourceWithConfigure   = (*domainValidationResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*domainValidationResource)(nil)
	_ resource.ResourceWithIdentity    = (*domainValidationResource)(nil)
	_ resource.ResourceWithImportState = (*domainValidationResource)(nil)
)

const domainValidationType = "ncloudcert_domain_validation"

// The arguments' values and the service's codes for them: one list for the validator, the
// descriptions and the request.
var (
	domainRecordTypes     = []string{"persistent_txt", "txt"}
	domainRecordTypeCodes = map[string]string{"persistent_txt": client.DcvTypePersistentTXT, "txt": client.DcvTypeTXT}
	domainIssueTypes      = []string{"console", "acme"}
	domainIssueTypeCodes  = map[string]string{"console": client.IssueTypeConsole, "acme": client.IssueTypeACME}
	domainStates          = []string{client.DomainPending, client.DomainValid, client.DomainInvalid}
)

// domainValidationResource registers a domain for validation ahead of any certificate
// (RegisterDomain), so that certificates of that domain need no new records.
type domainValidationResource struct {
	client *client.Client
}

func newDomainValidationResource() resource.Resource { return &domainValidationResource{} }

type domainValidationModel struct {
	ID                types.String   `tfsdk:"id"`
	DomainID          types.Int64    `tfsdk:"domain_id"`
	Domain            types.String   `tfsdk:"domain"`
	RecordType        types.String   `tfsdk:"record_type"`
	IssueType         types.String   `tfsdk:"issue_type"`
	OrganizationNo    types.Int64    `tfsdk:"organization_no"`
	Status            types.String   `tfsdk:"status"`
	RegisteredAt      types.String   `tfsdk:"registered_at"`
	ValidatedAt       types.String   `tfsdk:"validated_at"`
	ValidationRecords types.Map      `tfsdk:"validation_records"`
	ValidationStatus  types.Map      `tfsdk:"validation_status"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

func (r *domainValidationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_domain_validation"
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *domainValidationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	domainIDIdentity.schema(resp)
}

func (r *domainValidationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Registers a domain for validation ahead of any certificate (a **pre-validated domain**): once its DNS record is published and the service " +
			"has seen it (`VALID`), Advanced `persistent_dns` orders and ACME `pre_validated` credentials for the domain need no new records per certificate. " +
			"Create returns once the domain is registered and its record is known; wait for `VALID` in the same apply with `ncloudcert_domain_validation_wait`. " +
			"Every argument change replaces the registration; destroy deletes it (DeleteDomain).",
		Attributes: map[string]schema.Attribute{
			"id": computed("The domain id (`dmnId`), as a string: the import id."),
			"domain_id": schema.Int64Attribute{
				MarkdownDescription: "The domain id (`dmnId`) the service gave the registration. Reference it from `ncloudcert_domain_validation_wait`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"domain": schema.StringAttribute{
				MarkdownDescription: "The domain to validate, e.g. `example.com`, without a wildcard (the validation of a domain is what its wildcard certificates use). " +
					"Compared case-insensitively, a trailing dot ignored. Changing it replaces the registration.",
				Required:      true,
				Validators:    []validator.String{domainNameValidator{}, noWildcardValidator{}},
				PlanModifiers: []planmodifier.String{requiresReplaceIfOtherDomain()},
			},
			"record_type": schema.StringAttribute{
				MarkdownDescription: "How the domain is validated: " + backtickList(domainRecordTypes) + " (default `persistent_txt`). " +
					"`persistent_txt` (the service's `PTXT`) is a TXT record you publish once and keep: the domain stays validated for later certificates and registrations. " +
					"`txt` (`TXT`) is a TXT record for this registration only. Changing it replaces the registration.",
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString("persistent_txt"),
				Validators:    []validator.String{stringvalidator.OneOf(domainRecordTypes...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"issue_type": schema.StringAttribute{
				MarkdownDescription: "What the validated domain is for: " + backtickList(domainIssueTypes) + " (default `console`): `console` for certificates ordered through " +
					"Certificate Manager (e.g. `ncloudcert_advanced_order` with `persistent_dns`), `acme` for NAVER Cloud's ACME server (`pre_validated` EAB credentials). Changing it replaces the registration.",
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString("console"),
				Validators:    []validator.String{stringvalidator.OneOf(domainIssueTypes...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"organization_no": schema.Int64Attribute{
				MarkdownDescription: "Number of the organization the domain is validated for (OV certificates); omit it for DV. The service's rules for it are not documented, so only a positive number is checked. Changing it replaces the registration.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "The service's validation state: " + backtickList(domainStates) + ". `PENDING` until the service sees the record; " +
					"`INVALID` is final: a refresh warns, and the next plan replaces the registration.",
				Computed: true,
			},
			"registered_at": computed("When the domain was registered, RFC 3339 in UTC; null when the service does not say."),
			"validated_at": schema.StringAttribute{
				MarkdownDescription: "When the domain became `VALID`, RFC 3339 in UTC; null until then (or when the service does not say).",
				Computed:            true,
			},
			"validation_records": validationRecordsAttributeWith(validationRecordsDocs{
				Map: "The DNS record that validates the domain, in the shape of the certificates' `domain_validation_records`: a map with one entry, keyed by the domain " +
					"(lower case, no trailing dot), known at plan time, so `for_each = ncloudcert_domain_validation.x.validation_records` works in the apply that registers it. " +
					"Nothing in the value changes when the domain is validated. When the service does not describe the record, the values are null and a warning says so.",
				RecordType: "Type of the DNS record: `TXT`.",
				Domains:    "The registered domain (a one-element set); known at plan time.",
			}),
			"validation_status": validationStatusAttributeWith("The validation state under the key of `validation_records`: " + backtickList(domainStates) +
				", the same as `status`, apart from the records so that they never change on validation."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Delete: true,
				CreateDescription: "Default 10m: the registration (it does not wait for validation).", ReadDescription: "Default 5m.",
				DeleteDescription: "Default 10m."}),
		},
	}
}

func (r *domainValidationResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

func (r *domainValidationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer domainIDIdentity.afterCreate(ctx, resp)
	var plan domainValidationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	in := plan.input()
	tflog.Debug(ctx, "registering domain", map[string]any{"domain": in.Domain, "dcv_type": in.DcvType, "issue_type": in.IssueType})
	started := time.Now()
	d, err := r.client.RegisterDomain(ctx, in)
	var taken *client.DomainTakenError
	switch {
	case errors.As(err, &taken):
		why := "It was registered before this apply began, so it is not this resource's."
		if taken.Unproven {
			why = "The service reported no registration date, so nothing proves this resource registered it (an interrupted apply may have)."
		}
		resp.Diagnostics.AddAttributeError(path.Root("domain"), "Domain already registered",
			fmt.Sprintf("Certificate Manager already has domain %q registered with record type %s for issue type %s (domain id %d). %s Terraform never takes over a registration it did not make.\n\n"+
				"If it is the registration this resource should manage, import it, then apply again:\n\n%s\n\n%s",
				in.Domain, plan.RecordType.ValueString(), plan.IssueType.ValueString(), taken.Existing.ID, why, importInstructions(domainValidationType, strconv.FormatInt(taken.Existing.ID, 10)), err))
		return
	case err != nil && !requestRefused(err):
		// The registration may exist: keep an id-less state (tainted) and the start of the
		// attempt; the next refresh takes it only with proof that it is this one.
		addClientError(&resp.Diagnostics, "Error registering domain "+strconv.Quote(in.Domain), err)
		plan.nullComputed()
		resp.Diagnostics.Append(recordCreateAttempt(ctx, resp.Private, r.client, started)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	case err != nil:
		addClientError(&resp.Diagnostics, "Error registering domain "+strconv.Quote(in.Domain), err)
		return
	}
	// The planned map holds unknown values: nothing in it is a prior record to keep.
	plan.ValidationRecords = types.MapNull(validationRecordsType.ElemType)
	plan.applyRemote(ctx, d, &resp.Diagnostics)
	addDomainRecordWarning(&resp.Diagnostics, d)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *domainValidationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer domainIDIdentity.afterRead(ctx, req, resp)
	var state domainValidationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	var d *client.DomainValidation
	if state.ID.IsNull() {
		d = r.findUnconfirmed(ctx, req.Private, state, &resp.Diagnostics)
		if d == nil {
			if !resp.Diagnostics.HasError() {
				resp.State.RemoveResource(ctx)
			}
			return
		}
	} else {
		id, valid := parseCertificateNo(state.ID.ValueString())
		if !valid {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid domain id", fmt.Sprintf("The id %q in state is not a domain id.", state.ID.ValueString()))
			return
		}
		var err error
		d, err = r.client.ReadDomainValidation(ctx, id, state.hint())
		switch {
		case client.IsNotFound(err):
			tflog.Warn(ctx, "domain registration no longer exists; removing it from state", map[string]any{"id": id})
			resp.State.RemoveResource(ctx)
			return
		case err != nil:
			addClientError(&resp.Diagnostics, fmt.Sprintf("Error reading domain %d", id), err)
			return
		}
	}
	state.applyRemote(ctx, d, &resp.Diagnostics)
	addDomainRecordWarning(&resp.Diagnostics, d)
	addDomainStatusWarning(&resp.Diagnostics, d, state.ValidationRecords)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only records Terraform-side changes (timeouts, the spelling of the domain):
// everything else replaces.
func (r *domainValidationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer domainIDIdentity.afterUpdate(ctx, req, resp)
	var plan, state domainValidationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.Status, plan.ValidatedAt, plan.ValidationStatus = state.Status, state.ValidatedAt, state.ValidationStatus
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *domainValidationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state domainValidationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.DomainID.ValueInt64()
	if state.ID.IsNull() {
		d := r.findUnconfirmed(ctx, req.Private, state, &resp.Diagnostics)
		if d == nil {
			return
		}
		id = d.ID
	}
	if err := r.client.DeleteDomain(ctx, id, state.hint()); err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Error deleting domain %d", id), err)
	}
}

func (r *domainValidationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	domainIDIdentity.importState(ctx, req, resp)
}

// findUnconfirmed resolves an id-less state (a create whose outcome stayed unknown): the
// registration of the domain and record type, taken only when it was registered after
// that create began. nil with no error diagnostic: there is none of this resource's (warned).
func (r *domainValidationResource) findUnconfirmed(ctx context.Context, private privateGetter, state domainValidationModel, diags *diag.Diagnostics) *client.DomainValidation {
	list, complete, err := r.client.ListDomainValidations(ctx, state.hint())
	if err == nil && len(list) == 0 && !complete {
		err = errors.New("the listing is incomplete")
	}
	if err != nil {
		addClientError(diags, "Error looking up domain "+strconv.Quote(state.Domain.ValueString()), err)
		return nil
	}
	attempt, haveAttempt := loadCreateAttempt(ctx, private)
	for i := len(list) - 1; i >= 0; i-- {
		d := &list[i]
		if haveAttempt && d.RegisteredSince(attempt.Started, attempt.tolerance()) {
			return d
		}
	}
	what := fmt.Sprintf("No registration of domain %q exists: the earlier create, whose outcome was unknown, did not register it.", state.Domain.ValueString())
	if len(list) > 0 {
		what = fmt.Sprintf("Domain %q is registered (domain id %d), but nothing proves this resource registered it (it is not dated after this resource's create began): it is left alone. If it is yours, import it: terraform import <resource address> %d",
			state.Domain.ValueString(), list[len(list)-1].ID, list[len(list)-1].ID)
	}
	diags.AddWarning("Forgetting a domain registration that was never confirmed", what+" Terraform removes this resource from state; the next apply registers it anew.")
	return nil
}

// input is the RegisterDomain request of the configuration.
func (m domainValidationModel) input() client.DomainInput {
	in := client.DomainInput{
		Domain:    canonicalDomain(m.Domain.ValueString()),
		DcvType:   domainRecordTypeCodes[m.RecordType.ValueString()],
		IssueType: domainIssueTypeCodes[m.IssueType.ValueString()],
	}
	if !m.OrganizationNo.IsNull() && !m.OrganizationNo.IsUnknown() {
		in.OrgNo = m.OrganizationNo.ValueInt64()
	}
	return in
}

// hint narrows the look-ups to the registration's domain and record type, when known.
func (m domainValidationModel) hint() client.DomainFilter {
	return client.DomainFilter{Domain: canonicalDomain(m.Domain.ValueString()), DcvType: domainRecordTypeCodes[m.RecordType.ValueString()],
		IssueType: domainIssueTypeCodes[m.IssueType.ValueString()]}
}

// applyRemote copies what the service reported. A field the service left out keeps what the
// configuration (or the state) says; the domain keeps its spelling while it names the same domain.
func (m *domainValidationModel) applyRemote(ctx context.Context, d *client.DomainValidation, diags *diag.Diagnostics) {
	m.ID = types.StringValue(strconv.FormatInt(d.ID, 10))
	m.DomainID = types.Int64Value(d.ID)
	if d.Domain != "" && (m.Domain.IsNull() || canonicalDomain(d.Domain) != canonicalDomain(m.Domain.ValueString())) {
		m.Domain = types.StringValue(canonicalDomain(d.Domain))
	}
	if v := keyOf(domainRecordTypeCodes, d.DcvType); v != "" {
		m.RecordType = types.StringValue(v)
	} else if d.DcvType != "" || m.RecordType.IsNull() || m.RecordType.IsUnknown() {
		m.RecordType = optionalString(strings.ToLower(d.DcvType))
	}
	if v := keyOf(domainIssueTypeCodes, d.IssueType); v != "" {
		m.IssueType = types.StringValue(v)
	} else if d.IssueType != "" || m.IssueType.IsNull() || m.IssueType.IsUnknown() {
		m.IssueType = optionalString(strings.ToLower(d.IssueType))
	}
	switch {
	case d.OrgNo != 0:
		m.OrganizationNo = types.Int64Value(d.OrgNo)
	case m.OrganizationNo.IsUnknown():
		m.OrganizationNo = types.Int64Null()
	}
	m.Status = optionalString(d.ValidState)
	m.RegisteredAt = optionalTime(d.RegisteredAt)
	m.ValidatedAt = optionalTime(d.ValidatedAt)
	records := []validationRecord{domainValidationRecord(m.Domain.ValueString(), d)}
	// A record the service stops describing keeps the one in state.
	prior := m.ValidationRecords
	if prior.IsUnknown() {
		prior = types.MapNull(validationRecordsType.ElemType)
	}
	v, dd := validationRecordsValue(ctx, records, prior)
	diags.Append(dd...)
	m.ValidationRecords = v
	m.ValidationStatus = types.MapValueMust(types.StringType, nil)
	if d.ValidState != "" {
		m.ValidationStatus = types.MapValueMust(types.StringType, map[string]attr.Value{records[0].Domain: types.StringValue(d.ValidState)})
	}
}

// domainValidationRecord is the registration's record in the shape of the certificates'.
func domainValidationRecord(domain string, d *client.DomainValidation) validationRecord {
	key := validationDomainOf(domain)
	r := validationRecord{Domain: key, Domains: []string{key}, Status: d.ValidState}
	if d.HasRecord() {
		values := slices.Clone(d.RecordValues)
		slices.Sort(values)
		r.Name, r.Type, r.Values, r.Known = d.RecordName, d.RecordType, slices.Compact(values), true
	}
	return r
}

// nullComputed clears what the service would have said, for an id-less state.
func (m *domainValidationModel) nullComputed() {
	m.ID, m.DomainID = types.StringNull(), types.Int64Null()
	m.Status, m.RegisteredAt, m.ValidatedAt = types.StringNull(), types.StringNull(), types.StringNull()
	m.ValidationRecords = types.MapNull(validationRecordsType.ElemType)
	m.ValidationStatus = types.MapNull(types.StringType)
}

// keyOf is the argument value whose service code is code ("" when none is).
func keyOf(codes map[string]string, code string) string {
	for k, v := range codes {
		if v == code {
			return k
		}
	}
	return ""
}
