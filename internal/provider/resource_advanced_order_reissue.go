package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// A reissue adds a certificate to a paid order, and its answer can be lost. So it is
// recorded in private state before it is sent and resolved afterwards: the next Read (or
// Update) looks for the certificate under the recorded name and adopts it; only when the
// order provably does not hold it is the same reissue sent again, under the same name
// (the service refuses a second certificate of that name). It is never sent twice.

// privateKeyPendingReissue is the private state key of a reissue whose outcome is unknown.
const privateKeyPendingReissue = "pending_reissue"

// reissueIntent is a reissue about to be sent, or sent with an unknown outcome.
type reissueIntent struct {
	OrderID  string            `json:"order_id"`
	From     int64             `json:"from"` // the representative it reissues
	Name     string            `json:"name"` // the new certificate's name
	CSR      string            `json:"csr"`
	Method   string            `json:"method"` // validation_method
	Triggers map[string]string `json:"triggers,omitempty"`
}

func loadReissueIntent(ctx context.Context, private privateGetter) (reissueIntent, bool) {
	var in reissueIntent
	if private == nil {
		return in, false
	}
	b, d := private.GetKey(ctx, privateKeyPendingReissue)
	if d.HasError() || len(b) == 0 || json.Unmarshal(b, &in) != nil || in.Name == "" {
		return reissueIntent{}, false
	}
	return in, true
}

func saveReissueIntent(ctx context.Context, private privateSetter, in *reissueIntent) diag.Diagnostics {
	if in == nil {
		return private.SetKey(ctx, privateKeyPendingReissue, nil)
	}
	b, _ := json.Marshal(in)
	return private.SetKey(ctx, privateKeyPendingReissue, b)
}

// findReissued returns the certificate of the order named as the intent says, or nil when
// the order (read successfully) does not hold it.
func (r *advancedOrderResource) findReissued(ctx context.Context, in reissueIntent) (*client.Certificate, error) {
	order, err := r.client.GetOrder(ctx, in.OrderID)
	if err != nil {
		return nil, err
	}
	for i := range order.Certificates {
		if c := &order.Certificates[i]; c.Name == in.Name && c.No != in.From {
			return c, nil
		}
	}
	return nil, nil
}

// adoptReissue, in Read, resolves a recorded reissue: found, its certificate becomes the
// representative and the state takes the input it was sent with (so the next plan does
// not reissue again); not found, the intent stays for the next apply; a failed look-up is
// a warning.
func (r *advancedOrderResource) adoptReissue(ctx context.Context, m *advancedOrderModel, private interface {
	privateGetter
	privateSetter
}, diags *diag.Diagnostics) {
	in, ok := loadReissueIntent(ctx, private)
	if !ok {
		return
	}
	cert, err := r.findReissued(ctx, in)
	switch {
	case err != nil:
		addReadWarning(diags, fmt.Sprintf("Cannot check the earlier reissue of certificate %d (order %s)", in.From, in.OrderID), err)
	case cert != nil:
		tflog.Debug(ctx, "adopting the certificate of an earlier reissue", map[string]any{"order_id": in.OrderID, "certificate_no": cert.No, "name": in.Name})
		m.adoptIntent(ctx, in, cert.No, diags)
		diags.Append(saveReissueIntent(ctx, private, nil)...)
		diags.Append(saveRecordsMethod(ctx, private, in.Method)...)
	}
}

// adoptIntent records the reissue's certificate and the input it was made from.
func (m *advancedOrderModel) adoptIntent(ctx context.Context, in reissueIntent, no int64, diags *diag.Diagnostics) {
	m.RepresentativeCertificateNo = types.Int64Value(no)
	m.CSRPEM = types.StringValue(in.CSR)
	m.ReissueTriggers = types.MapNull(types.StringType)
	if in.Triggers != nil {
		v, d := types.MapValueFrom(ctx, types.StringType, in.Triggers)
		diags.Append(d...)
		m.ReissueTriggers = v
	}
}

// reissue sends the reissue the plan asks for, or resolves a recorded one: it returns the
// new representative. When its outcome is unknown, the intent stays recorded and the error
// says what the next plan does.
func (r *advancedOrderResource) reissue(ctx context.Context, plan, state *advancedOrderModel, private interface {
	privateGetter
	privateSetter
}, diags *diag.Diagnostics) (int64, bool) {
	orderID, from := state.ID.ValueString(), state.RepresentativeCertificateNo.ValueInt64()
	in, ok := advancedRequest(ctx, *plan, "", diags)
	if !ok {
		return 0, false
	}
	triggers := map[string]string{}
	diags.Append(plan.ReissueTriggers.ElementsAs(ctx, &triggers, false)...)
	if plan.ReissueTriggers.IsNull() {
		triggers = nil
	}
	name := ""
	if prior, ok := loadReissueIntent(ctx, private); ok {
		cert, err := r.findReissued(ctx, prior)
		if err != nil {
			diags.AddError(fmt.Sprintf("Cannot check the earlier reissue of certificate %d (order %s)", prior.From, orderID),
				fmt.Sprintf("%s\n\nNothing was sent: the reissue recorded earlier (certificate name %q) may have taken effect. The next refresh and apply check again.", err, prior.Name))
			return 0, false
		}
		same := prior.CSR == in.CSR && maps.Equal(prior.Triggers, triggers)
		switch {
		case cert != nil && same:
			diags.Append(saveReissueIntent(ctx, private, nil)...)
			diags.Append(saveRecordsMethod(ctx, private, prior.Method)...)
			return cert.No, true // it took effect: nothing to send
		case cert != nil:
			// It took effect, but the plan wants another: the state records it whatever
			// happens to the next one.
			from = cert.No
			state.adoptIntent(ctx, prior, cert.No, diags)
		case same:
			name = prior.Name // it did not: the same reissue, under the same name
		}
		diags.Append(saveReissueIntent(ctx, private, nil)...)
	}
	if name == "" {
		name = r.reissueName(ctx, plan.Name.ValueString())
	}
	intent := &reissueIntent{OrderID: orderID, From: from, Name: name, CSR: in.CSR, Method: plan.ValidationMethod.ValueString(), Triggers: triggers}
	diags.Append(saveReissueIntent(ctx, private, intent)...)
	if diags.HasError() {
		return 0, false
	}
	tflog.Debug(ctx, "reissuing", map[string]any{"order_id": orderID, "certificate_no": from, "name": name})
	cert, err := r.client.ReissueCertificate(ctx, from, client.ReissueRequest{
		CSR: in.CSR, Name: name, CommonName: in.CommonName, DNSNames: in.DNSNames, ValidationMethod: in.ValidationMethod,
	})
	if err == nil {
		diags.Append(saveReissueIntent(ctx, private, nil)...)
		diags.Append(saveRecordsMethod(ctx, private, plan.ValidationMethod.ValueString())...)
		return cert.No, true
	}
	summary := fmt.Sprintf("Error reissuing certificate %d of order %s", from, orderID)
	if requestRefused(err) {
		diags.Append(saveReissueIntent(ctx, private, nil)...)
		addClientError(diags, summary, err)
		return 0, false
	}
	diags.AddError(summary, fmt.Sprintf("%s\n\nThe outcome of the reissue is unknown (whether it made a certificate, or which), and it was recorded. The next refresh looks for certificate %q in order %s "+
		"and, if the reissue took effect, adopts it as the representative; if the order does not hold it, the next apply sends the same reissue again "+
		"under the same name. The reissue is never sent twice, so the order never gains more than one certificate from it.", err, name, orderID))
	return 0, false
}

// reissueName is the order's name when no certificate holds it (a renamed order), else the
// name with a random suffix: the service wants a new, unused name.
func (r *advancedOrderResource) reissueName(ctx context.Context, name string) string {
	if name != "" {
		if found, err := r.client.FindCertificateByName(ctx, name); err == nil && found == nil {
			return name
		}
	}
	return generateName(reissuePrefix(name))
}
