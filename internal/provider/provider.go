// Package provider implements the ncloudcert Terraform provider.
package provider

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

const (
	envAccessKey = "NCLOUD_ACCESS_KEY"
	envSecretKey = "NCLOUD_SECRET_KEY"
	envSite      = "NCLOUD_SITE"
	envEndpoint  = "NCLOUD_CERTIFICATE_MANAGER_ENDPOINT"
	envInsecure  = "NCLOUD_CERTIFICATE_MANAGER_ALLOW_INSECURE_HTTP"

	defaultSite       = "public"
	defaultMaxRetries = 5
)

var (
	_ provider.Provider                       = (*ncloudcertProvider)(nil)
	_ provider.ProviderWithFunctions          = (*ncloudcertProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*ncloudcertProvider)(nil)
)

// Option adjusts the provider beyond its HCL configuration; tests use it to shorten waits.
type Option func(*ncloudcertProvider)

// WithTimings sets the client's retry backoff bounds and polling interval.
func WithTimings(retryWaitMin, retryWaitMax, pollInterval time.Duration) Option {
	return func(p *ncloudcertProvider) {
		p.retryWaitMin, p.retryWaitMax, p.pollInterval = retryWaitMin, retryWaitMax, pollInterval
	}
}

// WithPollIntervalMax caps the growing interval of status waiters (the validation waiter);
// the client's default (1 minute) applies otherwise.
func WithPollIntervalMax(d time.Duration) Option {
	return func(p *ncloudcertProvider) { p.pollIntervalMax = d }
}

type ncloudcertProvider struct {
	version      string
	retryWaitMin time.Duration
	retryWaitMax time.Duration
	pollInterval time.Duration
	// pollIntervalMax: zero keeps the client's default.
	pollIntervalMax time.Duration
}

// New returns the provider factory served by main and used by tests.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &ncloudcertProvider{version: version}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

type providerModel struct {
	AccessKey  types.String `tfsdk:"access_key"`
	SecretKey  types.String `tfsdk:"secret_key"`
	Site       types.String `tfsdk:"site"`
	Endpoint   types.String `tfsdk:"endpoint"`
	MaxRetries types.Int64  `tfsdk:"max_retries"`
	Insecure   types.Bool   `tfsdk:"allow_insecure_http"`
	BatchReads types.Bool   `tfsdk:"batch_reads"`
}

func (p *ncloudcertProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ncloudcert"
	resp.Version = p.version
}

func siteNames() []string {
	names := make([]string, 0, len(client.Sites))
	for n := range client.Sites {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (p *ncloudcertProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages NAVER Cloud Platform Certificate Manager certificates. " +
			"Requests are signed with an API key pair (API Gateway signature v2).",
		Attributes: map[string]schema.Attribute{
			"access_key": schema.StringAttribute{
				MarkdownDescription: "Access key id of the API key. Defaults to the `" + envAccessKey + "` environment variable.",
				Optional:            true,
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "Secret key of the API key. Defaults to the `" + envSecretKey + "` environment variable. Never logged.",
				Optional:            true,
				Sensitive:           true,
			},
			"site": schema.StringAttribute{
				MarkdownDescription: "Which NAVER Cloud zone to call: " + backtickList(siteNames()) + ". Defaults to the `" + envSite +
					"` environment variable, else `" + defaultSite + "`. API 2.0 operations (in-place renewal) exist only on `public`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(siteNames()...)},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL that replaces the site's host, e.g. for the bundled mock server or a proxy; `/api/v1` and `/api/v2` are appended. " +
					"Defaults to the `" + envEndpoint + "` environment variable.",
				Optional: true,
			},
			"allow_insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Allow an `http://` `endpoint` that is not a loopback address. By default `http://` is accepted only for " +
					"`127.0.0.0/8`, `::1` and `localhost` (the bundled mock): elsewhere, private keys and signed requests (replayable within the " +
					"gateway's timestamp window) would cross the network in cleartext. Set it only for a trusted network path. Defaults to the `" +
					envInsecure + "` environment variable (`true`/`false`), else `false`.",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a throttled (HTTP 429), unavailable (502/503/504) or dropped request is retried, with capped exponential backoff. Default %d; `0` disables retries.", defaultMaxRetries),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 50)},
			},
			"batch_reads": schema.BoolAttribute{
				MarkdownDescription: "Refresh many certificates and Advanced orders through shared listings instead of one request each. Default `true`: " +
					"the first refresh of a kind in a run reads that certificate alone; from the second on, one listing of the kind serves the rest " +
					"(external certificates: one request for all; API 2.0 kinds and orders: 100 a page, listed only when the pages cost no more than " +
					"the reads they replace). A listing never serves a certificate after a write of this run that began before it, and \"not found\" " +
					"comes only from a listing read to its last page. `false` reads one certificate per request, as before 0.1.0.",
				Optional: true,
			},
		},
	}
}

func (p *ncloudcertProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	value := func(attr string, v types.String, env string) string {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown provider value",
				"The provider cannot be configured with a value known only after apply. Set "+attr+" to a known value or use the "+env+" environment variable.")
			return ""
		}
		if !v.IsNull() {
			return v.ValueString()
		}
		return os.Getenv(env)
	}
	accessKey := value("access_key", cfg.AccessKey, envAccessKey)
	secretKey := value("secret_key", cfg.SecretKey, envSecretKey)
	site := value("site", cfg.Site, envSite)
	endpoint := value("endpoint", cfg.Endpoint, envEndpoint)
	if resp.Diagnostics.HasError() {
		return
	}

	if accessKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("access_key"), "Missing access key",
			"Set access_key in the provider block or the "+envAccessKey+" environment variable to the access key id of a NAVER Cloud API key.")
	}
	if secretKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("secret_key"), "Missing secret key",
			"Set secret_key in the provider block or the "+envSecretKey+" environment variable to the secret key of the API key.")
	}
	if site == "" {
		site = defaultSite
	}
	if _, ok := client.Sites[site]; !ok {
		resp.Diagnostics.AddAttributeError(path.Root("site"), "Unknown site",
			fmt.Sprintf("site %q (from %s or the provider block) is not one of %s.", site, envSite, strings.Join(siteNames(), ", ")))
	}
	insecure := insecureHTTP(cfg.Insecure, &resp.Diagnostics)
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid endpoint URL",
				fmt.Sprintf("endpoint %q must be an absolute http:// or https:// URL such as http://127.0.0.1:8080.", endpoint))
		case client.CheckCleartext(u, insecure) != nil:
			resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Cleartext endpoint refused",
				fmt.Sprintf("endpoint %q (from the provider block or %s) uses http:// to %s, which is not a loopback address. "+
					"Private keys (certificate registration, key registration) and signed requests, which anyone on the path could replay, "+
					"would cross the network in cleartext, so nothing was sent.\n\n"+
					"Use an https:// URL. Only when the network path is trusted, opt in with allow_insecure_http = true in the provider block (or %s=true).",
					u.Redacted(), envEndpoint, u.Hostname(), envInsecure))
		}
	}
	maxRetries := int64(defaultMaxRetries)
	if !cfg.MaxRetries.IsNull() && !cfg.MaxRetries.IsUnknown() {
		maxRetries = cfg.MaxRetries.ValueInt64()
	}
	if resp.Diagnostics.HasError() {
		return
	}
	batchReads := cfg.BatchReads.IsNull() || cfg.BatchReads.IsUnknown() || cfg.BatchReads.ValueBool()

	c, err := client.New(client.Config{
		AccessKey:         accessKey,
		SecretKey:         secretKey,
		Site:              site,
		Endpoint:          endpoint,
		AllowInsecureHTTP: insecure,
		Version:           p.version,
		MaxRetries:        int(maxRetries),
		RetryWaitMin:      p.retryWaitMin,
		RetryWaitMax:      p.retryWaitMax,
		PollInterval:      p.pollInterval,
		PollIntervalMax:   p.pollIntervalMax,
		BatchReads:        batchReads,
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the ncloudcert provider", err.Error())
		return
	}
	tflog.Debug(ctx, "configured ncloudcert client", map[string]any{"site": site, "endpoint": endpoint, "access_key": accessKey, "max_retries": maxRetries, "batch_reads": batchReads})
	resp.DataSourceData = c
	resp.ResourceData = c
	resp.EphemeralResourceData = c
}

func (p *ncloudcertProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newExternalCertificateResource,
		newIssuedCertificateResource,
		newCertificateValidationResource,
		newCertificatePrivateKeyResource,
		newDomainValidationResource,
		newDomainValidationWaitResource,
		newAdvancedOrderResource,
		newEabCredentialResource,
	}
}

func (p *ncloudcertProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newCertificateBundleEphemeralResource,
	}
}

func (p *ncloudcertProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newCertificatesDataSource,
		newCertificateDataSource,
		newAdvancedCertificatesDataSource,
		newAdvancedOrdersDataSource,
		newOrganizationsDataSource,
		newCertificateTypesDataSource,
	}
}

// Functions need Terraform 1.8+ or OpenTofu 1.7+; older CLIs never call this.
func (p *ncloudcertProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{newParseCertificateFunction}
}

// insecureHTTP is allow_insecure_http, else its environment variable, else false.
func insecureHTTP(v types.Bool, diags *diag.Diagnostics) bool {
	switch {
	case v.IsUnknown():
		diags.AddAttributeError(path.Root("allow_insecure_http"), "Unknown provider value",
			"The provider cannot be configured with a value known only after apply. Set allow_insecure_http to a known value.")
		return false
	case !v.IsNull():
		return v.ValueBool()
	}
	raw := strings.TrimSpace(os.Getenv(envInsecure))
	if raw == "" {
		return false
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		diags.AddAttributeError(path.Root("allow_insecure_http"), "Invalid "+envInsecure,
			fmt.Sprintf("%s is %q: expected true or false.", envInsecure, raw))
	}
	return b
}

func backtickList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}
