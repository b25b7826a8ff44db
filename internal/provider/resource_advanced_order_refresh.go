package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Reading an Advanced order back. Once the service accepted an order, a failed read is a
// warning and the state stays: an error at create would taint the order, and Terraform
// replaces a tainted order by buying another.

// addReadWarning reports a failed read that leaves the state as it was.
func addReadWarning(diags *diag.Diagnostics, summary string, err error) {
	diags.AddWarning(summary, err.Error()+"\n\nThe order stays in state as last known; nothing was changed on the service. The next refresh reads it again.")
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
	return r.refreshFrom(ctx, r.client.GetOrder, m, no, waitRecords, diags)
}

// refreshFrom is refresh reading the order with read (Read passes the batched read).
func (r *advancedOrderResource) refreshFrom(ctx context.Context, read func(context.Context, string) (*client.Order, error), m *advancedOrderModel, no int64, waitRecords bool, diags *diag.Diagnostics) bool {
	orderID := m.ID.ValueString()
	order, err := read(ctx, orderID)
	if client.IsNotFound(err) {
		tflog.Warn(ctx, "order no longer exists; removing it from state", map[string]any{"order_id": orderID})
		diags.AddWarning("Order no longer exists", fmt.Sprintf("The service says order %s no longer exists: it is removed from state. "+
			"The next plan proposes a NEW paid order (+ create): review it before you apply, or remove the resource from the configuration if you do not want to buy one.", orderID))
		return false
	}
	if err != nil {
		addReadWarning(diags, "Cannot read order "+orderID, err)
		m.fillRecordKeys(ctx, diags)
		return true
	}
	if len(order.Certificates) == 0 {
		diags.AddWarning("Order holds no certificate", fmt.Sprintf("Order %s holds no certificate any more (deleted outside Terraform), so nothing can be reissued from it: it is removed from state. "+
			"The next plan proposes a NEW paid order (+ create): review it before you apply, or remove the resource from the configuration if you do not want to buy one.", orderID))
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
	if client.IsFailedRequestStatus(rep.StatusCode, rep.StatusName) {
		diags.AddWarning("Advanced certificate request ended without a certificate",
			fmt.Sprintf("Certificate %d, the representative of order %s, is %s%s. The next apply reissues it in place, in the same order (no new order, nothing to do by hand): "+
				"publish the validation records it shows and keep them until it is issued.", rep.No, orderID, rep.Status(), advancedFailReason(rep.FailReason)))
	}
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
			addReadWarning(diags, fmt.Sprintf("Cannot read the validation records of certificate %d (order %s)", rep.No, orderID), err)
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

// fillRecordKeys gives records the plan promised by key (one per validation domain) their
// keys when nothing could be read: a result without them would be inconsistent with the plan.
func (m *advancedOrderModel) fillRecordKeys(ctx context.Context, diags *diag.Diagnostics) {
	if !m.DomainValidationRecords.IsNull() && !m.DomainValidationRecords.IsUnknown() {
		return
	}
	names := append([]string{m.CommonName.ValueString()}, stringElements(ctx, m.DNSNames, diags)...)
	v, d := validationRecordsValue(ctx, validationGroups(names), types.MapNull(validationRecordsType.ElemType))
	diags.Append(d...)
	m.DomainValidationRecords = v
}

// advancedFailReason is the service's reason, for a message.
func advancedFailReason(reason string) string {
	if reason == "" {
		return ""
	}
	return " (" + reason + ")"
}
