package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Stats is what GET /_mock/stats reports.
type Stats struct {
	// Requests counts, per operation name, every request that reached the operation
	// (authentication failures and injected faults included).
	Requests map[string]int `json:"requests"`
	// Certificates is the number of stored certificates.
	Certificates int `json:"certificates"`
	// Orders is the number of Advanced orders.
	Orders int `json:"orders"`
	// Domains is the number of registered (pre-validated) domains.
	Domains int `json:"domains"`
}

// CertificateInfo is a snapshot of one stored certificate.
type CertificateInfo struct {
	No             int64
	Name           string
	Type           string // EXTERNAL, NCP_FREE_DV_01 (Cloud Basic), NCP_GLOBAL_EDGE_DEDICATED
	SerialNumber   string // uppercase hex, no separators; "" until issued
	CertificatePEM string // canonical PEM ("\n" line endings); "" until issued
	ChainPEM       string
	PrivateKeyPEM  string // the uploaded key, or the key the mock generated; "" until issued
	InstanceNos    []string
	StatusName     string
	FailReason     string
	RenewalYn      string
	RequestSn      string   // issuance requests only
	Names          []string // issuance requests: the common name, then the SANs (canonical)
	RegisteredAt   time.Time
	UpdatedAt      time.Time
}

// AddFault scripts a fault; faults for the same operation are used in the order added.
func (s *Server) AddFault(f Fault) { s.ctl.addFault(f) }

// SetLatency delays every request to operation by d ("" = every operation, added to any
// per-operation delay). A zero d removes the delay.
func (s *Server) SetLatency(operation string, d time.Duration) { s.ctl.setLatency(operation, d) }

// SetInUse marks certificate no as used by instanceNos; no instance numbers releases it.
func (s *Server) SetInUse(no int64, instanceNos ...string) error {
	if err := s.store.setInUse(no, instanceNos); err != nil {
		return fmt.Errorf("mockserver: certificate %d: %w", no, err)
	}
	s.committed()
	return nil
}

// SetStatus forces the status of certificate no to a label of API doc §4.1 (NORMAL, EXPIRE,
// REVOKE, VALIDATION_EXPIRE, …); "" returns to the derived status (from the certificate's
// validity, or for a request not validated yet from its validation window). A forced
// status stops automatic issuance; VALIDATION_EXPIRE also turns the request's validation
// records VALID_STATUS_TIMEOUT.
func (s *Server) SetStatus(no int64, statusName string) error {
	if err := s.store.setStatus(no, statusName, ""); err != nil {
		return fmt.Errorf("mockserver: certificate %d: %w", no, err)
	}
	s.committed()
	return nil
}

// SetName renames certificate no without the name rule, to stand for a legacy name
// registered before the rule (up to 30 characters) that the API no longer accepts.
func (s *Server) SetName(no int64, name string) error {
	if err := s.store.rename(no, name); err != nil {
		return fmt.Errorf("mockserver: certificate %d: %w", no, err)
	}
	s.committed()
	return nil
}

// Requests returns how many requests reached operation.
func (s *Server) Requests(operation string) int { return s.ctl.requestCount(operation) }

// Stats returns the request counters of every operation and the number of certificates.
func (s *Server) Stats() Stats {
	st := Stats{Requests: map[string]int{}, Certificates: s.store.count(), Orders: len(s.store.listOrders()), Domains: len(s.domains.list())}
	for _, op := range operationNames() {
		st.Requests[op] = s.ctl.requestCount(op)
	}
	return st
}

// Certificate returns a snapshot of certificate no.
func (s *Server) Certificate(no int64) (CertificateInfo, bool) {
	c, ok := s.store.get(no)
	if !ok {
		return CertificateInfo{}, false
	}
	c = s.settle(c)
	_, status := c.status(s.now())
	info := CertificateInfo{
		No:             c.No,
		Name:           c.Name,
		Type:           c.Type,
		SerialNumber:   c.Meta.SerialNumber,
		CertificatePEM: c.Material.CertPEM,
		ChainPEM:       c.Material.chainPEM(),
		PrivateKeyPEM:  c.Material.KeyPEM,
		InstanceNos:    slices.Clone(c.InstanceNos),
		StatusName:     status,
		FailReason:     c.FailReason,
		RenewalYn:      renewalOf(c),
		RegisteredAt:   c.RegisteredAt,
		UpdatedAt:      c.UpdatedAt,
	}
	if c.Issue != nil {
		info.RequestSn, info.Names = c.Issue.RequestSn, slices.Clone(c.Issue.Names)
	}
	return info, true
}

// Reset clears the certificates and EAB credentials (numbering restarts), the simulated DNS, faults, latency
// and counters. The CA stays.
func (s *Server) Reset() {
	s.store.reset()
	s.eab.reset()
	_ = s.dns.replace(nil)
	s.ctl.reset()
	s.orgs.reset()
	s.advance.Store(0)
	s.domains.reset() // and the registered domains
	s.committed()
}

// controlRouteTable lists the /_mock/ endpoints (JSON, no authentication).
func controlRouteTable() []route {
	return []route{
		{method: http.MethodGet, pattern: "/_mock/stats", handle: (*Server).ctlStats},
		{method: http.MethodPost, pattern: "/_mock/faults", handle: (*Server).ctlFaults},
		{method: http.MethodPost, pattern: "/_mock/latency", handle: (*Server).ctlLatency},
		{method: http.MethodPost, pattern: "/_mock/certificates/{no}/use", handle: (*Server).ctlUse},
		{method: http.MethodPost, pattern: "/_mock/certificates/{no}/status", handle: (*Server).ctlStatus},
		{method: http.MethodPost, pattern: "/_mock/certificates/{no}/validate", handle: (*Server).ctlValidate},
		{method: http.MethodPost, pattern: "/_mock/certificates/{no}/fail", handle: (*Server).ctlFail},
		{method: http.MethodPost, pattern: "/_mock/certificates/{no}/renew", handle: (*Server).ctlRenew},
		{method: http.MethodGet, pattern: "/_mock/certificates/{no}/dcv", handle: (*Server).ctlDCV},
		{method: http.MethodGet, pattern: "/_mock/domains", handle: (*Server).ctlDomains},
		{method: http.MethodPost, pattern: "/_mock/domains/{no}/invalid", handle: (*Server).ctlDomainInvalid},
		{method: http.MethodGet, pattern: "/_mock/dns", handle: (*Server).ctlDNSList},
		{method: http.MethodPost, pattern: "/_mock/dns", handle: (*Server).ctlDNSSet},
		{method: http.MethodDelete, pattern: "/_mock/dns", handle: (*Server).ctlDNSDelete},
		{method: http.MethodPost, pattern: "/_mock/reset", handle: (*Server).ctlReset},
		{method: http.MethodPost, pattern: "/_mock/seed", handle: (*Server).ctlSeed},
		{method: http.MethodGet, pattern: "/_mock/organizations", handle: (*Server).ctlOrganizationsList},
		{method: http.MethodPost, pattern: "/_mock/organizations", handle: (*Server).ctlOrganizations},
		{method: http.MethodGet, pattern: "/_mock/clock", handle: (*Server).ctlClockGet},
		{method: http.MethodPost, pattern: "/_mock/clock", handle: (*Server).ctlClock},
	}
}

// serveControl answers a /_mock/ request and returns the status written.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) int {
	rt, params := match(s.ctlRoutes, r)
	if rt == nil {
		return writeResponse(w, ctlError(http.StatusNotFound, "no control endpoint "+r.Method+" "+r.URL.Path))
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	return writeResponse(w, rt.handle(s, &request{r: r, params: params}))
}

type ctlErrorBody struct {
	Error string `json:"error"`
}

type ctlOKBody struct {
	OK bool `json:"ok"`
}

func ctlError(status int, msg string) response {
	return response{status: status, body: ctlErrorBody{Error: msg}}
}

func ctlOK() response { return ok(ctlOKBody{OK: true}) }

// decodeStrict decodes a control body, rejecting unknown fields (typos must not pass).
func (q *request) decodeStrict(v any) error {
	dec := json.NewDecoder(q.r.Body)
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// certNo parses the {no} path parameter.
func (q *request) certNo() (int64, error) {
	return strconv.ParseInt(q.params["no"], 10, 64)
}

func (s *Server) ctlStats(*request) response { return ok(s.Stats()) }

type faultBody struct {
	Operation   string `json:"operation"`
	Count       int    `json:"count"`
	Status      int    `json:"status"`
	Drop        bool   `json:"drop"`
	AfterCommit bool   `json:"after_commit"`
	RetryAfter  int    `json:"retry_after"`
}

func (s *Server) ctlFaults(q *request) response {
	var b faultBody
	if err := q.decodeStrict(&b); err != nil {
		return ctlError(http.StatusBadRequest, "invalid fault: "+err.Error())
	}
	if b.Operation != AnyOperation && !slices.Contains(operationNames(), b.Operation) {
		return ctlError(http.StatusBadRequest, fmt.Sprintf("unknown operation %q (want one of %v or %q)", b.Operation, operationNames(), AnyOperation))
	}
	if b.Count <= 0 {
		return ctlError(http.StatusBadRequest, "count must be positive")
	}
	if !b.Drop && !validFaultStatus(b.Status) {
		return ctlError(http.StatusBadRequest, fmt.Sprintf("unsupported fault status %d", b.Status))
	}
	s.AddFault(Fault(b))
	return ctlOK()
}

type latencyBody struct {
	Operation string `json:"operation"`
	DelayMS   int    `json:"delay_ms"`
}

func (s *Server) ctlLatency(q *request) response {
	var b latencyBody
	if err := q.decodeStrict(&b); err != nil {
		return ctlError(http.StatusBadRequest, "invalid latency: "+err.Error())
	}
	if b.Operation != "" && b.Operation != AnyOperation && !slices.Contains(operationNames(), b.Operation) {
		return ctlError(http.StatusBadRequest, fmt.Sprintf("unknown operation %q", b.Operation))
	}
	if b.DelayMS < 0 {
		return ctlError(http.StatusBadRequest, "delay_ms must not be negative")
	}
	s.SetLatency(b.Operation, time.Duration(b.DelayMS)*time.Millisecond)
	return ctlOK()
}

type useBody struct {
	InstanceNos []string `json:"instance_nos"`
}

func (s *Server) ctlUse(q *request) response {
	no, err := q.certNo()
	if err != nil {
		return ctlError(http.StatusBadRequest, "invalid certificate number")
	}
	var b useBody
	if err := q.decodeStrict(&b); err != nil {
		return ctlError(http.StatusBadRequest, "invalid body: "+err.Error())
	}
	return ctlResult(s.SetInUse(no, b.InstanceNos...))
}

type statusBody struct {
	Status string `json:"status"`
}

func (s *Server) ctlStatus(q *request) response {
	no, err := q.certNo()
	if err != nil {
		return ctlError(http.StatusBadRequest, "invalid certificate number")
	}
	var b statusBody
	if err := q.decodeStrict(&b); err != nil {
		return ctlError(http.StatusBadRequest, "invalid body: "+err.Error())
	}
	return ctlResult(s.SetStatus(no, b.Status))
}

func (s *Server) ctlReset(*request) response {
	s.Reset()
	return ctlOK()
}

// ctlResult maps a control method's error to an answer.
func ctlResult(err error) response {
	switch {
	case err == nil:
		return ctlOK()
	case errors.Is(err, errNoSuchCertificate):
		return ctlError(http.StatusNotFound, err.Error())
	case errors.Is(err, errNotIssuable):
		return ctlError(http.StatusConflict, err.Error())
	default:
		return ctlError(http.StatusBadRequest, err.Error())
	}
}
