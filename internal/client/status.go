package client

import (
	"strconv"
	"strings"
)

// Status labels of API doc §4.1 (statusName as the mock sends it; the real service's exact
// strings are unconfirmed, so unknown labels are kept verbatim and classified by code).
const (
	StatusOngoing                      = "ONGOING"
	StatusNormal                       = "NORMAL"
	StatusNormalUnregisteredPrivateKey = "NORMAL_UNREGISTERED_PRIVATE_KEY"
	StatusNormalGlobalEdgeDedicated    = "NORMAL_GLOBAL_EDGE_DEDICATED"
	StatusFailed                       = "FAILED"
	StatusExpire                       = "EXPIRE"
	StatusValidationFailed             = "VALIDATION_FAILED"
	StatusValidationExpire             = "VALIDATION_EXPIRE"
	StatusRevoke                       = "REVOKE"
	StatusDeleted                      = "DELETED"
	StatusRequestRevoke                = "REQUEST_REVOKE"
	StatusFailedLint                   = "FAILED (LINT)"
)

// statusCodes is the one status mapping of the client: label ↔ code (API doc §4.1). Codes
// -12 and -20 exist but their labels could not be read.
var statusCodes = map[string]int{
	StatusOngoing: 0, StatusNormal: 1, StatusNormalUnregisteredPrivateKey: 2, StatusNormalGlobalEdgeDedicated: 3,
	StatusFailed: -1, StatusExpire: -2, StatusValidationFailed: -3, StatusValidationExpire: -4,
	StatusRevoke: -5, StatusDeleted: -6, StatusRequestRevoke: -7, StatusFailedLint: -11,
}

var statusLabels = func() map[int]string {
	m := make(map[int]string, len(statusCodes))
	for label, code := range statusCodes {
		m[code] = label
	}
	return m
}()

// StatusLabel is the label to show for a status: statusName verbatim when the service sent
// one (API doc §8), else the label of statusCode, else the code itself.
func StatusLabel(code, name string) string {
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	if n, ok := statusNumber(code, ""); ok {
		if l, known := statusLabels[n]; known {
			return l
		}
	}
	return strings.TrimSpace(code)
}

// statusNumber resolves a status to its code: from a known label first (the label is what
// the documentation describes), else from a numeric statusCode (a string or a number on the
// wire, both decoded to text).
func statusNumber(code, name string) (int, bool) {
	if n, ok := statusCodes[strings.ToUpper(strings.TrimSpace(name))]; ok {
		return n, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(code))
	return n, err == nil
}

// IsIssuedStatus: the certificate exists as an X.509 certificate that can be used or
// completed: NORMAL (1), NORMAL_UNREGISTERED_PRIVATE_KEY (2, its key still to register),
// NORMAL_GLOBAL_EDGE_DEDICATED (3).
func IsIssuedStatus(code, name string) bool {
	n, ok := statusNumber(code, name)
	return ok && n >= 1 && n <= 3
}

// IsTerminalStatus: a status the certificate never leaves towards issuance: every negative
// code of §4.1 (FAILED, EXPIRE, VALIDATION_FAILED, VALIDATION_EXPIRE, REVOKE, DELETED,
// REQUEST_REVOKE, FAILED (LINT), and the unlabelled -12 and -20).
func IsTerminalStatus(code, name string) bool {
	n, ok := statusNumber(code, name)
	return ok && n < 0
}

// IsFailedRequestStatus: a request that ended without a certificate (FAILED, FAILED (LINT),
// VALIDATION_FAILED, VALIDATION_EXPIRE): a new request is the way forward. EXPIRE and
// REVOKE are not among them: those certificates were issued.
func IsFailedRequestStatus(code, name string) bool {
	n, ok := statusNumber(code, name)
	return ok && (n == -1 || n == -3 || n == -4 || n == -11)
}

// Status is the certificate's status label (see StatusLabel).
func (c Certificate) Status() string { return StatusLabel(c.StatusCode, c.StatusName) }

// Issued reports IsIssuedStatus for the certificate.
func (c Certificate) Issued() bool { return IsIssuedStatus(c.StatusCode, c.StatusName) }

// PrivateKeyRegistered: for an issued certificate (IsIssuedStatus), whether its private key
// is registered (NORMAL_UNREGISTERED_PRIVATE_KEY is the one issued status without it); known
// is false for every other status: not issued yet, failed, or past use (EXPIRE, REVOKE, …),
// where the service no longer says.
func (c Certificate) PrivateKeyRegistered() (registered, known bool) {
	n, ok := statusNumber(c.StatusCode, c.StatusName)
	if !ok || n < 1 || n > 3 {
		return false, false
	}
	return n != statusCodes[StatusNormalUnregisteredPrivateKey], true
}

// Terminal reports IsTerminalStatus for the certificate.
func (c Certificate) Terminal() bool { return IsTerminalStatus(c.StatusCode, c.StatusName) }
