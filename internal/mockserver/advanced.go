package mockserver

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Advanced DV/OV certificates (API doc §6.2–§6.4): ordered from a customer CSR, validated
// by DNS TXT records, issued from the CSR's public key.
const (
	typeAdvancedDV = "NCP_PAID_DV_01"
	typeAdvancedOV = "NCP_PAID_OV_01"

	firstOrderID = 900001 // orderId of Advanced orders, as a string

	validationMethodPersistent = "PD"

	// advancedValidity is the lifetime of an Advanced leaf.
	advancedValidity = 365 * 24 * time.Hour
	// maxSubscriptionYears is the subscription ceiling of an order.
	maxSubscriptionYears = 3
)

func isAdvancedType(t string) bool { return t == typeAdvancedDV || t == typeAdvancedOV }

// order is an Advanced order (subscription). Stored orders are immutable like certificates.
type order struct {
	ID             string
	Type           string
	Token          string // requestToken of the request that placed it ("" = none)
	Years          int    // ordered + extended years
	OrganizationNo string
	KeyAlgorithm   string
	CreatedAt      time.Time
	// PD holds the persistent (PD) record of each validation domain, reused by reissues.
	PD    map[string]dcvRecord
	Certs []int64 // ascending
}

// orderIndex holds the orders; guarded by the store's lock.
type orderIndex struct {
	byID    map[string]*order
	ids     []int64 // ascending
	byToken map[string]string
}

func newOrderIndex() orderIndex {
	return orderIndex{byID: map[string]*order{}, byToken: map[string]string{}}
}

func (o *order) clone() *order {
	c := *o
	c.PD = make(map[string]dcvRecord, len(o.PD))
	for k, v := range o.PD {
		c.PD[k] = v
	}
	c.Certs = slices.Clone(o.Certs)
	return &c
}

// addOrder places order o with its first certificate c atomically. When o.Token names an
// order already placed, that order and its first certificate are returned with existed set.
func (st *store) addOrder(o order, c certificate) (*order, *certificate, bool, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if o.Token != "" {
		if id, ok := st.orders.byToken[o.Token]; ok {
			prev := st.orders.byID[id]
			for _, no := range prev.Certs {
				if first, ok := st.byNo[no]; ok {
					return prev, first, true, nil
				}
			}
			return prev, nil, true, nil
		}
	}
	if _, taken := st.byName[c.Name]; taken {
		return nil, nil, false, errNameTaken
	}
	idNo := st.next.OrderID
	st.next.OrderID++
	o.ID = strconv.FormatInt(idNo, 10)
	c.OrderID = o.ID
	added, err := st.addLocked(c)
	if err != nil {
		return nil, nil, false, err
	}
	o.Certs = []int64{added.No}
	st.putOrderLocked(&o)
	return &o, added, false, nil
}

// putOrderLocked stores o (new or changed); the caller holds the write lock.
func (st *store) putOrderLocked(o *order) {
	if _, known := st.orders.byID[o.ID]; !known {
		n, _ := strconv.ParseInt(o.ID, 10, 64)
		st.orders.ids = insertSorted(st.orders.ids, n)
		st.next.OrderID = max(st.next.OrderID, n+1)
	}
	st.orders.byID[o.ID] = o
	if o.Token != "" {
		st.orders.byToken[o.Token] = o.ID
	}
}

// addToOrder adds certificate c (a reissue) to order id, storing pd as the order's
// persistent records.
func (st *store) addToOrder(id string, c certificate, pd map[string]dcvRecord) (*certificate, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	prev, ok := st.orders.byID[id]
	if !ok {
		return nil, errNoSuchOrder
	}
	c.OrderID = id
	added, err := st.addLocked(c)
	if err != nil {
		return nil, err
	}
	o := prev.clone()
	o.Certs = insertSorted(o.Certs, added.No)
	for k, v := range pd {
		o.PD[k] = v
	}
	st.putOrderLocked(o)
	return added, nil
}

func (st *store) getOrder(id string) (*order, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	o, ok := st.orders.byID[id]
	return o, ok
}

func (st *store) listOrders() []*order {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]*order, 0, len(st.orders.ids))
	for _, n := range st.orders.ids {
		out = append(out, st.orders.byID[strconv.FormatInt(n, 10)])
	}
	return out
}

// updateOrder applies fn to a copy of order id and stores it.
func (st *store) updateOrder(id string, fn func(o *order) error) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	prev, ok := st.orders.byID[id]
	if !ok {
		return errNoSuchOrder
	}
	o := prev.clone()
	if err := fn(o); err != nil {
		return err
	}
	st.putOrderLocked(o)
	return nil
}

var errNoSuchOrder = errors.New("no such order")

// orderNotFound answers an unknown orderId.
var orderNotFound = serviceError(http.StatusOK, codeNotFound, "The order does not exist.")

// issueMaterial issues the leaf of request is: from the CSR's public key for Advanced
// requests (no private key in the material), else with a fresh key.
func (s *Server) issueMaterial(is *issuance, at time.Time) (material, certMeta, error) {
	if is.CSRPEM == "" {
		return s.ca.issue(is.CommonName, is.Names, at)
	}
	csr, err := parseCSR(is.CSRPEM)
	if err != nil {
		return material{}, certMeta{}, err
	}
	return s.ca.sign(csr.PublicKey, is.CommonName, is.Names, at, advancedValidity)
}

var errBadCSR = &codeError{status: http.StatusBadRequest, code: codeValidation,
	message: "csr is not a valid PEM certificate signing request (one CERTIFICATE REQUEST block, correctly signed)."}

// parseCSR parses one PEM "CERTIFICATE REQUEST" block and checks its signature.
func parseCSR(text string) (*x509.CertificateRequest, error) {
	blocks, err := decodeBlocks(text)
	if err != nil || len(blocks) != 1 ||
		(blocks[0].Type != "CERTIFICATE REQUEST" && blocks[0].Type != "NEW CERTIFICATE REQUEST") {
		return nil, errBadCSR
	}
	csr, err := x509.ParseCertificateRequest(blocks[0].Bytes)
	if err != nil || csr.CheckSignature() != nil {
		return nil, errBadCSR
	}
	return csr, nil
}

// csrMatches reports whether the CSR's names (CN and SAN DNS names) equal names as a set,
// case-insensitively.
func csrMatches(csr *x509.CertificateRequest, names []string) bool {
	set := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, n := range list {
			if n = strings.TrimSpace(n); n != "" {
				m[canonicalName(n)] = true
			}
		}
		return m
	}
	got := set(append([]string{csr.Subject.CommonName}, csr.DNSNames...))
	want := set(names)
	if len(got) != len(want) {
		return false
	}
	for n := range want {
		if !got[n] {
			return false
		}
	}
	return true
}

// flexString is a string field that also accepts a number or null.
type flexString string

func (f *flexString) UnmarshalJSON(data []byte) error {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*f = ""
	case string:
		*f = flexString(x)
	case json.Number:
		*f = flexString(x.String())
	default:
		return errors.New("not a string")
	}
	return nil
}

// advancedRequestBody is AdvancedCertificateRequest's body.
type advancedRequestBody struct {
	CSR                string     `json:"csr"`
	CertificateType    string     `json:"certificateType"`
	CertificateName    string     `json:"certificateName"`
	CommonName         string     `json:"commonName"`
	DNSName            []string   `json:"dnsName"`
	ValidationMethod   string     `json:"validationMethod"`
	OrganizationNo     flexString `json:"organizationNo"`
	KeyAlgorithm       string     `json:"keyAlgorithm"`
	RequestToken       string     `json:"requestToken"`
	SubscriptionPeriod flexString `json:"subscriptionPeriod"`
}

// paidCertificate is the certificate object of AdvancedCertificateRequest's answer.
type paidCertificate struct {
	CertificateNo   int64  `json:"certificateNo"`
	CertificateName string `json:"certificateName"`
	OrderID         string `json:"orderId"`
	CommonName      string `json:"commonName"`
	StatusCode      string `json:"statusCode"`
	StatusName      string `json:"statusName"`
}

type advancedResponse struct {
	envelope
	TotalRows       int             `json:"totalRows"`
	PaidCertificate paidCertificate `json:"paidCertificate"`
}

// parseYears reads subscriptionPeriod: "", 1–3, or "1Y"–"3Y".
func parseYears(v string) (int, bool) {
	v = strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(v)), "Y")
	if v == "" {
		return 1, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1 && n <= maxSubscriptionYears
}

// advancedNames checks the fields shared by a request and a reissue and returns the
// canonical names and the parsed CSR.
func advancedNames(csrText, name, cn string, dnsName []string, method string) ([]string, *response) {
	fail := func(resp response) ([]string, *response) { return nil, &resp }
	for _, f := range []struct{ name, value string }{
		{"csr", csrText}, {"certificateName", name}, {"commonName", cn}, {"validationMethod", method},
	} {
		if strings.TrimSpace(f.value) == "" {
			return fail(validationError(f.name + " is required."))
		}
	}
	if !nameRule.MatchString(name) {
		return fail(validationError(msgNameRule))
	}
	if method != validationMethodDNS && method != validationMethodPersistent {
		return fail(validationError(`validationMethod must be "D" or "PD".`))
	}
	names, bad := requestedNames(cn, dnsName)
	if bad != nil {
		return nil, bad
	}
	csr, err := parseCSR(csrText)
	if err != nil {
		return fail(errorResponse(err, notFound2200, notFound2200))
	}
	if !csrMatches(csr, names) {
		return fail(validationError("The CSR's names (common name and DNS SANs) do not match commonName and dnsName."))
	}
	return names, nil
}

// advancedRecords makes the records of a request for names: new one-time records for D;
// for PD the order's persistent record of each validation domain, new ones where it has
// none (returned as pd, to be stored on the order).
func advancedRecords(typ, method string, names []string, have map[string]dcvRecord) ([]dcvRecord, map[string]dcvRecord, error) {
	records, err := newRecords(typ, names)
	if err != nil || method != validationMethodPersistent {
		return records, nil, err
	}
	pd := map[string]dcvRecord{}
	for i, r := range records {
		if prev, ok := have[r.Domain]; ok {
			records[i].Name, records[i].Value = prev.Name, prev.Value
		}
		pd[r.Domain] = dcvRecord{Domain: r.Domain, Name: records[i].Name, Type: recordTXT, Value: records[i].Value}
	}
	return records, pd, nil
}

// newAdvancedCertificate builds the stored form of an Advanced request.
func (s *Server) newAdvancedCertificate(typ, name, csr, method string, names []string, records []dcvRecord) certificate {
	now := s.now()
	is := &issuance{
		CommonName: names[0], Names: names, Records: records, RequestedAt: now,
		Deadline: now.Add(s.validationWindow), CSRPEM: csr, Method: method,
	}
	if s.opts.DCVDelay > 0 {
		is.AutoAt = now.Add(s.opts.DCVDelay)
	}
	return certificate{
		Name: name, Type: typ, Meta: requestMeta(names), RegisteredAt: now, UpdatedAt: now,
		InstanceNos: []string{}, RenewalYn: "N", Issue: is,
	}
}

// v2AdvancedCertificateRequest: POST /api/v2/certificate/requestPaidCertificateIssuance.
func (s *Server) v2AdvancedCertificateRequest(q *request) response {
	var b advancedRequestBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	if !isAdvancedType(b.CertificateType) {
		return validationError(`certificateType must be "NCP_PAID_DV_01" or "NCP_PAID_OV_01".`)
	}
	org := strings.TrimSpace(string(b.OrganizationNo))
	if b.CertificateType == typeAdvancedOV && org == "" {
		return validationError("organizationNo is required for an OV certificate (NCP_PAID_OV_01).")
	}
	years, valid := parseYears(string(b.SubscriptionPeriod))
	if !valid {
		return validationError("subscriptionPeriod must be 1, 2 or 3 (years).")
	}
	names, bad := advancedNames(b.CSR, b.CertificateName, b.CommonName, b.DNSName, b.ValidationMethod)
	if bad != nil {
		return *bad
	}
	records, pd, err := advancedRecords(b.CertificateType, b.ValidationMethod, names, nil)
	if err != nil {
		return serviceError(http.StatusInternalServerError, "900", err.Error())
	}
	c := s.newAdvancedCertificate(b.CertificateType, b.CertificateName, b.CSR, b.ValidationMethod, names, records)
	o := order{
		Type: b.CertificateType, Token: b.RequestToken, Years: years, OrganizationNo: org,
		KeyAlgorithm: b.KeyAlgorithm, CreatedAt: c.RegisteredAt, PD: pd,
	}
	if o.PD == nil {
		o.PD = map[string]dcvRecord{}
	}
	placed, first, existed, err := s.store.addOrder(o, c)
	if err != nil {
		return errorResponse(err, notFound2200, notFound2200)
	}
	if !existed {
		s.committed()
	}
	if first == nil {
		return ok(advancedResponse{envelope: success(), TotalRows: 1, PaidCertificate: paidCertificate{OrderID: placed.ID}})
	}
	first = s.settle(first)
	code, status := first.status(s.now())
	return ok(advancedResponse{envelope: success(), TotalRows: 1, PaidCertificate: paidCertificate{
		CertificateNo: first.No, CertificateName: first.Name, OrderID: placed.ID,
		CommonName: first.Meta.CommonName, StatusCode: code, StatusName: status,
	}})
}

// registerKeyBody is RegisterPrivateKey's body.
type registerKeyBody struct {
	CertificateNo flexNo `json:"certificateNo"`
	PrivateKey    string `json:"privateKey"`
}

var errNoKeyToRegister = errors.New("no private key to register")

// v2RegisterPrivateKey: POST /api/v2/certificate/registPrivateKey. Only an Advanced
// certificate issued from a CSR whose key is not registered yet takes a key (else 2000);
// a bad or encrypted PEM is 1002, a key that does not match the leaf 26040.
func (s *Server) v2RegisterPrivateKey(q *request) response {
	var b registerKeyBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	if b.CertificateNo <= 0 {
		return validationError("certificateNo is required and must be a positive integer.")
	}
	if strings.TrimSpace(b.PrivateKey) == "" {
		return validationError("privateKey is required.")
	}
	c, found := s.store.get(int64(b.CertificateNo))
	if !found {
		return notFound2200
	}
	c = s.settle(c)
	if c.Issue == nil || c.Issue.CSRPEM == "" || !c.issued() || c.Material.KeyPEM != "" {
		return validationError("The certificate has no private key to register (it must be an issued Advanced certificate in NORMAL_UNREGISTERED_PRIVATE_KEY).")
	}
	m, _, err := parseUpload(b.PrivateKey, c.Material.CertPEM, c.Material.chainPEM())
	if err != nil {
		return errorResponse(err, notFound2200, notFound2200)
	}
	now := s.now()
	err = s.store.update(c.No, func(cur *certificate) error {
		if cur.Material.CertPEM != c.Material.CertPEM || cur.Material.KeyPEM != "" {
			return errNoKeyToRegister
		}
		cur.Material.KeyPEM, cur.UpdatedAt = m.KeyPEM, now
		return nil
	})
	if errors.Is(err, errNoKeyToRegister) {
		return validationError("The certificate has no private key to register.")
	}
	if err != nil {
		return errorResponse(err, notFound2200, notFound2200)
	}
	s.committed()
	return ok(v2RowsResponse{envelope: success(), TotalRows: 1})
}

// parseIssued parses a leaf and its chain without a key (an Advanced certificate whose key
// is not registered yet).
func parseIssued(certText, chainText string) (material, certMeta, error) {
	blocks, err := decodeBlocks(certText)
	if err != nil {
		return material{}, certMeta{}, err
	}
	if len(blocks) != 1 || blocks[0].Type != "CERTIFICATE" {
		return material{}, certMeta{}, errInvalidCertificate
	}
	leaf, err := x509.ParseCertificate(blocks[0].Bytes)
	if err != nil {
		return material{}, certMeta{}, errInvalidCertificate
	}
	chain, err := parseChain(chainText, leaf)
	if err != nil {
		return material{}, certMeta{}, err
	}
	m := material{CertPEM: encodeBlock("CERTIFICATE", leaf.Raw)}
	for _, c := range chain {
		m.Chain = append(m.Chain, encodeBlock("CERTIFICATE", c.Raw))
	}
	return m, describe(leaf), nil
}

func saveOrders(orders []*order) []stateOrder {
	out := make([]stateOrder, 0, len(orders))
	for _, o := range orders {
		so := stateOrder{
			ID: o.ID, Type: o.Type, Token: o.Token, Years: o.Years, OrganizationNo: o.OrganizationNo,
			KeyAlgorithm: o.KeyAlgorithm, CreatedAt: o.CreatedAt, Certificates: slices.Clone(o.Certs),
		}
		for _, d := range slices.Sorted(maps.Keys(o.PD)) {
			so.PD = append(so.PD, stateRecord(o.PD[d]))
		}
		out = append(out, so)
	}
	return out
}

// loadOrders checks the stored orders against the certificates: each Advanced certificate
// belongs to exactly the order it names.
func loadOrders(list []stateOrder, certs []certificate) ([]*order, error) {
	owner := map[int64]string{}
	for _, c := range certs {
		if c.OrderID != "" {
			owner[c.No] = c.OrderID
		}
	}
	seen := map[string]bool{}
	tokens := map[string]bool{}
	var out []*order
	for _, so := range list {
		n, err := strconv.ParseInt(so.ID, 10, 64)
		if err != nil || n <= 0 || seen[so.ID] || !isAdvancedType(so.Type) ||
			so.Years < 1 || (so.Token != "" && tokens[so.Token]) {
			return nil, fmt.Errorf("order %q is invalid or duplicated", so.ID)
		}
		seen[so.ID], tokens[so.Token] = true, so.Token != ""
		o := &order{
			ID: so.ID, Type: so.Type, Token: so.Token, Years: so.Years, OrganizationNo: so.OrganizationNo,
			KeyAlgorithm: so.KeyAlgorithm, CreatedAt: so.CreatedAt, PD: map[string]dcvRecord{},
		}
		for _, no := range so.Certificates {
			if owner[no] != so.ID {
				return nil, fmt.Errorf("order %s: certificate %d does not belong to it", so.ID, no)
			}
			delete(owner, no)
			o.Certs = insertSorted(o.Certs, no)
		}
		for _, r := range so.PD {
			o.PD[r.Domain] = dcvRecord(r)
		}
		out = append(out, o)
	}
	for no, id := range owner {
		return nil, fmt.Errorf("certificate %d names order %s, which does not list it", no, id)
	}
	return out, nil
}

// restoreOrders replaces the orders (from a state file).
func (st *store) restoreOrders(orders []*order) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.orders = newOrderIndex()
	for _, o := range orders {
		st.putOrderLocked(o)
	}
}
