package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// addClientError turns a client error into one diagnostic with advice a user can act on.
func addClientError(diags *diag.Diagnostics, summary string, err error) {
	detail := err.Error()
	var inUse *client.InUseError
	switch {
	case errors.As(err, &inUse):
		// The error already names the instances.
	case client.IsAuth(err):
		detail += "\n\nCheck access_key and secret_key (or NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY) and that this machine's clock is correct: the gateway rejects signatures more than 5 minutes off."
	case client.IsV2Forbidden(err):
		detail += "\n\nThe key was refused by Certificate Manager API 2.0, which only main-account keys may call (sub-account keys get HTTP 403)."
	case client.IsForbidden(err):
		detail += "\n\nThe request was refused with HTTP 403 before it reached Certificate Manager: check the API key's permissions, any allowed-IP restriction on the key, and any proxy between this machine and the endpoint."
	case client.IsThrottled(err):
		detail += "\n\nThe service kept throttling requests after the configured retries. Retry later, raise max_retries, or apply with a lower -parallelism."
	case client.IsUncertain(err):
		detail += "\n\nThe outcome of the request is unknown (the connection failed after it was sent, and checking afterwards failed too). The next plan reads the certificate back, by number or by name, and shows what is left to do."
	}
	diags.AddError(summary, detail)
}

// clientFromProviderData is the Configure step shared by every resource and data source.
func clientFromProviderData(data any, diags *diag.Diagnostics) *client.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*client.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *client.Client, got %T. Please report this issue to the provider developers.", data))
		return nil
	}
	return c
}

// configureResource adapts clientFromProviderData to resource.ConfigureRequest.
func configureResource(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) *client.Client {
	return clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}
