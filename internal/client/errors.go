package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is any failure the service or gateway reported.
type APIError struct {
	Operation  string // API doc operation name, e.g. "createExternalCertificate"
	HTTPStatus int
	Code       string // returnCode or gateway errorCode ("" when the body had none)
	Message    string
	AccessKey  string // set on auth failures so the message can name it

	// serviceNotFound: a 404 in the service's own JSON shape. A 404 page from a proxy or a
	// wrong endpoint is not "the certificate is gone", or Read would drop every resource.
	serviceNotFound bool
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
	InstanceNos   []string
	Err           error // the last *APIError
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("certificate %d is still in use by instance(s) %s: detach it from them (or replace it there) and retry",
		e.CertificateNo, strings.Join(e.InstanceNos, ", "))
}

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
	gwAuthFailed          = "200"
	gwPermissionDenied    = "210"
	gwRouteNotFound       = "300"
	gwQuotaExceeded       = "400"
	gwThrottleLimited     = "410"
	gwRateLimited         = "420"
	v2SubAccountForbidMsg = "empty response body: API 2.0 (/api/v2) accepts only main-account API keys and answers HTTP 403 to sub-account keys; use a main-account access key"
)

func asAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound: 2200, 1006, or the service's own JSON 404. A gateway "route not found" 404
// (code 300) or a proxy's 404 page is excluded: it means a wrong endpoint, and treating it
// as "gone" would make Read drop every resource.
func IsNotFound(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	switch {
	case e.Code == codeNotFound || e.Code == codeNoCertExists:
		return true
	case e.HTTPStatus == http.StatusNotFound:
		return e.serviceNotFound
	}
	return false
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

// checkResponse turns a response into an *APIError, or nil when it reports success:
// HTTP 2xx and no non-"0" returnCode and no gateway error.
func (c *Client) checkResponse(op string, v2 bool, status int, body []byte) *APIError {
	e := &APIError{Operation: op, HTTPStatus: status}
	trimmed := bytes.TrimSpace(body)
	var env errorEnvelope
	if len(trimmed) > 0 && json.Unmarshal(trimmed, &env) != nil {
		// Not JSON (a proxy's HTML page, say): only the status can tell.
		env = errorEnvelope{}
		if status < 300 {
			return nil // the caller's decoder reports the unreadable body
		}
		e.Message = snippet(trimmed)
	}

	switch {
	case env.ReturnCode != "" && env.ReturnCode != codeSuccess:
		e.Code, e.Message = string(env.ReturnCode), string(env.ReturnMessage)
	case env.ResponseError != nil && env.ResponseError.ReturnCode != "" && env.ResponseError.ReturnCode != codeSuccess:
		e.Code, e.Message = string(env.ResponseError.ReturnCode), string(env.ResponseError.ReturnMessage)
	case len(env.Error) > 0 && env.Error[0] == '{':
		var g gatewayError
		_ = json.Unmarshal(env.Error, &g) // shape already valid JSON; missing fields stay empty
		e.Code, e.Message = string(g.ErrorCode), string(g.Message)
		if g.Details != "" && g.Details != g.Message {
			e.Message = strings.TrimSpace(e.Message + ": " + string(g.Details))
		}
		if e.Code == "" && e.Message == "" && status < 300 {
			return nil
		}
	case len(env.Error) > 0 && env.Error[0] == '"':
		var s string
		_ = json.Unmarshal(env.Error, &s)
		e.Message = s
		if env.Message != "" && string(env.Message) != s {
			e.Message = strings.TrimSpace(s + ": " + string(env.Message))
		}
		if status < 300 {
			return nil // a string "error" on 2xx is not an envelope we know
		}
		e.serviceNotFound = status == http.StatusNotFound
	case status < 300:
		return nil
	case len(trimmed) == 0 && status == http.StatusForbidden && v2:
		e.Message = v2SubAccountForbidMsg
	case e.Message == "" && env.ReturnMessage != "":
		e.Message = string(env.ReturnMessage)
	}
	if e.Message == "" && len(trimmed) == 0 {
		e.Message = "empty response body (" + http.StatusText(status) + ")"
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
