package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// parseCertificateNo reads a certificate number: a positive integer.
func parseCertificateNo(s string) (int64, bool) {
	no, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return no, err == nil && no > 0
}

// importByCertificateNo is the ImportState of every resource whose id is a certificate
// number: it sets id and certificate_no, and Read does the rest.
func importByCertificateNo(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	no, ok := parseCertificateNo(req.ID)
	if !ok {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected the certificate number, a positive integer such as 12345 (shown in the Certificate Manager console), got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), strconv.FormatInt(no, 10))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("certificate_no"), no)...)
}
