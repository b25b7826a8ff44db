package mockserver

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Order lookups and management (API doc §6.2–§6.4): ListAdvancedCertificates, ListOrders,
// GetOrder, ReissueCertificate, SubscriptionExtend, RevokeCertificate.

// orderCertificates returns the stored certificates of o (settled), ascending.
func (s *Server) orderCertificates(o *order) []*certificate {
	out := make([]*certificate, 0, len(o.Certs))
	for _, no := range o.Certs {
		if c, ok := s.store.get(no); ok {
			out = append(out, s.settle(c))
		}
	}
	return out
}

// subscriptionEnd is the end of o's subscription: the first issuance of any of its
// certificates plus its years; zero while none was issued.
func subscriptionEnd(o *order, certs []*certificate) time.Time {
	var first time.Time
	for _, c := range certs {
		if c.Issue != nil && !c.Issue.ValidatedAt.IsZero() && (first.IsZero() || c.Issue.ValidatedAt.Before(first)) {
			first = c.Issue.ValidatedAt
		}
	}
	if first.IsZero() {
		return first
	}
	return first.AddDate(o.Years, 0, 0)
}

// extendableYears is how many years an order ending at end may be extended by at now
// (API doc §6.4): by the year of the end minus the current year (KST), 0 → 3, 1 → 2,
// 2 → 1, ≥3 → 0; 0 when end is unknown (nothing issued) or passed.
func extendableYears(end, now time.Time) int {
	if end.IsZero() || !now.Before(end) {
		return 0
	}
	diff := end.In(kst).Year() - now.In(kst).Year()
	return max(0, maxSubscriptionYears-diff)
}

// orderFields are the order figures of ListOrders items and GetOrder.
type orderFields struct {
	OrderID             string  `json:"orderId"`
	SubscriptionStartDt string  `json:"subscriptionStartDt"`
	SubscriptionEndDt   *string `json:"subscriptionEndDt"`
	SubscriptionYears   int     `json:"subscriptionYears"`
	RemainingDays       *int    `json:"remainingDays"`
	ExtendableYears     int     `json:"extendableYears"`
}

func orderFigures(o *order, certs []*certificate, now time.Time) orderFields {
	f := orderFields{
		OrderID: o.ID, SubscriptionStartDt: formatDate(o.CreatedAt), SubscriptionYears: o.Years,
	}
	if end := subscriptionEnd(o, certs); !end.IsZero() {
		text := formatDate(end)
		days := int(math.Floor(end.Sub(now).Hours() / 24))
		f.SubscriptionEndDt, f.RemainingDays = &text, &days
		f.ExtendableYears = extendableYears(end, now)
	}
	return f
}

// pageArgs reads page and pageSize (1-based page; pageSize 0 or omitted = all; at most
// 100) and returns the offset and limit (0 = no limit).
func pageArgs(q *request) (offset, limit int64, bad *response) {
	page, bad := queryInt(q, "page")
	if bad != nil {
		return 0, 0, bad
	}
	size, bad := queryInt(q, "pageSize")
	if bad != nil {
		return 0, 0, bad
	}
	size = min(size, maxPageSize)
	if size > 0 && page > 1 {
		offset = min(page-1, math.MaxInt32) * size
	}
	return offset, size, nil
}

func pageOf[T any](list []T, offset, limit int64) []T {
	start, end := pageBounds(offset, limit, int64(len(list)))
	return list[start:end]
}

type advancedOrderItem struct {
	OrderID      string          `json:"orderID"` // capital "ID", as documented
	Certificates []v2Certificate `json:"certificates"`
}

type advancedListResponse struct {
	envelope
	TotalCount int                 `json:"totalCount"`
	Orders     []advancedOrderItem `json:"orders"`
}

// v2ListAdvancedCertificates: GET /api/v2/certificate/getPaidCertificates?page=&pageSize=&certificateName=.
// Paged by order; with certificateName only the orders holding a certificate of that name,
// each listing just that certificate. totalCount counts the matching orders.
func (s *Server) v2ListAdvancedCertificates(q *request) response {
	offset, limit, bad := pageArgs(q)
	if bad != nil {
		return *bad
	}
	name := q.r.URL.Query().Get("certificateName")
	now := s.now()
	var items []advancedOrderItem
	for _, o := range s.store.listOrders() {
		item := advancedOrderItem{OrderID: o.ID, Certificates: []v2Certificate{}}
		for _, c := range s.orderCertificates(o) {
			if name == "" || c.Name == name {
				item.Certificates = append(item.Certificates, v2Item(c, now))
			}
		}
		if name != "" && len(item.Certificates) == 0 {
			continue
		}
		items = append(items, item)
	}
	return ok(advancedListResponse{envelope: success(), TotalCount: len(items),
		Orders: append([]advancedOrderItem{}, pageOf(items, offset, limit)...)})
}

type orderItem struct {
	orderFields
	Certificates []v2Certificate `json:"certificates"`
}

type ordersResponse struct {
	envelope
	TotalCount int         `json:"totalCount"`
	Orders     []orderItem `json:"orders"`
}

// v2ListOrders: GET /api/v2/certificate/orders?page=&pageSize= (defaults 1 / 0 = all).
func (s *Server) v2ListOrders(q *request) response {
	offset, limit, bad := pageArgs(q)
	if bad != nil {
		return *bad
	}
	orders := s.store.listOrders()
	now := s.now()
	items := []orderItem{}
	for _, o := range pageOf(orders, offset, limit) {
		certs := s.orderCertificates(o)
		items = append(items, orderItem{orderFields: orderFigures(o, certs, now), Certificates: v2Items(certs, now)})
	}
	return ok(ordersResponse{envelope: success(), TotalCount: len(orders), Orders: items})
}

type getOrderResponse struct {
	envelope
	TotalCount int `json:"totalCount"`
	orderFields
	Certificates []v2Certificate `json:"certificates"`
}

// v2GetOrder: GET /api/v2/certificate/orders/{orderId}.
func (s *Server) v2GetOrder(q *request) response {
	o, found := s.store.getOrder(q.params["orderId"])
	if !found {
		return orderNotFound
	}
	certs := s.orderCertificates(o)
	now := s.now()
	return ok(getOrderResponse{envelope: success(), TotalCount: len(certs),
		orderFields: orderFigures(o, certs, now), Certificates: v2Items(certs, now)})
}

// reissueBody is ReissueCertificate's body.
type reissueBody struct {
	CSR              string   `json:"csr"`
	CertificateName  string   `json:"certificateName"`
	CommonName       string   `json:"commonName"`
	DNSName          []string `json:"dnsName"`
	ValidationMethod string   `json:"validationMethod"`
}

// pathCertNo parses the {certificateNo} path parameter (a positive integer).
func pathCertNo(q *request) (int64, *response) {
	no, err := strconv.ParseInt(q.params["certificateNo"], 10, 64)
	if err != nil || no <= 0 {
		resp := validationError("certificateNo must be a positive integer.")
		return 0, &resp
	}
	return no, nil
}

// v2ReissueCertificate: POST /api/v2/certificate/{certificateNo}/reissue. A new certificate
// (new number, the given name) in the certificate's order, starting ONGOING; the older one
// stays. With PD the order's persistent records are reused.
func (s *Server) v2ReissueCertificate(q *request) response {
	no, bad := pathCertNo(q)
	if bad != nil {
		return *bad
	}
	var b reissueBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	old, found := s.store.get(no)
	if !found {
		return notFound2200
	}
	if old.OrderID == "" {
		return validationError("Only Advanced DV/OV certificates can be reissued.")
	}
	o, found := s.store.getOrder(old.OrderID)
	if !found {
		return orderNotFound
	}
	names, bad := advancedNames(b.CSR, b.CertificateName, b.CommonName, b.DNSName, b.ValidationMethod)
	if bad != nil {
		return *bad
	}
	records, pd, err := advancedRecords(o.Type, b.ValidationMethod, names, o.PD)
	if err != nil {
		return serviceError(http.StatusInternalServerError, "900", err.Error())
	}
	c := s.newAdvancedCertificate(o.Type, b.CertificateName, b.CSR, b.ValidationMethod, names, records)
	added, err := s.store.addToOrder(o.ID, c, pd)
	if err != nil {
		return errorResponse(err, orderNotFound, orderNotFound)
	}
	s.committed()
	s.settle(added) // persistent records still published validate at once
	return ok(v2RowsResponse{envelope: success(), TotalRows: 1})
}

type extendBody struct {
	OrderID            flexString `json:"orderId"`
	SubscriptionPeriod string     `json:"subscriptionPeriod"`
}

var (
	errExtend          = errors.New("extension refused")
	errNothingToRevoke = errors.New("nothing to revoke")
)

// v2SubscriptionExtend: POST /api/v2/certificate/subscription/extend {orderId,
// subscriptionPeriod "1Y"|"2Y"|"3Y"}.
func (s *Server) v2SubscriptionExtend(q *request) response {
	var b extendBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	id := strings.TrimSpace(string(b.OrderID))
	if id == "" {
		return validationError("orderId is required.")
	}
	period := strings.ToUpper(strings.TrimSpace(b.SubscriptionPeriod))
	if period != "1Y" && period != "2Y" && period != "3Y" {
		return validationError(`subscriptionPeriod must be "1Y", "2Y" or "3Y".`)
	}
	years := int(period[0] - '0')
	o, found := s.store.getOrder(id)
	if !found {
		return orderNotFound
	}
	certs := s.orderCertificates(o)
	now := s.now()
	end := subscriptionEnd(o, certs)
	if end.IsZero() {
		return validationError("The order has no issued certificate yet: its subscription cannot be extended.")
	}
	allowed := extendableYears(end, now)
	if years > allowed {
		return validationError(extendRange(allowed, end, now))
	}
	err := s.store.updateOrder(id, func(cur *order) error {
		if cur.Years != o.Years { // changed meanwhile: refuse rather than over-extend
			return errExtend
		}
		cur.Years += years
		return nil
	})
	if errors.Is(err, errExtend) {
		return validationError("Another extension of this order is in progress.")
	}
	if err != nil {
		return errorResponse(err, orderNotFound, orderNotFound)
	}
	s.committed()
	return ok(success())
}

func extendRange(allowed int, end, now time.Time) string {
	switch {
	case !now.Before(end):
		return "The subscription has expired: it cannot be extended (allowed: none)."
	case allowed == 0:
		return "The subscription already reaches the 3-year ceiling (allowed: none)."
	case allowed == 1:
		return `subscriptionPeriod exceeds the allowed range for this order (allowed: "1Y").`
	default:
		return fmt.Sprintf(`subscriptionPeriod exceeds the allowed range for this order (allowed: "1Y" to "%dY").`, allowed)
	}
}

// revokeTypes are the revokeType values of API doc §4.3.
var revokeTypes = map[string]bool{
	"affiliationChanged": true, "superseded": true, "cessationOfOperation": true, "unspecified": true,
}

type revokeBody struct {
	OrderID       flexString `json:"orderId"`
	CertificateNo *flexNo    `json:"certificateNo"`
	RevokeType    string     `json:"revokeType"`
}

// v2RevokeCertificate: POST /api/v2/certificate/revoke {orderId, certificateNo (0 = all),
// revokeType}. Only issued certificates are revoked; totalRows counts those revoked now.
func (s *Server) v2RevokeCertificate(q *request) response {
	var b revokeBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	id := strings.TrimSpace(string(b.OrderID))
	switch {
	case id == "":
		return validationError("orderId is required.")
	case b.CertificateNo == nil || *b.CertificateNo < 0:
		return validationError("certificateNo is required (0 revokes every certificate of the order).")
	case !revokeTypes[b.RevokeType]:
		return validationError("revokeType must be affiliationChanged, superseded, cessationOfOperation or unspecified.")
	}
	o, found := s.store.getOrder(id)
	if !found {
		return orderNotFound
	}
	certs := s.orderCertificates(o)
	var targets []*certificate
	if no := int64(*b.CertificateNo); no != 0 {
		for _, c := range certs {
			if c.No == no {
				targets = append(targets, c)
			}
		}
		if len(targets) == 0 {
			return validationError(fmt.Sprintf("Certificate %d is not a certificate of order %s.", no, id))
		}
		if !targets[0].issued() {
			return validationError("The certificate is not issued: there is nothing to revoke.")
		}
	} else {
		targets = certs
	}
	now := s.now()
	revoked := 0
	for _, c := range targets {
		err := s.store.update(c.No, func(cur *certificate) error {
			if !cur.issued() || !cur.RevokedAt.IsZero() {
				return errNothingToRevoke
			}
			cur.RevokedAt, cur.RevokeType, cur.UpdatedAt = now, b.RevokeType, now
			return nil
		})
		if err == nil {
			revoked++
		}
	}
	if revoked > 0 {
		s.committed()
	}
	return ok(v2RowsResponse{envelope: success(), TotalRows: revoked})
}
