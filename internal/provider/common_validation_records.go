package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Domain names and DNS validation records of the certificates the cloud's CA issues, shared
// by every resource that requests one (issued certificates; Advanced orders later) and by
// ncloudcert_certificate_validation.

// The service's limits on the domain names of one certificate.
const (
	// maxCertificateNames is how many names one certificate may hold: the common name and
	// dns_names together.
	maxCertificateNames = 100
	maxDomainNameLength = 253 // RFC 1035, without the root's trailing dot
	maxCommonNameLength = 64  // RFC 5280 ub-common-name
	maxDomainLabelLen   = 63
)

// canonicalDomain is how domain names compare: case-insensitive, a trailing dot ignored.
func canonicalDomain(name string) string {
	return strings.TrimSuffix(strings.ToLower(name), ".")
}

// validationDomainOf is the domain whose DNS record validates name: the name without a
// leading "*." label, so "*.example.com" and "example.com" share one record.
func validationDomainOf(name string) string {
	return strings.TrimPrefix(canonicalDomain(name), "*.")
}

// domainProblem says why name is not a domain name the CA certifies, or "" when it is:
// letters, digits and hyphens in labels of 1–63 characters (no leading or trailing hyphen),
// at least two labels, at most 253 characters (64 for a common name), a top-level label
// that is not all digits, and "*" only as the whole leftmost label.
func domainProblem(name string, commonName bool) string {
	d := canonicalDomain(name)
	switch {
	case d == "":
		return "The domain name is empty."
	case strings.IndexFunc(d, func(r rune) bool { return r > 0x7f }) >= 0:
		return fmt.Sprintf("%q has non-ASCII characters: write an internationalized domain name in its ASCII (punycode) form, e.g. xn--9n2bp8q.example.", name)
	case len(d) > maxDomainNameLength:
		return fmt.Sprintf("%q is longer than %d characters.", name, maxDomainNameLength)
	case commonName && len(d) > maxCommonNameLength:
		return fmt.Sprintf("%q is longer than %d characters, the longest common name a certificate can hold; put the long name in dns_names and a shorter one in common_name.", name, maxCommonNameLength)
	}
	labels := strings.Split(d, ".")
	base := labels
	if labels[0] == "*" {
		base = labels[1:]
	}
	if len(base) < 2 {
		if len(base) < len(labels) {
			return fmt.Sprintf("%q: a wildcard needs at least two labels after it (*.example.com).", name)
		}
		return fmt.Sprintf("%q is not a fully qualified domain name: it needs at least two labels (example.com).", name)
	}
	for _, l := range base {
		switch {
		case strings.Contains(l, "*"):
			return fmt.Sprintf("%q: a wildcard is allowed only as the whole leftmost label (*.example.com).", name)
		case l == "":
			return fmt.Sprintf("%q has an empty label (two dots in a row, or a leading dot).", name)
		case len(l) > maxDomainLabelLen:
			return fmt.Sprintf("%q: the label %q is longer than %d characters.", name, l, maxDomainLabelLen)
		case l[0] == '-' || l[len(l)-1] == '-':
			return fmt.Sprintf("%q: the label %q starts or ends with a hyphen.", name, l)
		case strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
			return fmt.Sprintf("%q: the label %q has a character other than letters, digits and hyphens.", name, l)
		}
	}
	if tld := base[len(base)-1]; strings.Trim(tld, "0123456789") == "" {
		return fmt.Sprintf("%q: the top-level label must not be all digits (IP addresses cannot be certified).", name)
	}
	return ""
}

// domainNameValidator checks one domain name (see domainProblem).
type domainNameValidator struct{ commonName bool }

var _ validator.String = domainNameValidator{}

func (v domainNameValidator) Description(context.Context) string {
	return "must be a domain name; a wildcard only as the whole leftmost label (*.example.com)"
}

func (v domainNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v domainNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if p := domainProblem(req.ConfigValue.ValueString(), v.commonName); p != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid domain name", p+" Nothing was sent.")
	}
}

// addDomainListProblems reports, on dnsNamesPath, what the service refuses in a certificate's
// set of names beyond each name alone: too many names, a name given twice (case and a
// trailing dot ignored), the common name repeated in dns_names.
func addDomainListProblems(diags *diag.Diagnostics, dnsNamesPath path.Path, commonName string, dnsNames []string) {
	if n := 1 + len(dnsNames); n > maxCertificateNames {
		diags.AddAttributeError(dnsNamesPath, "Too many domain names",
			fmt.Sprintf("A certificate holds at most %d domain names, the common name and dns_names together; this configuration has %d. Split the names over several certificates. Nothing was sent.",
				maxCertificateNames, n))
	}
	sorted := slices.Clone(dnsNames)
	sort.Strings(sorted)
	seen := map[string]string{canonicalDomain(commonName): commonName}
	for _, n := range sorted {
		c := canonicalDomain(n)
		first, dup := seen[c]
		switch {
		case !dup:
			seen[c] = n
		case c == canonicalDomain(commonName):
			diags.AddAttributeError(dnsNamesPath, "Duplicate domain name",
				fmt.Sprintf("dns_names repeats the common name %q as %q (names compare case-insensitively, a trailing dot ignored). The certificate always covers its common name: remove it from dns_names. Nothing was sent.", commonName, n))
		default:
			diags.AddAttributeError(dnsNamesPath, "Duplicate domain name",
				fmt.Sprintf("dns_names holds %q and %q, the same name (names compare case-insensitively, a trailing dot ignored): keep one. Nothing was sent.", first, n))
		}
	}
}

// validationRecord is the DNS record that validates one validation domain.
type validationRecord struct {
	Domain  string   // the validation domain: the key of domain_validation_records
	Domains []string // the certificate's names it validates, canonical and sorted
	Name    string   // as the service sends it
	Type    string   // CNAME, TXT, ...
	Values  []string // sorted; every value the service listed at Name
	Status  string   // validStatusCode (VALID_STATUS_REG, _SUCCESS, _TIMEOUT)
	Known   bool     // the service described it
}

// validationGroups groups a certificate's names (common name first or not) by validation
// domain, sorted by it: the keys of domain_validation_records, known from the configuration.
func validationGroups(names []string) []validationRecord {
	index := map[string]int{}
	var out []validationRecord
	for _, n := range names {
		c := canonicalDomain(n)
		if c == "" {
			continue
		}
		d := validationDomainOf(c)
		i, ok := index[d]
		if !ok {
			i = len(out)
			index[d] = i
			out = append(out, validationRecord{Domain: d})
		}
		if !slices.Contains(out[i].Domains, c) {
			out[i].Domains = append(out[i].Domains, c)
		}
	}
	for i := range out {
		sort.Strings(out[i].Domains)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Domain < out[j].Domain })
	return out
}

// certificateNames are the names the service lists for a certificate: the common name and
// its SANs.
func certificateNames(c *client.Certificate) []string {
	return append([]string{c.CommonName}, c.DNSNames...)
}

// queryDomains are the domains to ask ListDcvStatuses about: each name of the certificate
// the record validates. "*.x" and "x" share a record name, but a service may answer per
// queried domain with a distinct value for each (API doc §8), so both are asked.
func (r validationRecord) queryDomains() []string {
	if len(r.Domains) == 0 {
		return []string{r.Domain}
	}
	return r.Domains
}

// withItems fills r from what ListDcvStatuses listed: the first item's name and type, and
// every value listed at that name ("*.x" and "x" may have distinct values there).
func (r validationRecord) withItems(ctx context.Context, items []client.DCVRecord) validationRecord {
	r.Name, r.Type, r.Values, r.Known = items[0].Name, items[0].Type, nil, true
	var statuses []string
	for _, it := range items {
		if canonicalDomain(it.Name) != canonicalDomain(r.Name) {
			tflog.Warn(ctx, "The service listed validation records at different names for one domain; only the first name is exposed",
				map[string]any{"domain": r.Domain, "name": r.Name, "other_name": it.Name})
			continue
		}
		r.Values = append(r.Values, it.Values...)
		statuses = append(statuses, it.Status)
	}
	sort.Strings(r.Values)
	r.Values = slices.Compact(r.Values)
	r.Status = combinedStatus(statuses)
	return r
}

// combinedStatus is the status of a record listed several times: the one all share, else
// the first that is not a success (a timeout before anything else).
func combinedStatus(statuses []string) string {
	if slices.Contains(statuses, client.DCVStatusTimeout) {
		return client.DCVStatusTimeout
	}
	for _, s := range statuses {
		if s != client.DCVStatusSuccess {
			return s
		}
	}
	return client.DCVStatusSuccess
}

// fetchValidationRecords asks the service for the record of each group, one ListDcvStatuses
// per domain of the group ("*.x" and "x" each: their values may differ). With wait it polls (the client's waiter) until every record is
// listed or ctx ends: right after a request the service may not list them yet. Without
// wait, a group the service lists nothing for, or holds no validation information about,
// comes back as given (Known false) for the caller to keep what it had.
func fetchValidationRecords(ctx context.Context, c *client.Client, no int64, certType string, groups []validationRecord, wait bool) ([]validationRecord, error) {
	out := slices.Clone(groups)
	var lastNoInfo error
	// A group is known once every domain of it is listed; its values are all of theirs.
	fetch := func(ctx context.Context, i int) error {
		var all []client.DCVRecord
		for _, d := range out[i].queryDomains() {
			items, err := c.ListDcvStatuses(ctx, no, d, client.DefaultDCVRecordType(certType))
			switch {
			case client.IsNoValidationInfo(err):
				lastNoInfo = err
				return nil
			case err != nil:
				return err
			case len(items) == 0:
				return nil
			}
			all = append(all, items...)
		}
		out[i] = out[i].withItems(ctx, all)
		return nil
	}
	if !wait {
		for i := range out {
			if err := fetch(ctx, i); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	err := c.WaitFor(ctx, fmt.Sprintf("the validation records of certificate %d", no), func(ctx context.Context) (bool, error) {
		done := true
		for i := range out {
			if out[i].Known {
				continue
			}
			if err := fetch(ctx, i); err != nil {
				return false, err
			}
			done = done && out[i].Known
		}
		return done, nil
	})
	if err != nil && lastNoInfo != nil {
		err = fmt.Errorf("%w (last answer: %w)", err, lastNoInfo)
	}
	return out, err
}

// missingRecordNames lists the names of the expected records absent from fqdns (case and a
// trailing dot ignored), sorted.
func missingRecordNames(records []validationRecord, fqdns []string) []string {
	have := map[string]bool{}
	for _, f := range fqdns {
		have[canonicalDomain(f)] = true
	}
	var missing []string
	for _, r := range records {
		if r.Known && !have[canonicalDomain(r.Name)] && !slices.Contains(missing, r.Name) {
			missing = append(missing, r.Name)
		}
	}
	sort.Strings(missing)
	return missing
}

// describeRecords renders records for messages, one per line.
func describeRecords(records []validationRecord) string {
	var b strings.Builder
	for _, r := range records {
		if !r.Known {
			continue
		}
		fmt.Fprintf(&b, "\n  %s %s %s (validates %s; status %s)", r.Name, r.Type, strings.Join(r.Values, ", "), strings.Join(r.Domains, ", "), r.Status)
	}
	return b.String()
}

// The domain_validation_records attribute: a map keyed by validation domain.

var validationRecordAttrTypes = map[string]attr.Type{
	"record_name":   types.StringType,
	"record_type":   types.StringType,
	"record_values": types.ListType{ElemType: types.StringType},
	"domains":       types.SetType{ElemType: types.StringType},
}

var validationRecordsType = types.MapType{ElemType: types.ObjectType{AttrTypes: validationRecordAttrTypes}}

// validationRecordsDocs are the descriptions of a validation records map: the shape is
// shared (certificates, registered domains), the words differ.
type validationRecordsDocs struct {
	Map, RecordType, Domains string
}

var certificateRecordsDocs = validationRecordsDocs{
	Map: "The DNS records that prove control of the domains, keyed by **validation domain**: a configured domain without a leading `*.`, so " +
		"`*.example.com` and `example.com` share one entry (and one DNS record). The keys are known at plan time, so " +
		"`for_each = ncloudcert_issued_certificate.x.domain_validation_records` works in the same apply that requests the certificate; " +
		"the values are known once the request exists. Nothing in a value changes when validation succeeds, so resources that use `each.value` never show a diff; " +
		"each record's progress is in `validation_status`.",
	RecordType: "Type of the DNS record: `CNAME` (Cloud Basic) or `TXT` (Global Edge), as the service says.",
	Domains:    "The certificate's domain names this record validates (lower case, without a trailing dot); known at plan time.",
}

// validationRecordsAttribute is the computed domain_validation_records schema.
func validationRecordsAttribute() schema.MapNestedAttribute {
	return validationRecordsAttributeWith(certificateRecordsDocs)
}

// validationRecordsAttributeWith is the records map schema with other descriptions.
func validationRecordsAttributeWith(docs validationRecordsDocs) schema.MapNestedAttribute {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	return schema.MapNestedAttribute{
		MarkdownDescription: docs.Map,
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"record_name": computed("Name of the DNS record to create, as the service gives it."),
			"record_type": computed(docs.RecordType),
			"record_values": schema.ListAttribute{
				MarkdownDescription: "Values of the DNS record, sorted; usually one.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"domains": schema.SetAttribute{
				MarkdownDescription: docs.Domains,
				Computed:            true,
				ElementType:         types.StringType,
			},
		}},
		PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
	}
}

// plannedValidationRecords is the planned map: keys and domains known, the rest unknown.
func plannedValidationRecords(ctx context.Context, groups []validationRecord) (types.Map, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := make(map[string]attr.Value, len(groups))
	for _, g := range groups {
		domains, d := types.SetValueFrom(ctx, types.StringType, g.Domains)
		diags.Append(d...)
		obj, d := types.ObjectValue(validationRecordAttrTypes, map[string]attr.Value{
			"record_name":   types.StringUnknown(),
			"record_type":   types.StringUnknown(),
			"record_values": types.ListUnknown(types.StringType),
			"domains":       domains,
		})
		diags.Append(d...)
		elems[g.Domain] = obj
	}
	m, d := types.MapValue(validationRecordsType.ElemType, elems)
	diags.Append(d...)
	return m, diags
}

// validationRecordsValue flattens records into the map; a record the service did not
// describe keeps the prior entry under its key when there is one, else has null values.
func validationRecordsValue(ctx context.Context, records []validationRecord, prior types.Map) (types.Map, diag.Diagnostics) {
	var diags diag.Diagnostics
	priorElems := map[string]attr.Value{}
	if !prior.IsNull() && !prior.IsUnknown() {
		priorElems = prior.Elements()
	}
	elems := make(map[string]attr.Value, len(records))
	for _, r := range records {
		if p, ok := priorElems[r.Domain]; ok && !r.Known && !p.IsUnknown() {
			elems[r.Domain] = p
			continue
		}
		domains, d := types.SetValueFrom(ctx, types.StringType, r.Domains)
		diags.Append(d...)
		values := types.ListNull(types.StringType)
		if r.Known {
			values, d = types.ListValueFrom(ctx, types.StringType, nonNilStrings(r.Values))
			diags.Append(d...)
		}
		obj, d := types.ObjectValue(validationRecordAttrTypes, map[string]attr.Value{
			"record_name":   optionalString(r.Name),
			"record_type":   optionalString(r.Type),
			"record_values": values,
			"domains":       domains,
		})
		diags.Append(d...)
		elems[r.Domain] = obj
	}
	m, d := types.MapValue(validationRecordsType.ElemType, elems)
	diags.Append(d...)
	return m, diags
}

// validationStatusAttribute is the computed validation_status schema: per-record progress,
// apart from domain_validation_records so that those values never change on validation.
// A plan keeps the last refresh's value; a plan that requests a new certificate makes it unknown.
func validationStatusAttribute() schema.MapAttribute {
	return validationStatusAttributeWith("Validation progress of each record of `domain_validation_records`, under the same keys: `" + client.DCVStatusPending +
		"` (waiting for the record), `" + client.DCVStatusSuccess + "` or `" + client.DCVStatusTimeout + "`. Refreshed while validation is pending and when the status changes.")
}

// validationStatusAttributeWith is the validation_status schema with another description.
func validationStatusAttributeWith(desc string) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: desc,
		Computed:            true,
		ElementType:         types.StringType,
		PlanModifiers:       []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
	}
}

// validationStatusValue is the validation_status map of records; a record the service did
// not describe keeps its prior status, or is left out when there is none.
func validationStatusValue(records []validationRecord, prior types.Map) types.Map {
	priorElems := map[string]attr.Value{}
	if !prior.IsNull() && !prior.IsUnknown() {
		priorElems = prior.Elements()
	}
	elems := make(map[string]attr.Value, len(records))
	for _, r := range records {
		switch p, ok := priorElems[r.Domain]; {
		case r.Known && r.Status != "":
			elems[r.Domain] = types.StringValue(r.Status)
		case ok && !p.IsUnknown() && !p.IsNull():
			elems[r.Domain] = p
		}
	}
	return types.MapValueMust(types.StringType, elems)
}
