package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var (
	_ ephemeral.EphemeralResource              = (*certificateBundleEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*certificateBundleEphemeralResource)(nil)
)

// certificateBundleEphemeralResource downloads an issued certificate (DownloadCertificate,
// the only caller): the certificate, its chain and, when the service generated the key, the
// private key. Ephemeral: Terraform keeps none of it in plan or state.
type certificateBundleEphemeralResource struct {
	client *client.Client
}

func newCertificateBundleEphemeralResource() ephemeral.EphemeralResource {
	return &certificateBundleEphemeralResource{}
}

type certificateBundleModel struct {
	CertificateNo       types.Int64  `tfsdk:"certificate_no"`
	CertificatePEM      types.String `tfsdk:"certificate_pem"`
	CertificateChainPEM types.String `tfsdk:"certificate_chain_pem"`
	PrivateKeyPEM       types.String `tfsdk:"private_key_pem"`
	NotAfter            types.String `tfsdk:"not_after"`
}

func (e *certificateBundleEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_bundle"
}

func (e *certificateBundleEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Downloads an issued certificate with its chain and, for certificates whose key the service generated " +
			"(Cloud Basic, Global Edge), its private key, without Terraform writing any of it to plan or state (Terraform 1.10 or later). " +
			"Feed the values to write-only arguments (such as `ncloudcert_external_certificate.private_key_pem_wo`), provider " +
			"configurations or other ephemeral contexts. Each open is one DownloadCertificate request.",
		Attributes: map[string]schema.Attribute{
			"certificate_no": schema.Int64Attribute{
				MarkdownDescription: "Number of the certificate to download. It must be issued: reference an " +
					"`ncloudcert_certificate_validation`'s `certificate_no` to wait for issuance first.",
				Required:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"certificate_pem": schema.StringAttribute{
				MarkdownDescription: "The certificate, PEM-encoded.",
				Computed:            true,
			},
			"certificate_chain_pem": schema.StringAttribute{
				MarkdownDescription: "The issuing chain, PEM-encoded, from the certificate's issuer towards the root; null when the download holds none.",
				Computed:            true,
			},
			"private_key_pem": schema.StringAttribute{
				MarkdownDescription: "The private key, PEM-encoded, for certificates whose key the service generated (Cloud Basic, Global Edge). " +
					"Null when the service never had the key: Advanced certificates issued from your CSR, and external certificates.",
				Computed:  true,
				Sensitive: true,
			},
			"not_after": schema.StringAttribute{
				MarkdownDescription: "End of validity of the downloaded certificate, RFC 3339 in UTC.",
				Computed:            true,
			},
		},
	}
}

func (e *certificateBundleEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	if c := clientFromProviderData(req.ProviderData, &resp.Diagnostics); c != nil {
		e.client = c
	}
}

func (e *certificateBundleEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m certificateBundleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	no := m.CertificateNo.ValueInt64()
	tflog.Debug(ctx, "downloading certificate", map[string]any{"certificate_no": no})
	files, err := e.client.DownloadCertificate(ctx, no)
	if err != nil {
		e.addDownloadError(ctx, no, err, &resp.Diagnostics)
		return
	}
	leaf, err := parseLeafCertificate(files.CertificatePEM)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("certificate_no"), "Unreadable certificate download",
			fmt.Sprintf("The certificate downloaded for certificate %d does not parse: %v. Check the certificate in the Certificate Manager console.", no, err))
		return
	}
	m.CertificatePEM = types.StringValue(files.CertificatePEM)
	m.CertificateChainPEM = optionalString(files.ChainPEM)
	m.PrivateKeyPEM = optionalString(files.PrivateKeyPEM)
	m.NotAfter = optionalTime(leaf.NotAfter)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

// addDownloadError explains a failed download. A refusal other than "not found" is checked
// against the certificate's status, so that a certificate not issued yet says which status it
// is in and what to do, whatever code the service used.
func (e *certificateBundleEphemeralResource) addDownloadError(ctx context.Context, no int64, err error, diags *diag.Diagnostics) {
	summary := fmt.Sprintf("Error downloading certificate %d", no)
	var apiErr *client.APIError
	switch {
	case client.IsNotFound(err):
		diags.AddAttributeError(path.Root("certificate_no"), "Certificate not found",
			fmt.Sprintf("Certificate Manager has no certificate %d: %v\n\nCheck the number (shown in the Certificate Manager console), and that the API key belongs to the account that holds it.", no, err))
		return
	case client.IsUnreadableDownload(err):
		diags.AddAttributeError(path.Root("certificate_no"), "Unreadable certificate download",
			fmt.Sprintf("%v\n\nThe service answered with a file that holds no usable certificate. Check the certificate in the Certificate Manager console; if it is issued there, report this to the provider developers.", err))
		return
	case !errors.As(err, &apiErr) || client.IsAuth(err) || client.IsForbidden(err) || client.IsV2Forbidden(err) || client.IsThrottled(err):
		// Not a refusal about this certificate: the transport, the key, or throttling.
		addClientError(diags, summary, err)
		return
	}
	cert, lookupErr := e.client.ReadCertificate(ctx, client.CertificateRef{No: no})
	if lookupErr != nil || cert.Issued() {
		addClientError(diags, summary, err)
		return
	}
	status := cert.Status()
	var advice string
	switch {
	case client.IsFailedRequestStatus(cert.StatusCode, cert.StatusName):
		advice = "The request failed and will never be issued: request the certificate again (the resource that requested it replaces it on the next apply), then download the new one."
	case cert.Terminal():
		advice = "A certificate in this status cannot be downloaded any more."
	default:
		advice = "It is still being validated. Wait for issuance in the same apply: set certificate_no from an ncloudcert_certificate_validation " +
			"(certificate_no = ncloudcert_certificate_validation.x.certificate_no), which waits until the certificate is issued."
	}
	diags.AddAttributeError(path.Root("certificate_no"), "Certificate not issued",
		fmt.Sprintf("Certificate %d is in status %s: only an issued certificate can be downloaded (the service said: %v).\n\n%s", no, status, err, advice))
}
