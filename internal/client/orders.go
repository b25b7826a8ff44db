package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	opListAdvancedCertificates = "ListAdvancedCertificates"
	opListOrders               = "ListOrders"
	opGetOrder                 = "GetOrder"
)

// Order is an Advanced DV/OV order (subscription) with its certificates (API doc §6.2).
type Order struct {
	ID                string
	SubscriptionStart time.Time // the order's placement; zero when unknown
	SubscriptionEnd   time.Time // zero while null (no certificate of the order issued yet)
	SubscriptionYears int       // ordered + extended
	RemainingDays     *int      // nil while the end is null; negative after expiry
	ExtendableYears   int       // what ExtendSubscription allows now
	Certificates      []Certificate
}

// AdvancedCertificateOrder is one ListAdvancedCertificates group: an order's certificates.
type AdvancedCertificateOrder struct {
	OrderID      string
	Certificates []Certificate
}

// wireOrder is an order as ListOrders/GetOrder send it, and a ListAdvancedCertificates group
// (orderID with a capital "ID" there, as documented; both spellings are accepted).
type wireOrder struct {
	OrderID             flexString      `json:"orderId"`
	OrderIDUpper        flexString      `json:"orderID"`
	SubscriptionStartDt flexTime        `json:"subscriptionStartDt"`
	SubscriptionEndDt   flexTime        `json:"subscriptionEndDt"`
	SubscriptionYears   flexInt         `json:"subscriptionYears"`
	RemainingDays       flexInt         `json:"remainingDays"` // not set: null or absent
	ExtendableYears     flexInt         `json:"extendableYears"`
	Certificates        certificateList `json:"certificates"`
}

func (w *wireOrder) id() string { return firstNonEmpty(w.OrderID, w.OrderIDUpper) }

// certificates are the order's certificates, each carrying the order's id.
func (w *wireOrder) certificates() []Certificate {
	out := w.Certificates.certificates()
	for i := range out {
		if out[i].OrderID == "" {
			out[i].OrderID = w.id()
		}
	}
	return out
}

func (w *wireOrder) order() Order {
	o := Order{
		ID:                w.id(),
		SubscriptionStart: time.Time(w.SubscriptionStartDt),
		SubscriptionEnd:   time.Time(w.SubscriptionEndDt),
		SubscriptionYears: int(w.SubscriptionYears.v),
		ExtendableYears:   int(w.ExtendableYears.v),
		Certificates:      w.certificates(),
	}
	if w.RemainingDays.set {
		d := int(w.RemainingDays.v)
		o.RemainingDays = &d
	}
	return o
}

// ordersResponse is the answer of ListAdvancedCertificates and ListOrders.
type ordersResponse struct {
	TotalRows  flexInt              `json:"totalRows"`
	TotalCount flexInt              `json:"totalCount"`
	Orders     flexArray[wireOrder] `json:"orders"`
}

func (r *ordersResponse) missingList() string {
	if r.Orders.present {
		return ""
	}
	return "orders"
}

// keys identify items by order id and certificate numbers: a service that pages the
// Advanced list by certificate may split one order's group across pages, and each part counts.
func (r *ordersResponse) keys() []string {
	out := make([]string, len(r.Orders.items))
	for i := range r.Orders.items {
		w := &r.Orders.items[i]
		var b strings.Builder
		b.WriteString(w.id())
		for _, c := range w.Certificates.certificates() {
			b.WriteString("/" + strconv.FormatInt(c.No, 10))
		}
		out[i] = b.String()
	}
	return out
}

func (r *ordersResponse) grandTotal(pageItems int) (int64, bool) {
	return (&listResponse{TotalRows: r.TotalRows, TotalCount: r.TotalCount}).grandTotal(pageItems)
}

// ListAdvancedCertificates is v2 ListAdvancedCertificates over all pages: Advanced DV/OV
// certificates grouped by order. With name, only certificates of exactly that name are kept
// (the filter is also sent to the server) and orders left without one are dropped.
func (c *Client) ListAdvancedCertificates(ctx context.Context, name string) ([]AdvancedCertificateOrder, error) {
	var filter url.Values
	if name != "" {
		filter = url.Values{"certificateName": {name}}
	}
	out := []AdvancedCertificateOrder{}
	err := c.eachPage(ctx, opListAdvancedCertificates, "/api/v2/certificate/getPaidCertificates", filter,
		func() pageAnswer { return &ordersResponse{} },
		func(p pageAnswer, i int) {
			w := &p.(*ordersResponse).Orders.items[i]
			o := AdvancedCertificateOrder{OrderID: w.id(), Certificates: []Certificate{}}
			for _, cert := range w.certificates() {
				if name == "" || cert.Name == name {
					o.Certificates = append(o.Certificates, cert)
				}
			}
			if name == "" || len(o.Certificates) > 0 {
				out = append(out, o)
			}
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListOrders is v2 ListOrders over all pages.
func (c *Client) ListOrders(ctx context.Context) ([]Order, error) {
	out := []Order{}
	err := c.eachPage(ctx, opListOrders, "/api/v2/certificate/orders", nil,
		func() pageAnswer { return &ordersResponse{} },
		func(p pageAnswer, i int) { out = append(out, p.(*ordersResponse).Orders.items[i].order()) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// orderResponse is GetOrder's answer: the order's figures at top level.
type orderResponse struct{ wireOrder }

func (r *orderResponse) missingList() string {
	if r.id() != "" {
		return ""
	}
	return "orderId"
}

// GetOrder is v2 GetOrder. An unknown order is the service's 2200 (IsNotFound); a success
// answer without an orderId is an error, never "not found".
func (c *Client) GetOrder(ctx context.Context, orderID string) (*Order, error) {
	var resp orderResponse
	_, err := c.do(ctx, call{op: opGetOrder, method: http.MethodGet,
		path: "/api/v2/certificate/orders/" + url.PathEscape(orderID), needList: true}, &resp)
	if err != nil {
		return nil, err
	}
	o := resp.order()
	return &o, nil
}

// orderOf fills cert.OrderID when the list item lacked it (v1 items may), from
// ListAdvancedCertificates filtered by the certificate's name.
func (c *Client) orderOf(ctx context.Context, cert *Certificate) error {
	if cert.OrderID != "" {
		return nil
	}
	orders, err := c.ListAdvancedCertificates(ctx, cert.Name)
	if err != nil {
		return err
	}
	for _, o := range orders {
		for _, oc := range o.Certificates {
			if oc.No == cert.No {
				cert.OrderID = o.OrderID
				return nil
			}
		}
	}
	return nil
}
