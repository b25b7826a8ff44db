package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ resource.Resource                   = (*advancedOrderResource)(nil)
	_ resource.ResourceWithConfigure      = (*advancedOrderResource)(nil)
	_ resource.ResourceWithValidateConfig = (*advancedOrderResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*advancedOrderResource)(nil)
	_ resource.ResourceWithImportState    = (*advancedOrderResource)(nil)
)

// advancedOrderType is the resource type name, for messages.
const advancedOrderType = "ncloudcert_advanced_order"

// The order types and validation methods in the shared vocabulary, and the service's codes:
// one list for the validators, the descriptions and the requests.
var (
	advancedOrderTypes     = []string{"advanced_dv", "advanced_ov"}
	advancedOrderTypeCodes = map[string]client.CertificateType{
		"advanced_dv": client.AdvancedDV,
		"advanced_ov": client.AdvancedOV,
	}
	validationMethods     = []string{"dns", "persistent_dns"}
	validationMethodCodes = map[string]string{"dns": "D", "persistent_dns": "PD"}
)

const (
	defaultValidationMethod = "dns"
	minSubscriptionYears    = 1
	maxSubscriptionYears    = 3
	// privateKeyRequestToken is the private state key of the order's requestToken.
	privateKeyRequestToken = "request_token"
	// revokeOnDestroyType is the revokeType sent by revoke_on_destroy.
	revokeOnDestroyType = "cessationOfOperation"
)

type advancedOrderResource struct {
	client *client.Client
}

func newAdvancedOrderResource() resource.Resource { return &advancedOrderResource{} }

type advancedOrderModel struct {
	ID                          types.String   `tfsdk:"id"`
	Type                        types.String   `tfsdk:"type"`
	Name                        types.String   `tfsdk:"name"`
	NamePrefix                  types.String   `tfsdk:"name_prefix"`
	CommonName                  types.String   `tfsdk:"common_name"`
	DNSNames                    types.Set      `tfsdk:"dns_names"`
	CSRPEM                      types.String   `tfsdk:"csr_pem"`
	ValidationMethod            types.String   `tfsdk:"validation_method"`
	OrganizationNo              types.Int64    `tfsdk:"organization_no"`
	SubscriptionYears           types.Int64    `tfsdk:"subscription_years"`
	ReissueTriggers             types.Map      `tfsdk:"reissue_triggers"`
	RevokeOnDestroy             types.Bool     `tfsdk:"revoke_on_destroy"`
	RepresentativeCertificateNo types.Int64    `tfsdk:"representative_certificate_no"`
	Certificates                types.List     `tfsdk:"certificates"`
	Status                      types.String   `tfsdk:"status"`
	NotBefore                   types.String   `tfsdk:"not_before"`
	NotAfter                    types.String   `tfsdk:"not_after"`
	CertificatePEM              types.String   `tfsdk:"certificate_pem"`
	CertificateChainPEM         types.String   `tfsdk:"certificate_chain_pem"`
	DomainValidationRecords     types.Map      `tfsdk:"domain_validation_records"`
	ValidationStatus            types.Map      `tfsdk:"validation_status"`
	SubscriptionStart           types.String   `tfsdk:"subscription_start"`
	SubscriptionEnd             types.String   `tfsdk:"subscription_end"`
	RemainingDays               types.Int64    `tfsdk:"remaining_days"`
	ExtendableYears             types.Int64    `tfsdk:"extendable_years"`
	Timeouts                    timeouts.Value `tfsdk:"timeouts"`
}

func (r *advancedOrderResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_advanced_order"
}

func (r *advancedOrderResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	keepInt := []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}
	computedString := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true, PlanModifiers: keepString}
	}
	computedInt := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true, PlanModifiers: keepInt}
	}
	attrs := nameAttributes()
	maps.Copy(attrs, map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The order id (the import id). It stays the same across reissues.",
			Computed:            true,
			PlanModifiers:       keepString,
		},
		"type": schema.StringAttribute{
			MarkdownDescription: "What to order: " + backtickList(advancedOrderTypes) + ". `advanced_ov` needs `organization_no`. Changing it places a new order.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.OneOf(advancedOrderTypes...)},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"common_name": schema.StringAttribute{
			MarkdownDescription: "Main domain name of the certificate, wildcards allowed as the whole leftmost label; it must be the CSR's common name. " +
				"Changing it places a new order (a change of case or trailing dot alone updates only the state).",
			Required:      true,
			Validators:    []validator.String{domainNameValidator{commonName: true}},
			PlanModifiers: []planmodifier.String{requiresReplaceIfOtherDomain()},
		},
		"dns_names": schema.SetAttribute{
			MarkdownDescription: fmt.Sprintf("Additional domain names (subject alternative names); with `common_name` they must be exactly the CSR's names. At most %d names in all. "+
				"Changing the set **reissues in place** (with the new `csr_pem`).", maxCertificateNames),
			Optional:    true,
			ElementType: types.StringType,
			Validators:  []validator.Set{setvalidator.ValueStringsAre(domainNameValidator{})},
		},
		"csr_pem": schema.StringAttribute{
			MarkdownDescription: "The certificate signing request in PEM format, made with the key you will register with `ncloudcert_certificate_private_key`. " +
				"Checked at plan time (it parses, its signature holds, its names are `common_name` + `dns_names`). Compared by content: formatting alone never causes a diff. " +
				"Changing it **reissues in place**.",
			Required: true,
		},
		"validation_method": schema.StringAttribute{
			MarkdownDescription: "How domains are validated: `dns` (one-time TXT records, new ones for every reissue) or `persistent_dns` (TXT records kept on the order and reused by reissues). " +
				"Default `" + defaultValidationMethod + "`. A change applies to the next reissue (it updates only the state).",
			Optional:   true,
			Computed:   true,
			Default:    stringdefault.StaticString(defaultValidationMethod),
			Validators: []validator.String{stringvalidator.OneOf(validationMethods...)},
		},
		"organization_no": schema.Int64Attribute{
			MarkdownDescription: "The organization number of an OV order (required for `advanced_ov`, a plan-time error otherwise). Changing it places a new order.",
			Optional:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(1)},
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
		},
		"subscription_years": schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Years of subscription, %d–%d (default %d). Raising it **extends** the subscription by the difference, within the service's rules "+
				"(`extendable_years`); lowering it is a plan-time error (a subscription cannot shrink).", minSubscriptionYears, maxSubscriptionYears, minSubscriptionYears),
			Optional:   true,
			Computed:   true,
			Default:    int64default.StaticInt64(minSubscriptionYears),
			Validators: []validator.Int64{int64validator.Between(minSubscriptionYears, maxSubscriptionYears)},
		},
		"reissue_triggers": schema.MapAttribute{
			MarkdownDescription: "Arbitrary values that **reissue in place** when they change (like `triggers` elsewhere), e.g. a key rotation date.",
			Optional:            true,
			ElementType:         types.StringType,
		},
		"revoke_on_destroy": schema.BoolAttribute{
			MarkdownDescription: "Whether destroy revokes the order's issued certificates before deleting them. Default `false`: destroy only deletes them.",
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(false),
		},
		"representative_certificate_no": schema.Int64Attribute{
			MarkdownDescription: "Number of the order's newest certificate (the one this resource manages); a reissue changes it, so reference it from `ncloudcert_certificate_validation` and `ncloudcert_certificate_private_key`: both are replaced in the same apply.",
			Computed:            true,
			PlanModifiers:       keepInt,
		},
		"certificates": schema.ListAttribute{
			MarkdownDescription: "Numbers of the order's certificates, ascending (older ones stay in the order after a reissue).",
			Computed:            true,
			ElementType:         types.Int64Type,
			PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
		},
		"status":                    computedString("Status label of the representative certificate, e.g. `ONGOING`, `NORMAL_UNREGISTERED_PRIVATE_KEY`, `NORMAL`."),
		"not_before":                computedString("Start of the representative certificate's validity, RFC 3339 in UTC; null until issued."),
		"not_after":                 computedString("End of the representative certificate's validity, RFC 3339 in UTC; null until issued."),
		"certificate_pem":           computedString("The representative certificate in PEM format; null until it is issued, filled in by the first refresh after issuance."),
		"certificate_chain_pem":     computedString("The certificates that issued it (intermediate first, then the root) in PEM format; null until it is issued."),
		"domain_validation_records": validationRecordsAttribute(),
		"validation_status":         validationStatusAttribute(),
		"subscription_start":        computedString("When the subscription started (the order's placement), RFC 3339 in UTC."),
		"subscription_end":          computedString("When the subscription ends, RFC 3339 in UTC; null until a certificate of the order is issued."),
		"remaining_days":            computedInt("Whole days left in the subscription at the last refresh; null until a certificate is issued."),
		"extendable_years":          computedInt("How many years `subscription_years` may be raised by now (the service's rule); 0 while nothing is issued."),
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "A paid **Advanced** DV or OV order, issued from your CSR. Create returns once the order exists and its DNS validation records are known; " +
			"publish `domain_validation_records`, wait with `ncloudcert_certificate_validation` and register the key with `ncloudcert_certificate_private_key`, all in one apply. " +
			"Changing `csr_pem`, `dns_names` or `reissue_triggers` reissues in place: the order (and `id`) stays, `representative_certificate_no` changes.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "Default 10m: the order and the listing of its validation records.", ReadDescription: "Default 5m.",
				UpdateDescription: "Default 10m: a reissue or an extension.",
				DeleteDescription: "Default 10m. While instances still use a certificate of the order, delete keeps retrying until this runs out."}),
		},
	}
}

func (r *advancedOrderResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

func (r *advancedOrderResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan advancedOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	// The token is generated once, before the request, and kept in private state whatever
	// the outcome: every retry of this request (the client's, after a lost answer) carries
	// it, so the service places one order at most.
	token := newRequestToken()
	if raw, err := json.Marshal(token); err == nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyRequestToken, raw)...)
	}
	in, ok := advancedRequest(ctx, plan, token, &resp.Diagnostics)
	if !ok {
		return
	}
	tflog.Debug(ctx, "placing an Advanced order", map[string]any{"name": in.Name, "type": string(in.Type), "common_name": in.CommonName})
	started := time.Now()
	res, err := r.client.RequestAdvancedCertificate(ctx, in)
	if err != nil {
		if addNameInUseError(&resp.Diagnostics, advancedOrderType, err) {
			return
		}
		addClientError(&resp.Diagnostics, "Error placing the Advanced order "+strconv.Quote(in.Name), err)
		if !requestRefused(err) {
			// The order may exist. Keeping its name in state (Terraform marks it tainted)
			// lets the next refresh find it, and take it only with proof that it is this
			// request's: never an orphan, never someone else's.
			plan.Name, plan.ID, plan.RepresentativeCertificateNo = types.StringValue(in.Name), types.StringNull(), types.Int64Null()
			plan.nullComputed()
			resp.Diagnostics.Append(recordCreateAttempt(ctx, resp.Private, r.client, started)...)
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		}
		return
	}
	plan.Name = types.StringValue(in.Name)
	plan.ID = types.StringValue(res.OrderID)
	plan.RepresentativeCertificateNo = types.Int64Value(res.Certificate.No)

	// From here on the order exists: every failure keeps it in state (tainted) rather than
	// orphaning it.
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...) }()
	planned := plan
	plan.nullComputed()
	r.refresh(ctx, &plan, res.Certificate.No, true, &resp.Diagnostics)
	plan.restoreKnown(ctx, planned)
}

func (r *advancedOrderResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state advancedOrderModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	if state.RevokeOnDestroy.IsNull() {
		state.RevokeOnDestroy = types.BoolValue(false) // after an import
	}
	if state.ValidationMethod.IsNull() {
		state.ValidationMethod = types.StringValue(defaultValidationMethod)
	}
	if state.ID.IsNull() {
		attempt, haveAttempt := loadCreateAttempt(ctx, req.Private)
		orderID, no, why, err := r.findUnconfirmedOrder(ctx, state, attempt, haveAttempt)
		if err != nil {
			addClientError(&resp.Diagnostics, "Error looking up the order of certificate "+strconv.Quote(state.Name.ValueString()), err)
			return
		}
		if orderID == "" {
			resp.Diagnostics.AddWarning("Order not found", why+" It is removed from state: the next apply places the order anew.")
			resp.State.RemoveResource(ctx)
			return
		}
		state.ID, state.RepresentativeCertificateNo = types.StringValue(orderID), types.Int64Value(no)
	}
	if !r.refresh(ctx, &state, state.RepresentativeCertificateNo.ValueInt64(), false, &resp.Diagnostics) {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *advancedOrderResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state advancedOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	orderID := state.ID.ValueString()
	representative := state.RepresentativeCertificateNo.ValueInt64()
	reissued := false

	if plan.RepresentativeCertificateNo.IsUnknown() {
		in, ok := advancedRequest(ctx, plan, "", &resp.Diagnostics)
		if !ok {
			return
		}
		name := generateName(reissuePrefix(state.Name.ValueString()))
		tflog.Debug(ctx, "reissuing", map[string]any{"order_id": orderID, "certificate_no": representative, "name": name})
		cert, err := r.client.ReissueCertificate(ctx, representative, client.ReissueRequest{
			CSR: in.CSR, Name: name, CommonName: in.CommonName, DNSNames: in.DNSNames, ValidationMethod: in.ValidationMethod,
		})
		if err != nil {
			addClientError(&resp.Diagnostics, fmt.Sprintf("Error reissuing certificate %d of order %s", representative, orderID), err)
			return
		}
		representative, reissued = cert.No, true
	}
	// From here on the state follows the service, whatever fails next.
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...) }()
	if more := plan.SubscriptionYears.ValueInt64() - state.SubscriptionYears.ValueInt64(); more > 0 {
		tflog.Debug(ctx, "extending the subscription", map[string]any{"order_id": orderID, "years": more})
		if err := r.client.ExtendSubscription(ctx, orderID, int(more)); err != nil {
			plan.SubscriptionYears = state.SubscriptionYears
			addClientError(&resp.Diagnostics, fmt.Sprintf("Error extending the subscription of order %s by %d year(s)", orderID, more), err)
		}
	}
	planned := plan
	plan.RepresentativeCertificateNo = types.Int64Value(representative)
	if reissued {
		plan.nullComputed()
	}
	r.refresh(ctx, &plan, representative, reissued, &resp.Diagnostics)
	plan.restoreKnown(ctx, planned)
}

func (r *advancedOrderResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state advancedOrderModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	orderID := state.ID.ValueString()
	if state.ID.IsNull() {
		attempt, haveAttempt := loadCreateAttempt(ctx, req.Private)
		found, _, why, err := r.findUnconfirmedOrder(ctx, state, attempt, haveAttempt)
		if err != nil {
			addClientError(&resp.Diagnostics, "Error looking up the order of certificate "+strconv.Quote(state.Name.ValueString()), err)
			return
		}
		if found == "" {
			resp.Diagnostics.AddWarning("Nothing deleted", why)
			return
		}
		orderID = found
	}
	order, err := r.client.GetOrder(ctx, orderID)
	if client.IsNotFound(err) {
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "Error reading order "+orderID, err)
		return
	}
	if state.RevokeOnDestroy.ValueBool() {
		n, err := r.client.RevokeCertificate(ctx, orderID, 0, revokeOnDestroyType)
		if err != nil {
			addClientError(&resp.Diagnostics, "Error revoking the certificates of order "+orderID+"; nothing was deleted", err)
			return
		}
		tflog.Debug(ctx, "revoked the order's certificates", map[string]any{"order_id": orderID, "revoked": n})
	}
	for _, cert := range order.Certificates {
		if err := r.client.DeleteCertificateWhenUnused(ctx, cert.No, cert.Name); err != nil && !client.IsNotFound(err) {
			addClientError(&resp.Diagnostics, fmt.Sprintf("Error deleting certificate %d of order %s", cert.No, orderID), err)
		}
	}
}

func (r *advancedOrderResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if _, ok := parseCertificateNo(id); !ok {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected the order id, a positive integer such as 900001 (shown with the order in the Certificate Manager console), got %q.", id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// findUnconfirmedOrder finds the order a create with an unknown outcome placed: the order
// holding a certificate of the state's name, of the same type and exactly the configured
// names, registered after the create began. Otherwise orderID is "" and why says what was
// found, for a warning.
func (r *advancedOrderResource) findUnconfirmedOrder(ctx context.Context, state advancedOrderModel, attempt createAttempt, haveAttempt bool) (orderID string, no int64, why string, err error) {
	name := state.Name.ValueString()
	orders, err := r.client.ListAdvancedCertificates(ctx, name)
	if err != nil {
		return "", 0, "", err
	}
	var diags diag.Diagnostics
	want := validationNameSet(append([]string{state.CommonName.ValueString()}, stringElements(ctx, state.DNSNames, &diags)...))
	for _, o := range orders {
		for i := range o.Certificates {
			cert := &o.Certificates[i]
			if cert.Name != name {
				continue
			}
			if cert.RegisteredAt.IsZero() && haveAttempt {
				// The order lists carry no registration date: the certificate's own entry does.
				full, err := r.client.GetCertificate(ctx, cert.No)
				if err != nil {
					return "", 0, "", err
				}
				cert = full
			}
			switch {
			case certificateTypeOf(cert) != state.Type.ValueString() || !slices.Equal(validationNameSet(certificateNames(cert)), want):
				return "", 0, fmt.Sprintf("Certificate %d of order %s holds the name %q, but it is not the %s certificate for %v this resource ordered: it is left alone.",
					cert.No, o.OrderID, name, state.Type.ValueString(), want), nil
			case haveAttempt && !cert.RegisteredSince(attempt.Started, attempt.tolerance()):
				return "", 0, fmt.Sprintf("Order %s holds a certificate named %q for the same names, but it was placed before this resource's create began: it is left alone. If it is yours, import it: %s",
					o.OrderID, name, importInstructions(advancedOrderType, o.OrderID)), nil
			}
			return o.OrderID, cert.No, "", nil
		}
	}
	return "", 0, fmt.Sprintf("No order holds a certificate named %q: the earlier order request, whose outcome was unknown, did not place one.", name), nil
}

// refresh reads the order and copies it into m: the order's figures and certificates, and
// the representative certificate (no when the order still holds it, else its newest); with
// all, the names and type too (a refresh, an import). False when the order is gone (or holds
// no certificate any more): the caller forgets it.
func (r *advancedOrderResource) refresh(ctx context.Context, m *advancedOrderModel, no int64, waitRecords bool, diags *diag.Diagnostics) bool {
	orderID := m.ID.ValueString()
	order, err := r.client.GetOrder(ctx, orderID)
	if client.IsNotFound(err) {
		tflog.Warn(ctx, "order no longer exists; removing it from state", map[string]any{"order_id": orderID})
		return false
	}
	if err != nil {
		addClientError(diags, "Error reading order "+orderID, err)
		return true
	}
	if len(order.Certificates) == 0 {
		diags.AddWarning("Order holds no certificate", fmt.Sprintf("Order %s holds no certificate any more (deleted outside Terraform): it is removed from state, and the next apply places a new order.", orderID))
		return false
	}
	var rep *client.Certificate
	var numbers []int64
	held := slices.ContainsFunc(order.Certificates, func(c client.Certificate) bool { return c.No == no })
	for i := range order.Certificates {
		c := &order.Certificates[i]
		numbers = append(numbers, c.No)
		if (held && c.No == no) || (!held && (rep == nil || c.No > rep.No)) {
			rep = c
		}
	}
	slices.Sort(numbers)
	list, d := types.ListValueFrom(ctx, types.Int64Type, numbers)
	diags.Append(d...)
	m.Certificates = list

	// The first certificate carries the order's name; imported state takes it, and the names.
	if m.Name.IsNull() || m.Name.IsUnknown() {
		first := order.Certificates[0]
		for _, c := range order.Certificates {
			if c.No < first.No {
				first = c
			}
		}
		m.Name = types.StringValue(first.Name)
	}
	if got := certificateTypeOf(rep); slices.Contains(advancedOrderTypes, got) {
		m.Type = types.StringValue(got)
	}
	m.CommonName, m.DNSNames = remoteDomainNames(ctx, rep, m.CommonName, m.DNSNames, diags)
	priorStatus := m.Status.ValueString()
	m.RepresentativeCertificateNo = types.Int64Value(rep.No)
	m.Status = optionalString(rep.Status())
	m.NotBefore, m.NotAfter = optionalTime(rep.NotBefore), optionalTime(rep.NotAfter)
	m.SubscriptionStart, m.SubscriptionEnd = optionalTime(order.SubscriptionStart), optionalTime(order.SubscriptionEnd)
	if order.SubscriptionYears > 0 {
		m.SubscriptionYears = types.Int64Value(int64(order.SubscriptionYears))
	}
	m.RemainingDays = types.Int64Null()
	if order.RemainingDays != nil {
		m.RemainingDays = types.Int64Value(int64(*order.RemainingDays))
	}
	m.ExtendableYears = types.Int64Value(int64(order.ExtendableYears))

	// The records change only while validation is pending, and with its outcome.
	pending := !rep.Issued() && !rep.Terminal()
	if m.DomainValidationRecords.IsNull() || m.DomainValidationRecords.IsUnknown() || m.ValidationStatus.IsNull() || m.ValidationStatus.IsUnknown() || rep.Status() != priorStatus || pending {
		groups := validationGroups(certificateNames(rep))
		records, err := fetchValidationRecords(ctx, r.client, rep.No, rep.Type, groups, waitRecords)
		if err != nil {
			addClientError(diags, fmt.Sprintf("Error reading the validation records of certificate %d (order %s)", rep.No, orderID), err)
			records = groups
		}
		prior := m.DomainValidationRecords
		if prior.IsUnknown() {
			prior = types.MapNull(validationRecordsType.ElemType)
		}
		v, d := validationRecordsValue(ctx, records, prior)
		diags.Append(d...)
		m.DomainValidationRecords = v
		m.ValidationStatus = validationStatusValue(records, m.ValidationStatus)
	}
	renewed := rep.SerialNumber != "" && pemSerial(m.CertificatePEM.ValueString()) != rep.SerialNumber
	if rep.Issued() && (m.CertificatePEM.IsNull() || m.CertificatePEM.IsUnknown() || renewed) {
		chain, err := r.client.GetCertificateChain(ctx, rep.No)
		if err != nil {
			diags.AddWarning("Cannot read the issued certificate's PEM",
				fmt.Sprintf("Certificate %d is issued, but reading its PEM failed, so certificate_pem is left as it was; the next refresh tries again: %s", rep.No, err))
		} else {
			m.CertificatePEM = optionalString(canonicalPEM(chain.Certificate))
			m.CertificateChainPEM = optionalString(canonicalPEM(chain.SubCACertificate + "\n" + chain.RootCACertificate))
		}
	}
	if !rep.Issued() {
		m.CertificatePEM, m.CertificateChainPEM = types.StringNull(), types.StringNull()
	}
	return true
}

// nullComputed clears what describes the representative certificate (a new one).
func (m *advancedOrderModel) nullComputed() {
	m.Status, m.NotBefore, m.NotAfter = types.StringNull(), types.StringNull(), types.StringNull()
	m.CertificatePEM, m.CertificateChainPEM = types.StringNull(), types.StringNull()
	m.DomainValidationRecords = types.MapNull(validationRecordsType.ElemType)
	m.ValidationStatus = types.MapNull(types.StringType)
	m.Certificates = types.ListNull(types.Int64Type)
	m.SubscriptionStart, m.SubscriptionEnd = types.StringNull(), types.StringNull()
	m.RemainingDays, m.ExtendableYears = types.Int64Null(), types.Int64Null()
}

// restoreKnown keeps every value the plan promised (Terraform rejects an apply that changes
// a known planned value); what the plan left unknown comes from the service.
func (m *advancedOrderModel) restoreKnown(ctx context.Context, planned advancedOrderModel) {
	known := func(v attr.Value) bool {
		tv, err := v.ToTerraformValue(ctx)
		return err == nil && tv.IsFullyKnown()
	}
	for _, p := range []struct {
		dst *types.String
		src types.String
	}{
		{&m.Name, planned.Name}, {&m.CommonName, planned.CommonName}, {&m.Type, planned.Type},
		{&m.Status, planned.Status}, {&m.NotBefore, planned.NotBefore}, {&m.NotAfter, planned.NotAfter},
		{&m.CertificatePEM, planned.CertificatePEM}, {&m.CertificateChainPEM, planned.CertificateChainPEM},
		{&m.SubscriptionStart, planned.SubscriptionStart}, {&m.SubscriptionEnd, planned.SubscriptionEnd},
	} {
		if known(p.src) {
			*p.dst = p.src
		}
	}
	for _, p := range []struct {
		dst *types.Int64
		src types.Int64
	}{
		{&m.RepresentativeCertificateNo, planned.RepresentativeCertificateNo}, {&m.SubscriptionYears, planned.SubscriptionYears},
		{&m.RemainingDays, planned.RemainingDays}, {&m.ExtendableYears, planned.ExtendableYears},
	} {
		if known(p.src) {
			*p.dst = p.src
		}
	}
	if known(planned.DNSNames) {
		m.DNSNames = planned.DNSNames
	}
	if known(planned.Certificates) {
		m.Certificates = planned.Certificates
	}
	if known(planned.DomainValidationRecords) {
		m.DomainValidationRecords = planned.DomainValidationRecords
	}
	if known(planned.ValidationStatus) { // the next refresh brings it up to date
		m.ValidationStatus = planned.ValidationStatus
	} else if m.ValidationStatus.IsUnknown() { // a failed read
		m.ValidationStatus = types.MapNull(types.StringType)
	}
}

// advancedRequest builds the order request from the plan, checking again what was known
// only at apply time.
func advancedRequest(ctx context.Context, plan advancedOrderModel, token string, diags *diag.Diagnostics) (client.AdvancedRequest, bool) {
	dnsNames := stringElements(ctx, plan.DNSNames, diags)
	addOrderProblems(diags, plan.Type.ValueString(), plan.CommonName.ValueString(), dnsNames, plan.CSRPEM.ValueString(), !plan.OrganizationNo.IsNull(), "Nothing was sent.")
	if diags.HasError() {
		return client.AdvancedRequest{}, false
	}
	name := plan.Name.ValueString()
	if plan.Name.IsUnknown() || plan.Name.IsNull() {
		name = generateName(plan.NamePrefix.ValueString())
	}
	slices.Sort(dnsNames)
	return client.AdvancedRequest{
		Type: advancedOrderTypeCodes[plan.Type.ValueString()], Name: name, CommonName: plan.CommonName.ValueString(), DNSNames: dnsNames,
		CSR: plan.CSRPEM.ValueString(), ValidationMethod: validationMethodCodes[plan.ValidationMethod.ValueString()],
		OrganizationNo: plan.OrganizationNo.ValueInt64(), SubscriptionYears: int(plan.SubscriptionYears.ValueInt64()), RequestToken: token,
	}, true
}

// reissuePrefix is the name prefix of a reissued certificate: the order's name cut to the
// longest prefix a generated name allows (the service wants a new, unused name).
func reissuePrefix(name string) string {
	if len(name) > maxNamePrefixLength {
		name = name[:maxNamePrefixLength]
	}
	if name == "" {
		return defaultNamePrefix
	}
	return name
}

// newRequestToken is a random token for AdvancedCertificateRequest.
func newRequestToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
