package provider

import (
	"context"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*advancedOrdersDataSource)(nil)

func newAdvancedOrdersDataSource() datasource.DataSource { return &advancedOrdersDataSource{} }

// advancedOrdersDataSource lists Advanced certificate orders (v2 ListOrders, every page).
type advancedOrdersDataSource struct{ client *client.Client }

type advancedOrdersDataSourceModel struct {
	ID     types.String `tfsdk:"id"`
	Orders types.List   `tfsdk:"orders"`
}

var orderDescriptions = map[string]string{
	"order_id":           "Identifier of the order (subscription).",
	"subscription_start": "Start of the subscription (the order's placement), RFC 3339 in UTC.",
	"subscription_end":   "End of the subscription, RFC 3339 in UTC; null until the order's first certificate is issued.",
	"subscription_years": "Years of subscription, ordered and extended.",
	"remaining_days":     "Days left in the subscription; negative after it ended; null while the end is not set.",
	"extendable_years":   "Years the subscription can be extended by now.",
	"certificate":        "The order's representative certificate (its newest, the highest `certificate_no`): the shared certificate vocabulary (`name`, `type`, `common_name`, `dns_names`, `not_before`, `not_after`, `status`, …); null when the order holds none.",
	"certificates":       "Every certificate of the order (from the service's Advanced certificate list, joined by order id), ordered by `certificate_no`.",
}

var (
	certificateItemType = types.ObjectType{AttrTypes: certificateListItemAttrTypes}
	orderAttrTypes      = map[string]attr.Type{
		"order_id": types.StringType, "subscription_start": types.StringType, "subscription_end": types.StringType,
		"subscription_years": types.Int64Type, "remaining_days": types.Int64Type, "extendable_years": types.Int64Type,
		"certificate": certificateItemType, "certificates": types.ListType{ElemType: certificateItemType},
	}
)

func (d *advancedOrdersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_advanced_orders"
}

func (d *advancedOrdersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(k string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: orderDescriptions[k]}
	}
	num := func(k string) schema.Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: orderDescriptions[k]}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Advanced certificate orders (subscriptions) of the account, the console's *order list*, " +
			"paging through the service's order list and its Advanced certificate list (which holds each order's certificates): order id, representative certificate (name, type, domain, validity, status) and subscription figures. " +
			"Ordered by order id, so indexes stay stable across reissues.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Fixed identifier of the data source (`advanced_orders`)."},
			"orders": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The orders, ordered by `order_id` (numerically when the ids are numbers), so an order keeps its index when it is reissued or renamed.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"order_id": str("order_id"), "subscription_start": str("subscription_start"), "subscription_end": str("subscription_end"),
					"subscription_years": num("subscription_years"), "remaining_days": num("remaining_days"), "extendable_years": num("extendable_years"),
					"certificate": schema.SingleNestedAttribute{
						Computed: true, MarkdownDescription: orderDescriptions["certificate"], Attributes: certificateItemAttributes(),
					},
					"certificates": certificatesListAttribute(orderDescriptions["certificates"]),
				}},
			},
		},
	}
}

func (d *advancedOrdersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if c := clientFromProviderData(req.ProviderData, &resp.Diagnostics); c != nil {
		d.client = c
	}
}

func (d *advancedOrdersDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	orders, err := d.client.ListOrders(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list Advanced certificate orders", err)
		return
	}
	// ListOrders items carry no certificates (API doc §6.2): one paged listing of the
	// Advanced certificates supplies them, joined by order id (never a GetOrder per order).
	groups, err := d.client.ListAdvancedCertificates(ctx, "")
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list the certificates of the Advanced orders", err)
		return
	}
	joinOrderCertificates(orders, groups)
	sortOrdersByID(orders)
	items := make([]attr.Value, 0, len(orders))
	for i := range orders {
		obj, diags := orderValue(ctx, &orders[i])
		resp.Diagnostics.Append(diags...)
		items = append(items, obj)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: orderAttrTypes}, items)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &advancedOrdersDataSourceModel{ID: types.StringValue("advanced_orders"), Orders: list})...)
}

// joinOrderCertificates gives each order the certificates the Advanced listing files under
// its id (groups of one order may come split, e.g. across pages), plus any its ListOrders
// item carried itself; each certificate once, by number.
func joinOrderCertificates(orders []client.Order, groups []client.AdvancedCertificateOrder) {
	byOrder := make(map[string][]client.Certificate, len(groups))
	for _, g := range groups {
		for _, c := range g.Certificates {
			if c.OrderID == "" {
				c.OrderID = g.OrderID
			}
			byOrder[g.OrderID] = append(byOrder[g.OrderID], c)
		}
	}
	for i := range orders {
		o := &orders[i]
		seen := map[int64]bool{}
		var certs []client.Certificate
		for _, c := range append(byOrder[o.ID], o.Certificates...) {
			if !seen[c.No] {
				seen[c.No] = true
				if c.OrderID == "" {
					c.OrderID = o.ID
				}
				certs = append(certs, c)
			}
		}
		o.Certificates = certs
	}
}

// sortOrdersByID orders by order id, numerically when both ids are numbers (numbers
// first), so an order keeps its index when it is reissued.
func sortOrdersByID(orders []client.Order) {
	sort.SliceStable(orders, func(i, j int) bool { return orderIDLess(orders[i].ID, orders[j].ID) })
}

func orderIDLess(a, b string) bool {
	na, errA := strconv.ParseUint(a, 10, 64)
	nb, errB := strconv.ParseUint(b, 10, 64)
	switch {
	case errA == nil && errB == nil:
		return na < nb
	case (errA == nil) != (errB == nil):
		return errA == nil
	}
	return a < b
}

func orderValue(ctx context.Context, o *client.Order) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	certs := append([]client.Certificate(nil), o.Certificates...)
	sortByNumber(certs)
	list, d := certificateListValue(ctx, certs)
	diags.Append(d...)
	rep := types.ObjectNull(certificateListItemAttrTypes)
	if n := len(certs); n > 0 {
		vals, d := certificateListItemValues(ctx, &certs[n-1])
		diags.Append(d...)
		rep, d = types.ObjectValue(certificateListItemAttrTypes, vals)
		diags.Append(d...)
	}
	remaining := types.Int64Null()
	if o.RemainingDays != nil {
		remaining = types.Int64Value(int64(*o.RemainingDays))
	}
	obj, d := types.ObjectValue(orderAttrTypes, map[string]attr.Value{
		"order_id":           types.StringValue(o.ID),
		"subscription_start": optionalTime(o.SubscriptionStart),
		"subscription_end":   optionalTime(o.SubscriptionEnd),
		"subscription_years": types.Int64Value(int64(o.SubscriptionYears)),
		"remaining_days":     remaining,
		"extendable_years":   types.Int64Value(int64(o.ExtendableYears)),
		"certificate":        rep,
		"certificates":       list,
	})
	diags.Append(d...)
	return obj, diags
}
