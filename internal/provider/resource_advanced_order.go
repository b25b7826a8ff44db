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
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	_ resource.ResourceWithIdentity       = (*advancedOrderResource)(nil)
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
	DeletionProtection          types.Bool     `tfsdk:"deletion_protection"`
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
	// A state whose order is not confirmed yet is kept with a placeholder identity
	// (common_identity.go), which the refresh that finds the order replaces.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *advancedOrderResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	orderIDIdentity.schema(resp)
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
	maps.Copy(attrs, orderNameAttributes(attrs))
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
				"Changing it replaces the order (a new paid order; refused while `deletion_protection` is true); a change of case or trailing dot alone updates only the state.",
			Required:   true,
			Validators: []validator.String{domainNameValidator{commonName: true}},
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
			MarkdownDescription: "The organization number of an OV order (required for `advanced_ov`, a plan-time error otherwise). Changing it replaces the order (a new paid order; refused while `deletion_protection` is true).",
			Optional:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(1)},
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
			MarkdownDescription: "Whether destroy revokes the order's issued certificates (each by its number) before deleting them. Default `false`: destroy only deletes them. " +
				"Destroy first reads every certificate of the order: while any is used by an instance, it revokes and deletes nothing and names the instances.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(false),
		},
		"deletion_protection": schema.BoolAttribute{
			MarkdownDescription: "Whether Terraform refuses, at plan time, to destroy or replace the order. Default `true`. " +
				"**Destroying an order forfeits its paid subscription** (its certificates are deleted, and revoked with `revoke_on_destroy`); a replacement places a new paid order. " +
				"To destroy it: set `deletion_protection = false`, apply, then destroy.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(true),
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
			"Changing `csr_pem`, `dns_names` or `reissue_triggers` reissues in place: the order (and `id`) stays, `representative_certificate_no` changes. " +
			"An order is never replaced or destroyed while `deletion_protection` is true (the default): **destroying it forfeits its paid subscription**.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "Default 10m: the order and the listing of its validation records.", ReadDescription: "Default 5m.",
				UpdateDescription: "Default 10m: a reissue or an extension.",
				DeleteDescription: "Default 10m, shared equally by the order's certificates (each is revoked, when asked, and deleted on its own)."}),
		},
	}
}

func (r *advancedOrderResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

func (r *advancedOrderResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer orderIDIdentity.afterCreate(ctx, resp)
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
	if r.place(ctx, &plan, newRequestToken(), resp.Private, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// place sends the order request with token, recorded in private state first, and fills m.
// True: m is to be saved. Once the service may have accepted the order, m is always saved
// and only warnings are added: an error would taint the order, and a taint buys another.
func (r *advancedOrderResource) place(ctx context.Context, m *advancedOrderModel, token string, private privateSetter, diags *diag.Diagnostics) bool {
	raw, _ := json.Marshal(token)
	diags.Append(private.SetKey(ctx, privateKeyRequestToken, raw)...)
	in, ok := advancedRequest(ctx, *m, token, diags)
	if !ok || diags.HasError() {
		return false
	}
	tflog.Debug(ctx, "placing an Advanced order", map[string]any{"name": in.Name, "type": string(in.Type), "common_name": in.CommonName})
	started := time.Now()
	res, err := r.client.RequestAdvancedCertificate(ctx, in)
	if err != nil {
		if addNameInUseError(diags, advancedOrderType, err) {
			return false
		}
		if requestRefused(err) {
			addClientError(diags, "Error placing the Advanced order "+strconv.Quote(in.Name), err)
			return false
		}
		// The order may exist. Its name and requestToken are kept: the next refresh looks
		// for it (taken only with proof that it is this request's); if it is not found, the
		// next apply sends this request again with the same token, which the service answers
		// with the order the token placed, if any. Never a second order.
		diags.AddWarning("Advanced order outcome unknown",
			fmt.Sprintf("Placing order %q: %s\n\nThe service may have placed the order. It is kept in state under its name, with its requestToken: "+
				"the next refresh looks the order up and adopts it if this request placed it; otherwise the next apply sends the same request with the same requestToken, "+
				"which the service answers with the order it already placed, if any. No second order is placed.", in.Name, err))
		m.Name, m.ID, m.RepresentativeCertificateNo = types.StringValue(in.Name), types.StringNull(), types.Int64Null()
		m.nullComputed()
		m.fillRecordKeys(ctx, diags)
		diags.Append(recordCreateAttempt(ctx, private, r.client, started)...)
		return true
	}
	m.Name = types.StringValue(in.Name)
	m.ID = types.StringValue(res.OrderID)
	m.RepresentativeCertificateNo = types.Int64Value(res.Certificate.No)
	diags.Append(private.SetKey(ctx, privateKeyCreateAttempt, nil)...)
	diags.Append(saveRecordsMethod(ctx, private, m.ValidationMethod.ValueString())...)
	planned := *m
	m.nullComputed()
	r.refresh(ctx, m, res.Certificate.No, true, diags)
	m.restoreKnown(ctx, planned)
	return true
}

func (r *advancedOrderResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer orderIDIdentity.afterRead(ctx, req, resp)
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
	if state.DeletionProtection.IsNull() {
		state.DeletionProtection = types.BoolValue(true)
	}
	if state.ValidationMethod.IsNull() {
		state.ValidationMethod = types.StringValue(defaultValidationMethod)
	}
	if state.ID.IsNull() {
		attempt, haveAttempt := loadCreateAttempt(ctx, req.Private)
		orderID, no, why, err := r.findUnconfirmedOrder(ctx, state, attempt, haveAttempt)
		switch {
		case err != nil:
			addReadWarning(&resp.Diagnostics, "Cannot look up the order placed earlier under the name "+strconv.Quote(state.Name.ValueString()), err)
		case orderID == "":
			resp.Diagnostics.AddWarning("Order not found", why+" The next apply sends the same order request again, with the same requestToken: "+
				"the service answers it with the order that token placed, if any, so at most one order is placed.")
		}
		if orderID == "" {
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
		state.ID, state.RepresentativeCertificateNo = types.StringValue(orderID), types.Int64Value(no)
	}
	r.adoptReissue(ctx, &state, resp.Private, &resp.Diagnostics)
	if !r.refreshFrom(ctx, r.client.ReadOrderBatched, &state, state.RepresentativeCertificateNo.ValueInt64(), false, &resp.Diagnostics) {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *advancedOrderResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer orderIDIdentity.afterUpdate(ctx, req, resp)
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
	if state.ID.IsNull() {
		// An order request with an unknown outcome: the same request again, same token.
		token := loadRequestToken(ctx, req.Private)
		if token == "" {
			token = newRequestToken()
		}
		if r.place(ctx, &plan, token, resp.Private, &resp.Diagnostics) {
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		}
		return
	}
	orderID := state.ID.ValueString()
	representative := state.RepresentativeCertificateNo.ValueInt64()
	reissued := false
	if plan.RepresentativeCertificateNo.IsUnknown() {
		no, ok := r.reissue(ctx, &plan, &state, resp.Private, &resp.Diagnostics)
		if !ok {
			// The order is as it was: the next plan shows the reissue again.
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
		representative, reissued = no, true
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

func (r *advancedOrderResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	orderIDIdentity.importState(ctx, req, resp)
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

// loadRequestToken is the requestToken of the earlier order request, "" when none.
func loadRequestToken(ctx context.Context, private privateGetter) string {
	b, d := private.GetKey(ctx, privateKeyRequestToken)
	var token string
	if d.HasError() || len(b) == 0 || json.Unmarshal(b, &token) != nil {
		return ""
	}
	return token
}

// newRequestToken is a random token for AdvancedCertificateRequest.
func newRequestToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// orderNameAttributes are name and name_prefix as an order reads them: the name of the
// order's next certificate. The service cannot rename a certificate, but an order is not
// its certificate: a change updates only the state (a reissue uses it), never a new order.
func orderNameAttributes(shared map[string]schema.Attribute) map[string]schema.Attribute {
	name := shared["name"].(schema.StringAttribute)
	name.MarkdownDescription = "Name of the order's certificate in Certificate Manager: " + nameRuleText + ", unique in the account. " +
		"Changing it never replaces the order: it updates only the state, and the next reissue gives it to its new certificate when no certificate holds it (else the name with a random suffix). " +
		"Conflicts with `name_prefix`; when both are omitted a name starting with `" + defaultNamePrefix + "` is generated."
	name.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	prefix := shared["name_prefix"].(schema.StringAttribute)
	prefix.MarkdownDescription = fmt.Sprintf("Creates a unique name starting with this prefix (at most %d characters; a random %d-character suffix is added). "+
		"Changing it never replaces the order (it updates only the state).", maxNamePrefixLength, generatedSuffixLen)
	prefix.PlanModifiers = nil
	return map[string]schema.Attribute{"name": name, "name_prefix": prefix}
}
