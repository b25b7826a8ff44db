package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// APIError is any failure the service or gateway reported.
type APIError struct {
	Operation  string // API doc operation name, e.g. "createExternalCertificate"
	HTTPStatus int
	Code       string // returnCode or gateway errorCode ("" when the body had none)
	Message    string
	AccessKey  string // set on auth failures so the message can name it
	V2         bool   // the call was an API 2.0 (/api/v2) call
	// URL is where the request went (method and URL). Error() names it when the answer was
	// not the service's own (no returnCode): a wrong endpoint, base path or proxy.
	URL string
	// NotService: the answer carried no service envelope, so it proves nothing about the
	// certificate (API doc §8 "not found" evidence).
	NotService bool
	// RetryAfter: the service asked to wait this long, longer than the operation had left.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: HTTP %d", e.Operation, e.HTTPStatus)
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %s", e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.HTTPStatus)
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.NotService {
		fmt.Fprintf(&b, " (from %s: not a Certificate Manager answer; check the endpoint or site, and any proxy in between)", e.URL)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (the service asked to retry after %s, later than this operation's deadline: retry later or raise the timeouts)", e.RetryAfter)
	}
	switch {
	case isAuth(e):
		fmt.Fprintf(&b, " (access key %q: the request signature was rejected; check that the secret key belongs to this access key and that the system clock is correct, the gateway allows 5 minutes of skew)", e.AccessKey)
	case e.HTTPStatus == http.StatusForbidden && e.AccessKey != "":
		fmt.Fprintf(&b, " (access key %q)", e.AccessKey)
	}
	return b.String()
}

// InUseError: delete gave up while instances still use the certificate.
type InUseError struct {
	CertificateNo int64
	InstanceNos   []string // empty when the service did not say which instances
	Err           error    // the last *APIError
}

func (e *InUseError) Error() string {
	if len(e.InstanceNos) == 0 {
		return fmt.Sprintf("certificate %d is still in use, but the service did not say by which instances: find the Load Balancer, CDN+ or Global Edge that uses it, detach it there (or replace it there) and retry",
			e.CertificateNo)
	}
	return fmt.Sprintf("certificate %d is still in use by instance(s) %s: detach it from them (or replace it there) and retry",
		e.CertificateNo, strings.Join(e.InstanceNos, ", "))
}

// NameInUseError: a registration or request found another certificate holding the name,
// one this create cannot prove it made itself. Existing says which, so the caller can offer
// an import instead of adopting it silently.
type NameInUseError struct {
	Operation string
	Name      string
	Existing  Certificate
	// SameMaterial: the existing certificate is what this create would have made (it may be
	// the result of an interrupted earlier apply): the serial of the certificate being
	// registered, or, for a request (ByNames), the same common name and names.
	SameMaterial bool
	// ByNames: the create was a certificate request, compared by its names, not by serial.
	ByNames bool
	Err     error // the service's refusal, when there was one
}

func (e *NameInUseError) Error() string {
	what := "holds a different certificate"
	switch {
	case e.ByNames && e.SameMaterial:
		what = "was requested for the same names (" + strings.Join(certificateNames(e.Existing), ", ") + ") earlier or outside this apply"
	case e.ByNames && e.Existing.CommonName == "":
		what = "could not be compared with this request (the service reported no common name)"
	case e.ByNames:
		what = "is for other names (" + strings.Join(certificateNames(e.Existing), ", ") + ")"
	case e.SameMaterial:
		what = "holds this same certificate (serial " + e.Existing.SerialNumber + "), registered earlier or outside this apply"
	case e.Existing.SerialNumber == "":
		what = "could not be compared with this certificate (the service reported no serial)"
	}
	return fmt.Sprintf("%s: certificate name %q is already used by certificate %d, which %s", e.Operation, e.Name, e.Existing.No, what)
}

// NoValidationInfoError: ListDcvStatuses answered 2200 for a certificate and domain. Here
// 2200 means the service has no validation information for that pair (the domain is not
// one of the certificate's, or the certificate is not a request, or it is gone): it is not
// evidence that the certificate is gone, so IsNotFound is false for it; ask GetCertificate.
type NoValidationInfoError struct {
	CertificateNo int64
	Domain        string
	Err           *APIError
}

func (e *NoValidationInfoError) Error() string {
	return fmt.Sprintf("no domain validation information for %q on certificate %d: %v", e.Domain, e.CertificateNo, e.Err)
}

func (e *NoValidationInfoError) Unwrap() error { return e.Err }

// TerminalStatusError: a waited-for certificate reached a status it never leaves towards
// the goal (IsTerminalStatus), with the service's reason when it gave one.
type TerminalStatusError struct {
	No     int64
	Status string // label (StatusLabel)
	Code   string // statusCode as sent
	Reason string // failReason; "" when the service gave none
}

func (e *TerminalStatusError) Error() string {
	msg := fmt.Sprintf("certificate %d reached status %s", e.No, e.Status)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

func (e *NameInUseError) Unwrap() error { return e.Err }

func (e *InUseError) Unwrap() error { return e.Err }

// UncertainError: a request whose outcome is unknown (sent, then no usable answer).
type UncertainError struct {
	Operation string
	Err       error
}

func (e *UncertainError) Error() string {
	return fmt.Sprintf("%s: outcome unknown, the request may or may not have been applied: %v", e.Operation, e.Err)
}

func (e *UncertainError) Unwrap() error { return e.Err }

// Service and gateway codes the helpers classify by (API doc §3.3, §3.4).
const (
	codeSuccess           = "0"
	codeInUse             = "1004" // also "name/number mismatch" on delete
	codeNoCertExists      = "1006"
	codeNotFound          = "2200"
	codeInvalidRequest    = "2000"
	codeInvalidParameter  = "2100"
	codeInvalidSANs       = "2201" // "Invalid DNS SANs input format."
	codeInvalidSANs2      = "2202" // truncated in the guide; another SAN-format refusal
	gwAuthFailed          = "200"
	gwPermissionDenied    = "210"
	gwRouteNotFound       = "300"
	gwQuotaExceeded       = "400"
	gwThrottleLimited     = "410"
	gwRateLimited         = "420"
	v2SubAccountForbidMsg = "empty response body: API 2.0 (/api/v2) accepts only main-account API keys and answers HTTP 403 to sub-account keys; use a main-account access key"
	notServiceMsg         = "no returnCode in the answer"
)

func asAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound: only the service's own envelope is evidence (API doc §8): returnCode 2200
// or 1006. Any 404 page (gateway route, proxy, a Spring error page of a wrong base path)
// means a wrong endpoint; treating it as "gone" would make Read drop every resource.
// A *NoValidationInfoError is not "not found": its 2200 is about a domain's validation data.
func IsNotFound(err error) bool {
	var nv *NoValidationInfoError
	if errors.As(err, &nv) {
		return false
	}
	e, ok := asAPIError(err)
	return ok && !e.NotService && (e.Code == codeNotFound || e.Code == codeNoCertExists)
}

// IsRequestInvalid: the service's input-validation refusal: HTTP 400 with 2000 or 2100
// (e.g. a name that breaks the name rule), or 2201/2202 (malformed or repeated SANs) on
// HTTP 200 (as the guide lists them) or 400 (as observed for validation errors).
func IsRequestInvalid(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	switch e.Code {
	case codeInvalidRequest, codeInvalidParameter:
		return e.HTTPStatus == http.StatusBadRequest
	case codeInvalidSANs, codeInvalidSANs2:
		return e.HTTPStatus == http.StatusOK || e.HTTPStatus == http.StatusBadRequest
	}
	return false
}

// IsTerminalStatusError reports a *TerminalStatusError.
func IsTerminalStatusError(err error) bool {
	var e *TerminalStatusError
	return errors.As(err, &e)
}

// IsNoValidationInfo reports a *NoValidationInfoError.
func IsNoValidationInfo(err error) bool {
	var e *NoValidationInfoError
	return errors.As(err, &e)
}

// IsNameInUse reports a *NameInUseError.
func IsNameInUse(err error) bool {
	var e *NameInUseError
	return errors.As(err, &e)
}

// IsInUse: 1004 or *InUseError.
func IsInUse(err error) bool {
	var iu *InUseError
	if errors.As(err, &iu) {
		return true
	}
	return hasCode(err, codeInUse)
}

// IsThrottled: HTTP 429 / gateway 400,410,420.
func IsThrottled(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	if e.HTTPStatus == http.StatusTooManyRequests {
		return true
	}
	switch e.Code {
	case gwQuotaExceeded, gwThrottleLimited, gwRateLimited:
		return e.HTTPStatus != http.StatusOK
	}
	return false
}

// IsAuth: HTTP 401 / gateway 200,210.
func IsAuth(err error) bool {
	e, ok := asAPIError(err)
	return ok && isAuth(e)
}

func isAuth(e *APIError) bool {
	if e.HTTPStatus == http.StatusUnauthorized {
		return true
	}
	// Gateway codes only count on gateway statuses: returnCodes never take these values
	// on HTTP 200, but be strict anyway.
	return (e.Code == gwAuthFailed || e.Code == gwPermissionDenied) && e.HTTPStatus >= 400
}

// IsForbidden: HTTP 403.
func IsForbidden(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.HTTPStatus == http.StatusForbidden
}

// IsV2Forbidden: HTTP 403 on an API 2.0 call, the answer sub-account keys get there. A 403
// on an API 1.0 call comes from elsewhere (an IP restriction, a proxy).
func IsV2Forbidden(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.HTTPStatus == http.StatusForbidden && e.V2
}

// IsUncertain reports whether err carries an *UncertainError.
func IsUncertain(err error) bool {
	var u *UncertainError
	return errors.As(err, &u)
}

func hasCode(err error, code string) bool {
	e, ok := asAPIError(err)
	return ok && e.Code == code
}

// isServiceCode reports a definite answer from the service itself (returnCode != "0" on
// HTTP 200/400): the request was processed and refused.
func isServiceCode(err error) bool {
	e, ok := asAPIError(err)
	return ok && !IsUncertain(err) && e.Code != "" &&
		(e.HTTPStatus == http.StatusOK || e.HTTPStatus == http.StatusBadRequest)
}

// errorEnvelope is the union of the three error shapes of API doc §3.2, plus the
// "responseError" wrapper older NCP APIs use.
type errorEnvelope struct {
	ReturnCode    flexString      `json:"returnCode"`
	ReturnMessage flexString      `json:"returnMessage"`
	Error         json.RawMessage `json:"error"`   // gateway object or Spring string
	Message       flexString      `json:"message"` // Spring
	ResponseError *struct {
		ReturnCode    flexString `json:"returnCode"`
		ReturnMessage flexString `json:"returnMessage"`
	} `json:"responseError"`
}

type gatewayError struct {
	ErrorCode flexString `json:"errorCode"`
	Message   flexString `json:"message"`
	Details   flexString `json:"details"`
}

// checkResponse turns a response into an *APIError, or nil when it reports success: HTTP 2xx
// with returnCode "0" (every service answer carries one, API doc §3.1). An answer with no
// envelope at all (no returnCode, no gateway error: a proxy page, an empty body, another
// service's JSON) is an error marked NotService, naming the URL, never a success.
func (c *Client) checkResponse(cl call, url string, status int, body []byte) *APIError {
	v2 := strings.HasPrefix(cl.path, "/api/v2/")
	e := &APIError{Operation: cl.op, HTTPStatus: status, V2: v2, URL: cl.method + " " + url}
	trimmed := bytes.TrimSpace(body)
	var env errorEnvelope
	if len(trimmed) > 0 && json.Unmarshal(trimmed, &env) != nil {
		env = errorEnvelope{} // not JSON (a proxy's HTML page, say)
		e.Message = snippet(trimmed)
		if cl.raw {
			// A file answer (a ZIP that may hold a private key) is never quoted.
			e.Message = fmt.Sprintf("a non-JSON answer of %d bytes", len(body))
		}
	}
	code, msg := env.ReturnCode, env.ReturnMessage
	if code == "" && env.ResponseError != nil {
		code, msg = env.ResponseError.ReturnCode, env.ResponseError.ReturnMessage
	}

	switch {
	case code == codeSuccess && status < 300:
		return nil
	case code != "":
		e.Code, e.Message = string(code), string(msg)
	case len(env.Error) > 0 && env.Error[0] == '{':
		var g gatewayError
		_ = json.Unmarshal(env.Error, &g) // shape already valid JSON; missing fields stay empty
		e.Code, e.Message = string(g.ErrorCode), string(g.Message)
		if g.Details != "" && g.Details != g.Message {
			e.Message = strings.TrimSpace(e.Message + ": " + string(g.Details))
		}
		// A route the gateway does not know is a wrong endpoint or base path.
		e.NotService = e.Code == "" || e.Code == gwRouteNotFound
	case len(env.Error) > 0 && env.Error[0] == '"':
		// A Spring-style error page ({"status":404,"error":"Not Found"}): a web server
		// answered, not the service's API.
		var s string
		_ = json.Unmarshal(env.Error, &s)
		e.Message = s
		if env.Message != "" && string(env.Message) != s {
			e.Message = strings.TrimSpace(s + ": " + string(env.Message))
		}
		e.NotService = true
	case cl.envelopeOptional && status < 300 && len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed):
		return nil // the list decoder decides (call.envelopeOptional)
	case len(trimmed) == 0 && status == http.StatusForbidden && v2:
		e.Message = v2SubAccountForbidMsg // the documented answer to sub-account keys
	default:
		e.NotService = true
		switch {
		case len(trimmed) == 0:
			e.Message = "empty response body (" + http.StatusText(status) + ")"
		case e.Message == "":
			e.Message = notServiceMsg + ": " + snippet(trimmed)
		}
	}
	if e.Message == "" {
		e.Message = string(msg)
	}
	if isAuth(e) || status == http.StatusForbidden {
		e.AccessKey = c.cfg.AccessKey
	}
	return e
}

// snippet keeps unexpected non-JSON error bodies short in messages.
func snippet(b []byte) string {
	const limit = 200
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return s
}
