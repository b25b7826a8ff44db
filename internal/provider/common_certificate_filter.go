package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// The filters shared by the certificate data sources. `name` goes to the server
// (certificateName); the others apply on the client.

// certificateStatuses are the status labels of API doc §4.1 a filter may name.
var certificateStatuses = []string{
	client.StatusOngoing, client.StatusNormal, client.StatusNormalUnregisteredPrivateKey,
	client.StatusNormalGlobalEdgeDedicated, client.StatusFailed, client.StatusExpire,
	client.StatusValidationFailed, client.StatusValidationExpire, client.StatusRevoke,
	client.StatusDeleted, client.StatusRequestRevoke, client.StatusFailedLint,
}

// certificateFilterModel holds the filter attributes.
type certificateFilterModel struct {
	Name               types.String `tfsdk:"name"`
	NameRegex          types.String `tfsdk:"name_regex"`
	Types              types.Set    `tfsdk:"types"`
	Statuses           types.Set    `tfsdk:"statuses"`
	Domain             types.String `tfsdk:"domain"`
	InUse              types.Bool   `tfsdk:"in_use"`
	ExpiringWithinDays types.Int64  `tfsdk:"expiring_within_days"`
}

// regexValidator refuses a name_regex that does not compile, at plan time.
type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a valid regular expression (Go RE2 syntax)"
}
func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression", fmt.Sprintf("%q is not a valid regular expression (Go RE2 syntax): %s", req.ConfigValue.ValueString(), err))
	}
}

// certificateFilterAttributes are the filter attributes; statusesDefault only documents the
// default the data source applies.
// certificateFilterAttributes are the filters shared by the data sources; kinds are the
// certificate types the data source lists (the allowed values of `types`).
func certificateFilterAttributes(kinds []string, statusesNote string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name": schema.StringAttribute{
			MarkdownDescription: "Only the certificate with exactly this name (filtered by the service).",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"name_regex": schema.StringAttribute{
			MarkdownDescription: "Only certificates whose name matches this regular expression (Go RE2 syntax, unanchored).",
			Optional:            true,
			Validators:          []validator.String{regexValidator{}},
		},
		"types": schema.SetAttribute{
			MarkdownDescription: "Only certificates of these types: " + backtickList(kinds) + ".",
			Optional:            true,
			ElementType:         types.StringType,
			Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(kinds...))},
		},
		"statuses": schema.SetAttribute{
			MarkdownDescription: "Only certificates with these status labels: " + backtickList(certificateStatuses) + "." + statusesNote,
			Optional:            true,
			ElementType:         types.StringType,
			Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(certificateStatuses...))},
		},
		"domain": schema.StringAttribute{
			MarkdownDescription: "Only certificates whose common name or any additional domain matches this domain, case-insensitively, with wildcard semantics: `*.example.com` matches a certificate for `a.example.com` (and a certificate for `*.example.com` matches `a.example.com`), but neither `a.b.example.com` nor `example.com`.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"in_use": schema.BoolAttribute{
			MarkdownDescription: "Only certificates an instance uses (`true`) or that no instance uses (`false`).",
			Optional:            true,
		},
		"expiring_within_days": schema.Int64Attribute{
			MarkdownDescription: "Only certificates whose `not_after` is at most this many days (of 24 hours) from now, the limit included. Certificates that have already expired are included whenever they expired (leave them out with `statuses`); `0` lists exactly the expired ones. Certificates whose `not_after` is unknown never match.",
			Optional:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(0)},
		},
	}
}

// certificateFilter is the compiled form of certificateFilterModel.
type certificateFilter struct {
	name     string
	regex    *regexp.Regexp
	types    map[string]bool
	statuses map[string]bool
	domain   string
	inUse    *bool
	expiry   *time.Time
}

// compile turns the model into a filter; defaultStatuses applies when statuses is not set.
func (m certificateFilterModel) compile(ctx context.Context, now time.Time, defaultStatuses []string) (*certificateFilter, diag.Diagnostics) {
	var diags diag.Diagnostics
	f := &certificateFilter{name: m.Name.ValueString(), domain: canonicalDomain(m.Domain.ValueString())}
	if s := m.NameRegex.ValueString(); s != "" {
		re, err := regexp.Compile(s)
		if err != nil {
			diags.AddError("Invalid name_regex", err.Error())
			return nil, diags
		}
		f.regex = re
	}
	set := func(v types.Set, def []string) map[string]bool {
		var values []string
		if v.IsNull() || v.IsUnknown() {
			values = def
		} else {
			diags.Append(v.ElementsAs(ctx, &values, false)...)
		}
		if values == nil {
			return nil
		}
		out := make(map[string]bool, len(values))
		for _, s := range values {
			out[strings.ToUpper(s)] = true
		}
		return out
	}
	f.types = set(m.Types, nil)
	f.statuses = set(m.Statuses, defaultStatuses)
	if !m.InUse.IsNull() && !m.InUse.IsUnknown() {
		b := m.InUse.ValueBool()
		f.inUse = &b
	}
	if !m.ExpiringWithinDays.IsNull() && !m.ExpiringWithinDays.IsUnknown() {
		// not_after ≤ now + N×24h: the limit included, expired ones always in.
		t := now.Add(time.Duration(m.ExpiringWithinDays.ValueInt64()) * 24 * time.Hour)
		f.expiry = &t
	}
	return f, diags
}

// matches applies the client-side filters (the name again, exactly, whatever the server did).
func (f *certificateFilter) matches(c *client.Certificate) bool {
	switch {
	case f.name != "" && c.Name != f.name:
		return false
	case f.regex != nil && !f.regex.MatchString(c.Name):
		return false
	case f.types != nil && !f.types[strings.ToUpper(certificateTypeOf(c))]:
		return false
	case f.statuses != nil && !f.statuses[strings.ToUpper(c.Status())]:
		return false
	case f.inUse != nil && c.InUse() != *f.inUse:
		return false
	case f.expiry != nil && (c.NotAfter.IsZero() || c.NotAfter.After(*f.expiry)):
		return false
	case f.domain != "" && !certificateCoversDomain(c, f.domain):
		return false
	}
	return true
}

// apply keeps the matching certificates, ordered by number.
func (f *certificateFilter) apply(certs []client.Certificate) []client.Certificate {
	out := make([]client.Certificate, 0, len(certs))
	for i := range certs {
		if f.matches(&certs[i]) {
			out = append(out, certs[i])
		}
	}
	sortByNumber(out)
	return out
}

// certificateCoversDomain: the common name or a SAN matches domain (canonical form).
func certificateCoversDomain(c *client.Certificate, domain string) bool {
	for _, n := range append([]string{c.CommonName}, c.DNSNames...) {
		if n != "" && domainMatches(canonicalDomain(n), domain) {
			return true
		}
	}
	return false
}

// domainMatches compares two canonical names with wildcard semantics: equal names match,
// and "*.base" matches exactly one extra leftmost label on base (either side may be the
// wildcard): "*.example.com" ~ "a.example.com", not "a.b.example.com" nor "example.com".
func domainMatches(a, b string) bool {
	if a == b {
		return true
	}
	return wildcardCovers(a, b) || wildcardCovers(b, a)
}

func wildcardCovers(pattern, name string) bool {
	base, ok := strings.CutPrefix(pattern, "*.")
	if !ok || strings.HasPrefix(name, "*.") {
		return false
	}
	label, rest, found := strings.Cut(name, ".")
	return found && label != "" && rest == base
}
