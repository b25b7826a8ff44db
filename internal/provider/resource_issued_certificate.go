package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ resource.Resource                   = (*issuedCertificateResource)(nil)
	_ resource.ResourceWithConfigure      = (*issuedCertificateResource)(nil)
	_ resource.ResourceWithValidateConfig = (*issuedCertificateResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*issuedCertificateResource)(nil)
	_ resource.ResourceWithImportState    = (*issuedCertificateResource)(nil)
	_ resource.ResourceWithIdentity       = (*issuedCertificateResource)(nil)
)

// issuedCertificateType is the resource type name, for messages.
const issuedCertificateType = "ncloudcert_issued_certificate"

// The certificate types this resource requests, in the shared vocabulary, and the service's
// codes for them: one list for the validator, the descriptions and the request.
var (
	issuedCertificateTypes     = []string{"cloud_basic", "global_edge"}
	issuedCertificateTypeCodes = map[string]client.CertificateType{
		"cloud_basic": client.CloudBasic,
		"global_edge": client.GlobalEdge,
	}
)

const defaultIssuedCertificateType = "cloud_basic"

type issuedCertificateResource struct {
	client *client.Client
}

func newIssuedCertificateResource() resource.Resource { return &issuedCertificateResource{} }

type issuedCertificateModel struct {
	ID                      types.String   `tfsdk:"id"`
	Name                    types.String   `tfsdk:"name"`
	NamePrefix              types.String   `tfsdk:"name_prefix"`
	AutoRenewal             types.Bool     `tfsdk:"auto_renewal"`
	IssuedAt                types.String   `tfsdk:"issued_at"`
	CertificatePEM          types.String   `tfsdk:"certificate_pem"`
	CertificateChainPEM     types.String   `tfsdk:"certificate_chain_pem"`
	DomainValidationRecords types.Map      `tfsdk:"domain_validation_records"`
	ValidationStatus        types.Map      `tfsdk:"validation_status"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`
	// The shared metadata; common_name, dns_names and type are arguments here.
	certificateMetadataModel
}

func (r *issuedCertificateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_issued_certificate"
}

func (r *issuedCertificateResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	certificateNoIdentity.schema(resp)
}

func (r *issuedCertificateResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := certificateMetadataResourceAttributes()
	maps.Copy(attrs, nameAttributes())
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The certificate number, as a string (the import id).",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["type"] = schema.StringAttribute{
		MarkdownDescription: "Which certificate to request: " + backtickList(issuedCertificateTypes) + " (default `" + defaultIssuedCertificateType + "`). " +
			"`cloud_basic` is validated with CNAME records and usable by Load Balancers and CDN+; `global_edge` is validated with TXT records and usable only by Global Edge. Changing it replaces the certificate.",
		Optional:      true,
		Computed:      true,
		Default:       stringdefault.StaticString(defaultIssuedCertificateType),
		Validators:    []validator.String{stringvalidator.OneOf(issuedCertificateTypes...)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	attrs["common_name"] = schema.StringAttribute{
		MarkdownDescription: "Main domain name of the certificate, e.g. `www.example.com`; a wildcard is allowed as the whole leftmost label (`*.example.com`). " +
			"Names compare case-insensitively, a trailing dot ignored. Changing it replaces the certificate (a change of case or trailing dot alone updates only the state).",
		Required:      true,
		Validators:    []validator.String{domainNameValidator{commonName: true}},
		PlanModifiers: []planmodifier.String{requiresReplaceIfOtherDomain()},
	}
	attrs["dns_names"] = schema.SetAttribute{
		MarkdownDescription: fmt.Sprintf("Additional domain names (subject alternative names), wildcards allowed as for `common_name`. "+
			"The certificate covers its common name anyway: do not repeat it here. At most %d names in all, the common name included; no name twice. "+
			"Changing the set replaces the certificate (a change of case or trailing dot alone updates only the state).", maxCertificateNames),
		Optional:      true,
		ElementType:   types.StringType,
		Validators:    []validator.Set{setvalidator.ValueStringsAre(domainNameValidator{})},
		PlanModifiers: []planmodifier.Set{requiresReplaceIfOtherDomains()},
	}
	attrs["auto_renewal"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the service renews the certificate automatically before it expires (from 30 days before `not_after`, while the DNS validation records stay published): " +
			"the same certificate number gets a new serial and dates, so instances that use it keep working; the next refresh reads the new PEM without a diff. " +
			"Default `true`: a managed certificate renews unless you say otherwise. Changed in place (SetRenewalStatus); a change made outside Terraform shows as a diff.",
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(true),
	}
	attrs["issued_at"] = schema.StringAttribute{
		MarkdownDescription: "When the certificate was issued, RFC 3339 in UTC; null until then.",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["certificate_pem"] = schema.StringAttribute{
		MarkdownDescription: "The issued certificate in PEM format; null until the certificate is issued, filled in by the first refresh after issuance (and again when the service renews it).",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["certificate_chain_pem"] = schema.StringAttribute{
		MarkdownDescription: "The certificates that issued it (intermediate first, then the root) in PEM format; null until the certificate is issued.",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["domain_validation_records"] = validationRecordsAttribute()
	attrs["validation_status"] = validationStatusAttribute()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Requests a certificate from NAVER Cloud's CA: **Cloud Basic** (free DV) or **Global Edge**. " +
			"Create returns once the request exists and its DNS validation records are known; it does not wait for issuance. " +
			"Publish `domain_validation_records` with your DNS provider and wait with `ncloudcert_certificate_validation`, all in one apply.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "Default 10m: the request and the listing of its validation records.", ReadDescription: "Default 5m.",
				UpdateDescription: "Default 10m.",
				DeleteDescription: "Default 10m. While instances still use the certificate, delete keeps retrying until this runs out."}),
		},
	}
}

func (r *issuedCertificateResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configureResource(ctx, req, resp); c != nil {
		r.client = c
	}
}

func (r *issuedCertificateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer certificateNoIdentity.afterCreate(ctx, resp)
	var plan issuedCertificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	in, ok := issuedRequest(ctx, plan, &resp.Diagnostics)
	if !ok {
		return
	}
	tflog.Debug(ctx, "requesting certificate", map[string]any{"name": in.Name, "type": string(in.Type), "common_name": in.CommonName})
	started := time.Now()
	cert, err := r.client.RequestCertificate(ctx, in)
	if err != nil {
		if addIssuedNameInUseError(&resp.Diagnostics, err) {
			return
		}
		addClientError(&resp.Diagnostics, "Error requesting certificate "+strconv.Quote(in.Name), err)
		if !requestRefused(err) {
			// The certificate may exist. Keeping its name in state (Terraform marks it
			// tainted) lets the next refresh find it, and take it only with proof that it is
			// this request's: never an orphan, never someone else's.
			plan.Name, plan.ID = types.StringValue(in.Name), types.StringNull()
			plan.nullComputed()
			resp.Diagnostics.Append(recordCreateAttempt(ctx, resp.Private, r.client, started)...)
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		}
		return
	}
	plan.Name = types.StringValue(in.Name)
	r.applyRemote(ctx, &plan, cert, false, &resp.Diagnostics)
	plan.CertificatePEM, plan.CertificateChainPEM = types.StringNull(), types.StringNull()
	plan.DomainValidationRecords = types.MapNull(validationRecordsType.ElemType)
	plan.ValidationStatus = types.MapNull(types.StringType)

	// From here on the certificate exists: every failure keeps it in state (tainted, so the
	// next apply replaces it) rather than orphaning it.
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...) }()
	if plan.AutoRenewal.ValueBool() != (cert.AutoRenewalKnown && cert.AutoRenewal) {
		// A failure is a warning, never a taint (that would replace the certificate): the
		// service may refuse the setting while the request is pending (API doc §8). The next
		// refresh reads the actual setting, and the next apply sets it.
		if err := r.client.SetRenewalStatus(ctx, cert.No, plan.AutoRenewal.ValueBool()); err != nil {
			resp.Diagnostics.AddAttributeWarning(path.Root("auto_renewal"), "Automatic renewal not set yet",
				fmt.Sprintf("Certificate %d was requested, but setting auto_renewal = %t failed (the service may refuse it until the certificate is issued). "+
					"The next refresh shows the service's setting, and the next apply after issuance sets it: %s", cert.No, plan.AutoRenewal.ValueBool(), err))
		}
	}
	groups := validationGroups(append([]string{plan.CommonName.ValueString()}, stringElements(ctx, plan.DNSNames, &resp.Diagnostics)...))
	records, err := fetchValidationRecords(ctx, r.client, cert.No, cert.Type, groups, true)
	if err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Certificate %d was requested, but reading its validation records failed", cert.No),
			fmt.Errorf("%w\n\nThe certificate is kept in state and marked tainted: the next apply deletes it and requests a new one", err))
		records = groups
	}
	m, d := validationRecordsValue(ctx, records, types.MapNull(validationRecordsType.ElemType))
	resp.Diagnostics.Append(d...)
	plan.DomainValidationRecords = m
	plan.ValidationStatus = validationStatusValue(records, types.MapNull(types.StringType))
	if cert.Issued() {
		r.readMaterial(ctx, &plan, cert, &resp.Diagnostics)
	}
}

func (r *issuedCertificateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer certificateNoIdentity.afterRead(ctx, req, resp)
	var state issuedCertificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	cert := readOwnedCertificate(ctx, r.client, req, resp, state.ID, state.Name.ValueString(), client.KindCloud, "requests it anew",
		func(cert *client.Certificate, attempt createAttempt, haveAttempt bool) (bool, string) {
			return ownsUnconfirmedRequest(ctx, cert, state, attempt, haveAttempt)
		})
	if cert == nil {
		return
	}
	if got := certificateTypeOf(cert); !slices.Contains(issuedCertificateTypes, got) {
		addWrongTypeError(&resp.Diagnostics, issuedCertificateType, "cloud_basic and global_edge", cert, got)
		return
	}

	priorStatus := state.Status.ValueString()
	r.applyRemote(ctx, &state, cert, true, &resp.Diagnostics)

	// The records change only while validation is pending, and with its outcome: a refresh
	// of a certificate that stays issued is one request.
	pending := !cert.Issued() && !cert.Terminal()
	if state.DomainValidationRecords.IsNull() || state.ValidationStatus.IsNull() || cert.Status() != priorStatus || pending {
		groups := validationGroups(certificateNames(cert))
		records, err := fetchValidationRecords(ctx, r.client, cert.No, cert.Type, groups, false)
		if err != nil {
			addClientError(&resp.Diagnostics, fmt.Sprintf("Error reading the validation records of certificate %d", cert.No), err)
			return
		}
		m, d := validationRecordsValue(ctx, records, state.DomainValidationRecords)
		resp.Diagnostics.Append(d...)
		state.DomainValidationRecords = m
		state.ValidationStatus = validationStatusValue(records, state.ValidationStatus)
	}

	// The PEM once issued, and again when the serial changes (the service renewed it):
	// fetched only then, so a steady refresh stays one request.
	renewed := cert.SerialNumber != "" && pemSerial(state.CertificatePEM.ValueString()) != cert.SerialNumber
	if cert.Issued() && (state.CertificatePEM.IsNull() || renewed) {
		r.readMaterial(ctx, &state, cert, &resp.Diagnostics)
	}
	addIssuedExpiryWarning(&resp.Diagnostics, state.expiryOf(), time.Now())
	if client.IsFailedRequestStatus(cert.StatusCode, cert.StatusName) {
		reason := "The service gave no reason."
		if cert.FailReason != "" {
			reason = "The service's reason: " + cert.FailReason
		}
		resp.Diagnostics.AddWarning("Certificate request failed",
			fmt.Sprintf("Certificate %d (%q) ended in status %s without being issued. %s\n\n"+
				"The next apply replaces it: the failed request is deleted and a new certificate is requested (check the DNS validation records first).",
				cert.No, cert.Name, cert.Status(), reason))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *issuedCertificateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer certificateNoIdentity.afterUpdate(ctx, req, resp)
	var plan, state issuedCertificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.AutoRenewal.Equal(state.AutoRenewal) {
		ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
		if !ok {
			return
		}
		defer cancel()
		no := state.CertificateNo.ValueInt64()
		tflog.Debug(ctx, "setting automatic renewal", map[string]any{"certificate_no": no, "auto_renewal": plan.AutoRenewal.ValueBool()})
		if err := r.client.SetRenewalStatus(ctx, no, plan.AutoRenewal.ValueBool()); err != nil {
			addClientError(&resp.Diagnostics, fmt.Sprintf("Error setting auto_renewal of certificate %d", no), err)
			return
		}
	}
	// Everything else that can change in place is Terraform's own: timeouts, the spelling
	// of a domain name, a name_prefix the name already fits. The per-record progress is
	// unknown in any changing plan: it stays what the last refresh read.
	plan.ValidationStatus = state.ValidationStatus
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *issuedCertificateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state issuedCertificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	deleteOwnedCertificate(ctx, r.client, req.Private, state.ID, state.CertificateNo.ValueInt64(), state.Name.ValueString(), client.KindCloud,
		func(cert *client.Certificate, attempt createAttempt, haveAttempt bool) (bool, string) {
			return ownsUnconfirmedRequest(ctx, cert, state, attempt, haveAttempt)
		}, &resp.Diagnostics)
}

func (r *issuedCertificateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByCertificateNo(ctx, req, resp)
}

// applyRemote copies what the service reported into the model: everything on refresh, the
// values the plan left unknown after a create. The configured domain names stay as written
// while the service reports the same names (case and a trailing dot aside).
func (r *issuedCertificateResource) applyRemote(ctx context.Context, m *issuedCertificateModel, cert *client.Certificate, refresh bool, diags *diag.Diagnostics) {
	meta, d := newCertificateMetadata(ctx, cert)
	diags.Append(d...)
	commonName, dnsNames := m.CommonName, m.DNSNames
	if refresh {
		m.certificateMetadataModel = meta
		m.CommonName, m.DNSNames = remoteDomainNames(ctx, cert, commonName, dnsNames, diags)
		m.IssuedAt = optionalTime(cert.IssuedAt)
		if cert.Name != "" {
			m.Name = types.StringValue(cert.Name)
		}
		if cert.AutoRenewalKnown || m.AutoRenewal.IsNull() {
			m.AutoRenewal = types.BoolValue(cert.AutoRenewal)
		}
	} else {
		m.certificateMetadataModel = m.mergeRemote(meta)
		m.IssuedAt = keepKnown(m.IssuedAt, optionalTime(cert.IssuedAt))
	}
	m.ID = types.StringValue(strconv.FormatInt(cert.No, 10))
}

// readMaterial fills certificate_pem and certificate_chain_pem (one GetCertificateChain).
// A failure leaves them as they were, with a warning: the next refresh tries again.
func (r *issuedCertificateResource) readMaterial(ctx context.Context, m *issuedCertificateModel, cert *client.Certificate, diags *diag.Diagnostics) {
	pemText, chain, err := readIssuedPEM(ctx, r.client, cert.No)
	if err != nil {
		if m.CertificatePEM.IsUnknown() {
			m.CertificatePEM, m.CertificateChainPEM = types.StringNull(), types.StringNull()
		}
		diags.AddWarning("Cannot read the issued certificate's PEM",
			fmt.Sprintf("Certificate %d is issued, but reading its PEM failed, so certificate_pem is left as it was; the next refresh tries again: %s", cert.No, err))
		return
	}
	m.CertificatePEM, m.CertificateChainPEM = pemText, chain
}

// readIssuedPEM reads an issued certificate's PEM and chain (one GetCertificateChain),
// stored canonically: the service answers with \r\n line endings.
func readIssuedPEM(ctx context.Context, c *client.Client, no int64) (certificatePEM, chainPEM types.String, err error) {
	chain, err := c.GetCertificateChain(ctx, no)
	if err != nil {
		return types.StringNull(), types.StringNull(), err
	}
	return optionalString(canonicalPEM(chain.Certificate)), optionalString(canonicalPEM(chain.SubCACertificate + "\n" + chain.RootCACertificate)), nil
}

// nullComputed clears what the service would have said, for a name-only state.
func (m *issuedCertificateModel) nullComputed() {
	commonName, dnsNames, typ := m.CommonName, m.DNSNames, m.Type
	m.certificateMetadataModel = nullCertificateMetadata()
	m.CommonName, m.DNSNames, m.Type = commonName, dnsNames, typ
	m.IssuedAt, m.CertificatePEM, m.CertificateChainPEM = types.StringNull(), types.StringNull(), types.StringNull()
	m.DomainValidationRecords = types.MapNull(validationRecordsType.ElemType)
	m.ValidationStatus = types.MapNull(types.StringType)
}

// requestRefused: the service refused the request outright, so no certificate was made.
// Anything else (a lost answer, a failure after the request landed) may have left one.
func requestRefused(err error) bool {
	return client.IsNameInUse(err) || client.IsRequestInvalid(err) || client.IsAuth(err) || client.IsForbidden(err) ||
		client.IsThrottled(err) || errors.Is(err, client.ErrV2Unavailable)
}

// ownsUnconfirmedRequest decides whether cert, found under the name of a name-only state, is
// the certificate this resource requested: the same type and exactly the configured domain
// names and, when the start is known, requested after the create began.
func ownsUnconfirmedRequest(ctx context.Context, cert *client.Certificate, state issuedCertificateModel, attempt createAttempt, haveAttempt bool) (owned bool, why string) {
	name := state.Name.ValueString()
	if cert == nil {
		return false, fmt.Sprintf("No certificate named %q exists: the earlier request, whose outcome was unknown, did not create it.", name)
	}
	var diags diag.Diagnostics
	want := validationNameSet(append([]string{state.CommonName.ValueString()}, stringElements(ctx, state.DNSNames, &diags)...))
	switch {
	case certificateTypeOf(cert) != state.Type.ValueString() || !slices.Equal(validationNameSet(certificateNames(cert)), want) ||
		canonicalDomain(cert.CommonName) != canonicalDomain(state.CommonName.ValueString()):
		return false, fmt.Sprintf("Certificate %d holds the name %q, but it is a %s certificate for %v, not the %s certificate for %v this resource requested: it is left alone.",
			cert.No, name, certificateTypeOf(cert), validationNameSet(certificateNames(cert)), state.Type.ValueString(), want)
	case haveAttempt && !cert.RegisteredSince(attempt.Started, attempt.tolerance()):
		return false, fmt.Sprintf("Certificate %d holds the name %q and the same domain names, but it was requested at %s, before this resource's create began (%s): it was requested elsewhere and is left alone. If it is yours, import it: %s",
			cert.No, name, cert.RegisteredAt.UTC().Format(time.RFC3339), attempt.Started.UTC().Format(time.RFC3339), importHint(cert.No))
	}
	return true, ""
}

// validationNameSet is the sorted set of canonical names.
func validationNameSet(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if c := canonicalDomain(n); c != "" {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// remoteDomainNames are common_name and dns_names as the service reports them, except that
// values naming the same domains (case, a trailing dot, the common name repeated in the
// SANs aside) keep their prior spelling, so a refresh shows no difference where there is none.
func remoteDomainNames(ctx context.Context, cert *client.Certificate, priorCN types.String, priorSANs types.Set, diags *diag.Diagnostics) (types.String, types.Set) {
	commonName := optionalString(cert.CommonName)
	if !priorCN.IsNull() && canonicalDomain(priorCN.ValueString()) == canonicalDomain(cert.CommonName) {
		commonName = priorCN
	}
	var sans []string
	for _, n := range cert.DNSNames {
		if canonicalDomain(n) != canonicalDomain(cert.CommonName) {
			sans = append(sans, n)
		}
	}
	if !priorSANs.IsNull() && !priorSANs.IsUnknown() && slices.Equal(validationNameSet(stringElements(ctx, priorSANs, diags)), validationNameSet(sans)) {
		return commonName, priorSANs
	}
	if len(sans) == 0 {
		return commonName, types.SetNull(types.StringType)
	}
	set, d := types.SetValueFrom(ctx, types.StringType, sans)
	diags.Append(d...)
	return commonName, set
}

// stringElements reads a set of strings; null or unknown is empty.
func stringElements(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	return out
}

// pemSerial is the serial of a PEM certificate in the service's form, or "".
func pemSerial(certificatePEM string) string {
	leaf, err := parseLeafCertificate(certificatePEM)
	if err != nil {
		return ""
	}
	return certificateSerial(leaf)
}

// issuedRequest builds the request from the plan, checking the names again: values known
// only at apply time arrive here unchecked.
func issuedRequest(ctx context.Context, plan issuedCertificateModel, diags *diag.Diagnostics) (client.CertificateRequest, bool) {
	dnsNames := stringElements(ctx, plan.DNSNames, diags)
	if p := domainProblem(plan.CommonName.ValueString(), true); p != "" {
		diags.AddAttributeError(path.Root("common_name"), "Invalid domain name", p+" Nothing was sent.")
	}
	for _, n := range dnsNames {
		if p := domainProblem(n, false); p != "" {
			diags.AddAttributeError(path.Root("dns_names"), "Invalid domain name", p+" Nothing was sent.")
		}
	}
	addDomainListProblems(diags, path.Root("dns_names"), plan.CommonName.ValueString(), dnsNames)
	typ, known := issuedCertificateTypeCodes[plan.Type.ValueString()]
	if !known {
		diags.AddAttributeError(path.Root("type"), "Unknown certificate type",
			fmt.Sprintf("type %q is not one of %s. Nothing was sent.", plan.Type.ValueString(), backtickList(issuedCertificateTypes)))
	}
	if diags.HasError() {
		return client.CertificateRequest{}, false
	}
	name := plan.Name.ValueString()
	if plan.Name.IsUnknown() || plan.Name.IsNull() {
		name = generateName(plan.NamePrefix.ValueString())
	}
	slices.Sort(dnsNames)
	return client.CertificateRequest{Type: typ, Name: name, CommonName: plan.CommonName.ValueString(), DNSNames: dnsNames}, true
}
