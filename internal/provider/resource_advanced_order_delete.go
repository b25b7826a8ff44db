package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Destroying an order (deletion_protection off, checked at plan time). A revocation is
// final and the service revokes a certificate in use, so the usage of every certificate
// is read first: while any is used, nothing is revoked or deleted. Then each certificate
// is revoked (revoke_on_destroy) and deleted on its own, with its own share of the
// deadline and its own diagnostic.

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
	if protected(state) {
		// Plans refuse this; a taint or -replace bypasses plan-time checks, not this one.
		addProtectedError(&resp.Diagnostics, state)
		return
	}
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
		addClientError(&resp.Diagnostics, "Error reading order "+orderID+"; nothing was revoked or deleted", err)
		return
	}
	if !r.checkUnused(ctx, orderID, order.Certificates, &resp.Diagnostics) {
		return
	}
	revoke := state.RevokeOnDestroy.ValueBool()
	for i, cert := range order.Certificates {
		cctx, cancel := shareOfDeadline(ctx, len(order.Certificates)-i)
		r.destroyCertificate(cctx, orderID, cert, revoke, &resp.Diagnostics)
		cancel()
	}
}

// checkUnused reads the usage of every certificate of the order (from the order, else from
// the certificate) and reports each one in use, naming its instances. False: stop.
func (r *advancedOrderResource) checkUnused(ctx context.Context, orderID string, certs []client.Certificate, diags *diag.Diagnostics) bool {
	unused := true
	for _, cert := range certs {
		if !cert.UsedInstanceNosKnown {
			full, err := r.client.GetCertificate(ctx, cert.No)
			switch {
			case client.IsNotFound(err):
				continue
			case err != nil:
				addClientError(diags, fmt.Sprintf("Cannot check whether certificate %d of order %s is in use; nothing was revoked or deleted", cert.No, orderID), err)
				unused = false
				continue
			}
			cert = *full
		}
		if cert.InUse() {
			diags.AddError(fmt.Sprintf("Certificate %d of order %s is in use", cert.No, orderID),
				fmt.Sprintf("Certificate %d (%s) is used by instance(s) %s. Nothing was revoked or deleted in order %s: detach it from them (or replace it there), then destroy again.",
					cert.No, cert.Name, strings.Join(cert.UsedInstanceNos, ", "), orderID))
			unused = false
		}
	}
	return unused
}

// destroyCertificate revokes (when asked, and only an issued certificate) and deletes one
// certificate of the order; a failed revocation keeps it.
func (r *advancedOrderResource) destroyCertificate(ctx context.Context, orderID string, cert client.Certificate, revoke bool, diags *diag.Diagnostics) {
	if revoke && cert.Issued() {
		n, err := r.client.RevokeCertificate(ctx, orderID, cert.No, revokeOnDestroyType)
		if err != nil {
			addClientError(diags, fmt.Sprintf("Error revoking certificate %d of order %s; it was not deleted", cert.No, orderID), err)
			return
		}
		tflog.Debug(ctx, "revoked a certificate of the order", map[string]any{"order_id": orderID, "certificate_no": cert.No, "revoked": n})
	}
	if err := r.client.DeleteCertificateWhenUnused(ctx, cert.No, cert.Name); err != nil && !client.IsNotFound(err) {
		addClientError(diags, fmt.Sprintf("Error deleting certificate %d of order %s", cert.No, orderID), err)
	}
}

// shareOfDeadline gives the next of n remaining steps an equal share of what is left of
// ctx's deadline, so that one wait cannot use up the others' time.
func shareOfDeadline(ctx context.Context, n int) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok || n <= 1 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, time.Until(deadline)/time.Duration(n))
}
