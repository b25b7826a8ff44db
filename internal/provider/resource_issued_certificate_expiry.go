package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Expiry of an issued certificate is never silent: a warning from expiryWarningWindow (30
// days) before not_after, and another once it has expired, each naming the cure. Given on
// refresh and on plan, so that neither `terraform plan` nor `terraform apply` hides it.

// issuedExpiry is what the warnings need to know of a certificate.
type issuedExpiry struct {
	No          int64
	Name        string
	Status      string
	NotAfter    time.Time // zero until issued
	AutoRenewal bool
}

// addIssuedExpiryWarning adds the warning that fits e at now, if any, on not_after.
func addIssuedExpiryWarning(diags *diag.Diagnostics, e issuedExpiry, now time.Time) {
	if summary, detail := issuedExpiryWarning(e, now); summary != "" {
		diags.AddAttributeWarning(path.Root("not_after"), summary, detail)
	}
}

// issuedExpiryWarning is the warning's summary and detail, or "" when none is due: the
// certificate is expired (status EXPIRE, or not_after passed), or expires within 30 days
// (exactly 30 days before not_after included).
func issuedExpiryWarning(e issuedExpiry, now time.Time) (summary, detail string) {
	const replace = "Request a new certificate with `terraform apply -replace=<this resource>` " +
		"(with `name_prefix` instead of `name`, and `lifecycle { create_before_destroy = true }`, the new certificate is issued before instances lose this one; a fixed name cannot be held by both). " +
		"Keep the DNS validation records published: the new request is validated with them."
	switch {
	case e.Status == client.StatusExpire || (!e.NotAfter.IsZero() && now.After(e.NotAfter)):
		when := "has expired"
		if !e.NotAfter.IsZero() {
			when = "expired at " + e.NotAfter.UTC().Format(time.RFC3339)
		}
		return "Certificate has expired",
			fmt.Sprintf("Certificate %d (%q) %s (status %s): instances that use it serve an expired certificate, and the service renews only before expiry. %s",
				e.No, e.Name, when, e.Status, replace)
	case e.NotAfter.IsZero() || e.NotAfter.Sub(now) > expiryWarningWindow:
		return "", ""
	}
	left := e.NotAfter.Sub(now)
	in := fmt.Sprintf("expires at %s (in %d days, %d hours)", e.NotAfter.UTC().Format(time.RFC3339), int(left.Hours())/24, int(left.Hours())%24)
	if e.AutoRenewal {
		return "Certificate expires soon",
			fmt.Sprintf("Certificate %d (%q) %s. auto_renewal is on: the service renews it in place (same certificate number, new serial and dates) while its DNS validation records stay published, "+
				"and the next refresh reads the new certificate. If it is not renewed in the coming days, check that the records of domain_validation_records are still in DNS. %s",
				e.No, e.Name, in, "Otherwise: "+replace)
	}
	return "Certificate expires soon",
		fmt.Sprintf("Certificate %d (%q) %s and auto_renewal is off, so the service will not renew it. Set `auto_renewal = true` (changed in place) so the service renews it under the same number, "+
			"keeping its DNS validation records published; or replace it: %s", e.No, e.Name, in, replace)
}

// expiryOf reads what the warnings need from the model.
func (m *issuedCertificateModel) expiryOf() issuedExpiry {
	e := issuedExpiry{No: m.CertificateNo.ValueInt64(), Name: m.Name.ValueString(), Status: m.Status.ValueString(), AutoRenewal: m.AutoRenewal.ValueBool()}
	if t, err := time.Parse(time.RFC3339, m.NotAfter.ValueString()); err == nil && !m.NotAfter.IsNull() && !m.NotAfter.IsUnknown() {
		e.NotAfter = t
	}
	return e
}

// plannedExpiry reads what the warnings need at plan time: the certificate as last refreshed
// (state), with the auto_renewal the apply will set (plan).
func plannedExpiry(ctx context.Context, state tfsdk.State, plan tfsdk.Plan, diags *diag.Diagnostics) issuedExpiry {
	var m issuedCertificateModel
	var autoRenewal types.Bool
	for _, a := range []struct {
		name string
		dst  any
	}{{"certificate_no", &m.CertificateNo}, {"name", &m.Name}, {"status", &m.Status}, {"not_after", &m.NotAfter}} {
		diags.Append(state.GetAttribute(ctx, path.Root(a.name), a.dst)...)
	}
	diags.Append(plan.GetAttribute(ctx, path.Root("auto_renewal"), &autoRenewal)...)
	m.AutoRenewal = autoRenewal
	return m.expiryOf()
}
