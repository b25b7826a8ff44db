package provider

import (
	"context"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*certificatesDataSource)(nil)

func newCertificatesDataSource() datasource.DataSource { return &certificatesDataSource{} }

// cloudCertificateTypes are the types of the console's "Cloud certificate" list, which
// ncloudcert_certificates mirrors (design §3); Advanced certificates have their own.
var cloudCertificateTypes = []string{"external", "cloud_basic", "global_edge"}

// certificatesDataSource lists the console's Cloud certificates (v2 ListCertificates, every
// page, without the Advanced ones).
type certificatesDataSource struct{ client *client.Client }

type certificatesDataSourceModel struct {
	certificateFilterModel
	ID           types.String `tfsdk:"id"`
	Certificates types.List   `tfsdk:"certificates"`
}

func (d *certificatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificates"
}

func (d *certificatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := certificateFilterAttributes(cloudCertificateTypes, "")
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Fixed identifier of the data source (`certificates`)."}
	attrs["certificates"] = certificatesListAttribute("The matching certificates, ordered by `certificate_no`.")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the console's *Cloud certificates*: external, Cloud Basic and Global Edge (Advanced DV/OV certificates are listed by `ncloudcert_advanced_certificates`), " +
			"paging through the service's list at its largest page size. `name` is filtered by the service; " +
			"the other filters apply on the client. All filters combine (AND).",
		Attributes: attrs,
	}
}

func (d *certificatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if c := clientFromProviderData(req.ProviderData, &resp.Diagnostics); c != nil {
		d.client = c
	}
}

func (d *certificatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m certificatesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f, diags := m.compile(ctx, time.Now(), nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	start := time.Now()
	certs, err := d.client.ListCertificates(ctx, m.Name.ValueString())
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list certificates", err)
		return
	}
	cloud := slices.DeleteFunc(certs, func(c client.Certificate) bool {
		return !slices.Contains(cloudCertificateTypes, certificateTypeOf(&c)) && certificateTypeOf(&c) != ""
	})
	matched := f.apply(cloud)
	list, diags := certificateListValue(ctx, matched)
	resp.Diagnostics.Append(diags...)
	tflog.Info(ctx, "read ncloudcert_certificates", map[string]any{"listed": len(certs), "matched": len(matched), "read_ms": time.Since(start).Milliseconds()})
	m.ID = types.StringValue("certificates")
	m.Certificates = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
