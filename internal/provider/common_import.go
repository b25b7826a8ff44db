package provider

import (
	"context"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// parseCertificateNo reads a certificate number: a positive integer.
func parseCertificateNo(s string) (int64, bool) {
	no, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return no, err == nil && no > 0
}

// importByCertificateNo is the ImportState of every resource whose id is a certificate
// number, by id or by identity: it sets id and certificate_no, and Read does the rest.
func importByCertificateNo(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	certificateNoIdentity.importState(ctx, req, resp)
}
