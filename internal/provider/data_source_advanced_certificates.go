package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*advancedCertificatesDataSource)(nil)

func newAdvancedCertificatesDataSource() datasource.DataSource {
	return &advancedCertificatesDataSource{}
}

// advancedCertificatesDataSource lists Advanced DV/OV certificates (v2
// ListAdvancedCertificates, every page), each with its order.
type advancedCertificatesDataSource struct{ client *client.Client }

func (d *advancedCertificatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_advanced_certificates"
}

func (d *advancedCertificatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := certificateFilterAttributes(advancedOrderTypes, "")
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Fixed identifier of the data source (`advanced_certificates`)."}
	attrs["certificates"] = certificatesListAttribute("The matching Advanced certificates, ordered by `certificate_no`, each with `order_id` and `private_key_registered`.")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Advanced (DV and OV) certificates of the account, the console's *Advanced certificate* list, " +
			"paging through the service's list at its largest page size. `name` is filtered by the service; the other filters apply on the client.",
		Attributes: attrs,
	}
}

func (d *advancedCertificatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if c := clientFromProviderData(req.ProviderData, &resp.Diagnostics); c != nil {
		d.client = c
	}
}

func (d *advancedCertificatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
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
	orders, err := d.client.ListAdvancedCertificates(ctx, m.Name.ValueString())
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list Advanced certificates", err)
		return
	}
	var certs []client.Certificate
	for _, o := range orders {
		certs = append(certs, o.Certificates...)
	}
	list, diags := certificateListValue(ctx, f.apply(certs))
	resp.Diagnostics.Append(diags...)
	m.ID = types.StringValue("advanced_certificates")
	m.Certificates = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
