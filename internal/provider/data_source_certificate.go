package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_                     datasource.DataSourceWithConfigure        = (*certificateDataSource)(nil)
	_                     datasource.DataSourceWithConfigValidators = (*certificateDataSource)(nil)
	defaultLookupStatuses                                           = []string{client.StatusNormal, client.StatusNormalGlobalEdgeDedicated} // the usable ones
	lookupInputs                                                    = []string{"domain", "statuses", "types", "most_recent"}
)

func newCertificateDataSource() datasource.DataSource { return &certificateDataSource{} }

// certificateDataSource finds one certificate by number, name or domain.
type certificateDataSource struct{ client *client.Client }

func (d *certificateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate"
}

func (d *certificateDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := certificateItemAttributes()
	filters := certificateFilterAttributes(certificateTypes, " Defaults to the usable statuses, `[\"NORMAL\", \"NORMAL_GLOBAL_EDGE_DEDICATED\"]`, except for a lookup by `certificate_no` alone, which accepts any status unless `statuses` is set. When nothing matches, the error names the certificates left out only by their status.")
	attrs["certificate_no"] = schema.Int64Attribute{
		MarkdownDescription: "Number of the certificate to look up. " + metadataDescriptions["certificate_no"],
		Optional:            true, Computed: true,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
	name := filters["name"].(schema.StringAttribute)
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "Name of the certificate to look up (exact; filtered by the service).",
		Optional:            true, Computed: true, Validators: name.Validators,
	}
	attrs["domain"] = filters["domain"]
	attrs["statuses"] = filters["statuses"]
	attrs["types"] = filters["types"]
	attrs["most_recent"] = schema.BoolAttribute{
		MarkdownDescription: "When several certificates match, pick the one issued last (ties broken by the highest `certificate_no`) instead of failing.",
		Optional:            true,
	}
	attrs["certificate_pem"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The certificate, PEM-encoded."}
	attrs["certificate_chain_pem"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The intermediate and root certificates, PEM-encoded (null when the service has none)."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one certificate by `certificate_no`, `name` or `domain` (they combine), narrowed by `statuses` " +
			"(default: the usable statuses, `NORMAL` and `NORMAL_GLOBAL_EDGE_DEDICATED`) and `types`. Zero matches, or several without `most_recent`, " +
			"is an error that lists the candidates and names the certificates left out only by `statuses` (e.g. an expired one), with the status to add. " +
			"Returns the certificate's metadata and its PEM certificate and chain (the service never returns private keys).",
		Attributes: attrs,
	}
}

func (d *certificateDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.AtLeastOneOf(path.MatchRoot("certificate_no"), path.MatchRoot("name"), path.MatchRoot("domain")),
	}
}

func (d *certificateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if c := clientFromProviderData(req.ProviderData, &resp.Diagnostics); c != nil {
		d.client = c
	}
}

func (d *certificateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var (
		fm         certificateFilterModel
		no         types.Int64
		mostRecent types.Bool
	)
	diags := &resp.Diagnostics
	diags.Append(req.Config.GetAttribute(ctx, path.Root("certificate_no"), &no)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("name"), &fm.Name)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("domain"), &fm.Domain)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("statuses"), &fm.Statuses)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("types"), &fm.Types)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("most_recent"), &mostRecent)...)
	if diags.HasError() {
		return
	}
	byNumber := !no.IsNull() && no.ValueInt64() > 0
	def := defaultLookupStatuses
	if byNumber && fm.Name.IsNull() && fm.Domain.IsNull() {
		def = nil
	}
	f, ds := fm.compile(ctx, time.Now(), def)
	diags.Append(ds...)
	if diags.HasError() {
		return
	}

	var certs []client.Certificate
	if byNumber {
		c, err := d.client.GetCertificate(ctx, no.ValueInt64())
		switch {
		case client.IsNotFound(err):
		case err != nil:
			addClientError(diags, "Cannot look the certificate up", err)
			return
		default:
			certs = []client.Certificate{*c}
		}
	} else {
		var err error
		if certs, err = d.client.ListCertificates(ctx, fm.Name.ValueString()); err != nil {
			addClientError(diags, "Cannot list certificates", err)
			return
		}
	}
	matches := f.apply(certs)
	chosen, problem := chooseCertificate(matches, mostRecent.ValueBool())
	if problem != "" {
		diags.AddError("No single certificate matches", problem+leftOutByStatus(f, certs)+"\n\nCriteria: "+describeLookup(no, fm, f))
		return
	}

	vals, ds := certificateListItemValues(ctx, chosen)
	diags.Append(ds...)
	chain, err := d.client.GetCertificateChain(ctx, chosen.No)
	if err != nil {
		addClientError(diags, fmt.Sprintf("Cannot read the PEM of certificate %d", chosen.No), err)
		return
	}
	vals["certificate_pem"] = optionalString(canonicalPEM(chain.Certificate))
	vals["certificate_chain_pem"] = optionalString(canonicalPEM(chain.SubCACertificate + "\n" + chain.RootCACertificate))
	for _, k := range lookupInputs {
		var v attr.Value
		diags.Append(req.Config.GetAttribute(ctx, path.Root(k), &v)...)
		vals[k] = v
	}
	for k, v := range vals {
		diags.Append(resp.State.SetAttribute(ctx, path.Root(k), v)...)
	}
}

// chooseCertificate picks the one match, or the most recent; otherwise it explains.
func chooseCertificate(matches []client.Certificate, mostRecent bool) (*client.Certificate, string) {
	switch {
	case len(matches) == 0:
		return nil, "No certificate matches."
	case len(matches) == 1:
		return &matches[0], ""
	case mostRecent:
		best := &matches[0]
		for i := range matches[1:] {
			c := &matches[i+1]
			if c.IssuedAt.After(best.IssuedAt) || (c.IssuedAt.Equal(best.IssuedAt) && c.No > best.No) {
				best = c
			}
		}
		return best, ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d certificates match; narrow the criteria or set most_recent = true. Candidates (number, name, status, not_after):", len(matches))
	for i := range matches {
		c := &matches[i]
		notAfter := "unknown"
		if !c.NotAfter.IsZero() {
			notAfter = c.NotAfter.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(&b, "\n  - %d  %s  %s  %s", c.No, c.Name, c.Status(), notAfter)
	}
	return nil, b.String()
}

// maxLeftOut caps the certificates an error names as left out by their status.
const maxLeftOut = 10

// leftOutByStatus names the certificates that every criterion but statuses accepts, so a
// lookup that found nothing (or too much) says which status to add; "" when there are none.
func leftOutByStatus(f *certificateFilter, certs []client.Certificate) string {
	if f.statuses == nil {
		return ""
	}
	anyStatus := *f
	anyStatus.statuses = nil
	var b strings.Builder
	n := 0
	for _, c := range anyStatus.apply(certs) {
		if f.matches(&c) {
			continue
		}
		if n++; n <= maxLeftOut {
			fmt.Fprintf(&b, "\n  - certificate %d %q matched but is %s; add %q to statuses to consider it", c.No, c.Name, c.Status(), c.Status())
		}
	}
	if n == 0 {
		return ""
	}
	if n > maxLeftOut {
		fmt.Fprintf(&b, "\n  - and %d more", n-maxLeftOut)
	}
	return "\n\nLeft out only by statuses:" + b.String()
}

func describeLookup(no types.Int64, fm certificateFilterModel, f *certificateFilter) string {
	var parts []string
	if !no.IsNull() {
		parts = append(parts, fmt.Sprintf("certificate_no = %d", no.ValueInt64()))
	}
	if f.name != "" {
		parts = append(parts, fmt.Sprintf("name = %q", f.name))
	}
	if f.domain != "" {
		parts = append(parts, fmt.Sprintf("domain = %q", fm.Domain.ValueString()))
	}
	keys := func(m map[string]bool) string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return strings.Join(out, ", ")
	}
	if f.statuses != nil {
		parts = append(parts, "statuses = ["+keys(f.statuses)+"]")
	}
	if f.types != nil {
		parts = append(parts, "types = ["+strings.ToLower(keys(f.types))+"]")
	}
	return strings.Join(parts, ", ")
}
