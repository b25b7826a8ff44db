package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Demo credentials accepted when Options.Credentials is nil.
const (
	DemoAccessKey = "ncloudcert-demo-access-key"
	DemoSecretKey = "ncloudcert-demo-secret-key"
)

// Operation names, exactly as the API document names them.
const (
	OpGetCertificateList           = "getCertificateList"
	OpCreateExternalCertificate    = "createExternalCertificate"
	OpDeleteCertificateV1          = "deleteCertificate"
	OpRegisterExternalCertificate  = "RegisterExternalCertificate"
	OpGetCertificateChain          = "GetCertificateChain"
	OpDeleteCertificate            = "DeleteCertificate"
	OpRegisterDomain               = "RegisterDomain"
	OpListDomainValidations        = "ListDomainValidations"
	OpDeleteDomain                 = "DeleteDomain"
	OpAdvancedCertificateRequest   = "AdvancedCertificateRequest"
	OpRegisterPrivateKey           = "RegisterPrivateKey"
	OpListAdvancedCertificates     = "ListAdvancedCertificates"
	OpListOrders                   = "ListOrders"
	OpGetOrder                     = "GetOrder"
	OpReissueCertificate           = "ReissueCertificate"
	OpSubscriptionExtend           = "SubscriptionExtend"
	OpRevokeCertificate            = "RevokeCertificate"
	OpListCertificates             = "ListCertificates"
	OpListCloudCertificates        = "ListCloudCertificates"
	OpListDcvStatuses              = "ListDcvStatuses"
	OpCloudBasicCertificateRequest = "CloudBasicCertificateRequest"
	OpGlobalEdgeCertificateRequest = "GlobalEdgeCertificateRequest"
	OpDownloadCertificate          = "DownloadCertificate"
	OpSetRenewalStatus             = "SetRenewalStatus"
	OpCreateEabCredential          = "CreateEabCredential"
	OpListEabCredentials           = "ListEabCredentials"
	OpDeactivateEabCredential      = "DeactivateEabCredential"
	OpListCertificateTypes         = "ListCertificateTypes"
	OpListOrganizations            = "ListOrganizations"
)

// maxBodyBytes bounds request bodies; larger bodies get the gateway's 413.
const maxBodyBytes = 1 << 20

// Options configures a Server. The zero value is usable.
type Options struct {
	// Credentials maps access key → secret key. Nil means {DemoAccessKey: DemoSecretKey}.
	Credentials map[string]string
	// SubAccountKeys lists access keys (which must also be in Credentials) that behave like
	// Sub Account keys: HTTP 403 with an empty body on every /api/v2 call; v1 works.
	SubAccountKeys []string
	// DCVDelay, when positive, completes the domain validation of every issuance request
	// that long after the request (a demo shortcut), whether or not its DNS records are
	// published. Zero: validation completes only through the simulated DNS or the control
	// API.
	DCVDelay time.Duration
	// ValidationWindow is how long a request waits for validation before it turns
	// VALIDATION_EXPIRE (its records VALID_STATUS_TIMEOUT). Zero means 72 hours.
	ValidationWindow time.Duration
	// StateFile, when set, is loaded by New (if it exists) and rewritten atomically after
	// every committed change. It holds private keys in clear text: it is meant for demos.
	StateFile string
	// Now is the clock (default time.Now). It drives the timestamp window; plus the
	// AdvanceClock offset it drives expiry, dates and subscriptions.
	Now func() time.Time
	// V1ExternalOnly: API 1.0 lists and deletes external certificates only (an API doc §8
	// alternative): getCertificateList leaves out every other type and deleteCertificate
	// answers 1006 for them, as for a number that does not exist.
	V1ExternalOnly bool
	// DCVPerDomain: ListDcvStatuses answers per queried domain (an API doc §8 alternative):
	// a Global Edge request for "*.x" and "x" expects a distinct TXT value for each at the
	// same record name, and both must be published.
	DCVPerDomain bool
	// OrganizationsEnvelope picks where ListOrganizations puts its list, the envelope being
	// undocumented (API doc §6.7): one of OrganizationsEnvelopes; "" is organizationInfoList.
	OrganizationsEnvelope string
	// Logger, when set, receives one line per request (method, path, operation, status —
	// never headers or bodies) and state-file errors.
	Logger *log.Logger
}

// Server is the mock service. It implements http.Handler and is safe for concurrent use.
type Server struct {
	opts        Options
	now         func() time.Time // business clock: clock plus the AdvanceClock offset
	clock       func() time.Time // Options.Now or time.Now: the gateway's timestamp window
	advance     atomic.Int64     // AdvanceClock offset (nanoseconds)
	credentials map[string]string
	subAccounts map[string]bool
	store       *store
	eab         *eabStore // ACME EAB credentials (acme.go)
	dns         *dnsZone
	domains     *domainStore // pre-validated domains (domain_validation.go)
	ca          *authority
	ctl         *controls
	orgs        *organizations
	apiRoutes   []route
	ctlRoutes   []route
	saveMu      sync.Mutex

	validationWindow time.Duration
}

// New builds a Server, loading Options.StateFile when it exists.
func New(opts Options) (*Server, error) {
	s := &Server{
		opts:        opts,
		clock:       opts.Now,
		credentials: map[string]string{},
		subAccounts: map[string]bool{},
		ctl:         newControls(),
		orgs:        &organizations{},
	}
	if opts.OrganizationsEnvelope != "" && !slices.Contains(OrganizationsEnvelopes, opts.OrganizationsEnvelope) {
		return nil, fmt.Errorf("mockserver: unknown organizations envelope %q (want one of %s)", opts.OrganizationsEnvelope, strings.Join(OrganizationsEnvelopes, ", "))
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	s.now = func() time.Time { return s.clock().Add(time.Duration(s.advance.Load())) }
	if opts.Credentials == nil {
		s.credentials[DemoAccessKey] = DemoSecretKey
	}
	for k, v := range opts.Credentials {
		if k == "" || v == "" {
			return nil, errors.New("mockserver: credentials need a non-empty access key and secret key")
		}
		s.credentials[k] = v
	}
	for _, k := range opts.SubAccountKeys {
		if _, ok := s.credentials[k]; !ok {
			return nil, fmt.Errorf("mockserver: sub-account key %q has no secret in Credentials", k)
		}
		s.subAccounts[k] = true
	}
	if opts.DCVDelay < 0 || opts.ValidationWindow < 0 {
		return nil, errors.New("mockserver: DCVDelay and ValidationWindow must not be negative")
	}
	s.validationWindow = opts.ValidationWindow
	if s.validationWindow == 0 {
		s.validationWindow = defaultValidationWindow
	}
	s.store = newStore()
	s.eab = newEabStore()
	s.dns = newDNSZone()
	s.domains = newDomainStore()
	if opts.StateFile != "" {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	if s.ca == nil { // not loaded from the state file
		ca, err := newAuthority(s.now())
		if err != nil {
			return nil, fmt.Errorf("mockserver: minting the CA: %w", err)
		}
		s.ca = ca
	}
	s.apiRoutes = compileRoutes(apiRouteTable())
	s.ctlRoutes = compileRoutes(controlRouteTable())
	return s, nil
}

// ServeHTTP dispatches /api/ requests through authentication, faults and the operation, and
// /_mock/ requests to the control API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, status := "-", 0
	defer func() {
		if s.opts.Logger != nil {
			st := fmt.Sprint(status)
			if status == 0 {
				st = "dropped"
			}
			s.opts.Logger.Printf("%s %s op=%s status=%s", r.Method, r.URL.Path, op, st)
		}
	}()
	if strings.HasPrefix(r.URL.Path, "/_mock/") {
		op = "control"
		status = s.serveControl(w, r)
		return
	}
	rt, params := match(s.apiRoutes, r)
	if rt == nil {
		status = writeResponse(w, gatewayError(http.StatusNotFound, "300", "Not Found Exception",
			"no route for "+r.Method+" "+r.URL.Path))
		return
	}
	op = rt.op
	status = s.serveOperation(w, r, rt, params)
}

// serveOperation runs one API operation and returns the HTTP status written (0 if dropped).
func (s *Server) serveOperation(w http.ResponseWriter, r *http.Request, rt *route, params map[string]string) int {
	s.ctl.count(rt.op)
	if err := sleepCtx(r.Context(), s.ctl.latency(rt.op)); err != nil {
		return 0 // client went away
	}
	accessKey, resp := s.authenticate(r)
	if resp != nil {
		return writeResponse(w, *resp)
	}
	if strings.HasPrefix(r.URL.Path, "/api/v2/") && s.subAccounts[accessKey] {
		w.Header().Set("x-ncp-apigw-response-origin", "ENDPOINT")
		w.WriteHeader(http.StatusForbidden)
		return http.StatusForbidden
	}
	f, faulted := s.ctl.takeFault(rt.op)
	if faulted && !f.AfterCommit {
		return writeFault(w, f)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	result := rt.handle(s, &request{r: r, params: params})
	if faulted {
		return writeFault(w, f) // the change (if any) is committed; the answer is lost
	}
	return writeResponse(w, result)
}

// request is what an operation handler sees.
type request struct {
	r      *http.Request
	params map[string]string
}

// decodeBody decodes the JSON body into v; a failure is a ready-made 400 response.
func (q *request) decodeBody(v any) *response {
	dec := json.NewDecoder(q.r.Body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			resp := validationError("A JSON request body is required ({} when there is nothing to send).")
			return &resp
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			resp := gatewayError(http.StatusRequestEntityTooLarge, "430", "Request Entity Too Large",
				"request body exceeds the limit")
			return &resp
		}
		resp := validationError("The request body is not valid JSON.")
		return &resp
	}
	return nil
}

// response is an operation's answer: a status and a JSON body (nil body = empty), or raw
// bytes whose Content-Type is in header.
type response struct {
	status int
	body   any
	raw    []byte
	header map[string]string
}

func ok(body any) response { return response{status: http.StatusOK, body: body} }

// envelope is the service's result header, embedded by every success body.
type envelope struct {
	ReturnCode    string `json:"returnCode"`
	ReturnMessage string `json:"returnMessage"`
}

func success() envelope { return envelope{ReturnCode: "0", ReturnMessage: "Success"} }

// serviceError is a Certificate Manager error: HTTP 200 (or 400 for validation) with a code.
func serviceError(status int, code, message string) response {
	return response{status: status, body: envelope{ReturnCode: code, ReturnMessage: message}}
}

// validationError is the HTTP 400 / returnCode 2000 request-validation failure.
func validationError(message string) response {
	return serviceError(http.StatusBadRequest, codeValidation, message)
}

type gatewayBody struct {
	Error gatewayDetail `json:"error"`
}

type gatewayDetail struct {
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
	Details   string `json:"details"`
}

// gatewayError is an API Gateway error in the gateway's REST envelope.
func gatewayError(status int, code, message, details string) response {
	return response{status: status, body: gatewayBody{Error: gatewayDetail{ErrorCode: code, Message: message, Details: details}}}
}

// writeResponse writes resp as JSON and returns its status.
func writeResponse(w http.ResponseWriter, resp response) int {
	for k, v := range resp.header {
		w.Header().Set(k, v)
	}
	if resp.raw != nil {
		w.Header().Set("Content-Length", fmt.Sprint(len(resp.raw)))
		w.WriteHeader(resp.status)
		_, _ = w.Write(resp.raw)
		return resp.status
	}
	if resp.body == nil {
		w.WriteHeader(resp.status)
		return resp.status
	}
	data, err := json.Marshal(resp.body)
	if err != nil {
		http.Error(w, "mockserver: cannot encode response", http.StatusInternalServerError)
		return http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(resp.status)
	_, _ = w.Write(append(data, '\n'))
	return resp.status
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// committed is called after every change to the store: it persists the state when configured.
func (s *Server) committed() {
	if s.opts.StateFile == "" {
		return
	}
	if err := s.Save(); err != nil && s.opts.Logger != nil {
		s.opts.Logger.Printf("mockserver: saving state: %v", err)
	}
}
