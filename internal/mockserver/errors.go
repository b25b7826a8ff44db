package mockserver

import (
	"errors"
	"net/http"
)

// Service return codes (API doc §3.3).
const (
	codeBadPEM             = "1002"
	codeDeleteFailed       = "1004"
	codeNoCertificate      = "1006"
	codeValidation         = "2000"
	codeNotFound           = "2200"
	codeInvalidSANs        = "2201"
	codeInvalidCertificate = "26034"
	codeKeyMismatch        = "26040"
)

// Service messages (API doc §3.3; exact where the document knows them).
const (
	msgBadPEM             = "Unable to load certificate. Expecting PEM format file."
	msgInUse              = "Failed to delete the certificate. Delete the instance being used first or replace the certificate being used for the instance."
	msgDeleteMismatch     = "Failed to delete the certificate. No certificate was found with a matching with requested certificate name and certificate number."
	msgRenewMismatch      = "Failed to renew the certificate. No certificate was found with a matching with requested certificate name and certificate number."
	msgNoCertificate      = "No certificate exists."
	msgNotFound           = "No certificate was found."
	msgInvalidCertificate = "The certificate is invalid."
	msgKeyMismatch        = "Public key in certificate does not match the private key."
	msgNameRule           = "can only contain 3-20 English alphabet, numbers, and '-' and must start with an alphabetic character"
	msgNameTaken          = "certificateName is already in use"
	msgInvalidSANs        = "Invalid DNS SANs input format."
	msgNotIssued          = "The certificate has not been issued yet."
	msgNoDomain           = "No domain validation information was found for the domain."
)

// codeError is a Certificate Manager service error carried as a Go error.
type codeError struct {
	status  int
	code    string
	message string
}

func (e *codeError) Error() string { return e.code + ": " + e.message }

// Upload errors, answered with HTTP 200 and the code.
var (
	errBadPEM             = &codeError{http.StatusOK, codeBadPEM, msgBadPEM}
	errInvalidCertificate = &codeError{http.StatusOK, codeInvalidCertificate, msgInvalidCertificate}
	errKeyMismatch        = &codeError{http.StatusOK, codeKeyMismatch, msgKeyMismatch}
)

// Refusals of operations on the wrong kind of certificate: HTTP 400, returnCode 2000.
var (
	errRenewNotExternal = &codeError{http.StatusBadRequest, codeValidation, "Only external certificates can be renewed through withExternal."}
	errRenewalExternal  = &codeError{http.StatusBadRequest, codeValidation, "Automatic renewal is available only for Cloud Basic and Global Edge certificates, not for external certificates."}
	errNotIssued        = &codeError{http.StatusBadRequest, codeValidation, msgNotIssued}
)

// Store errors; each operation picks the code it answers with (see errorResponse).
var (
	errNoSuchCertificate = errors.New("no such certificate")
	errNameMismatch      = errors.New("certificate name does not match the number")
	errInUse             = errors.New("certificate in use")
	errNameTaken         = errors.New("certificate name already in use")
	errUnknownStatus     = errors.New("unknown status name")
)

// errorResponse maps an error to the service's answer. notFound is the response for
// errNoSuchCertificate (1006 on delete, 2200 elsewhere); mismatch the one for errNameMismatch.
func errorResponse(err error, notFound, mismatch response) response {
	var ce *codeError
	switch {
	case errors.As(err, &ce):
		return serviceError(ce.status, ce.code, ce.message)
	case errors.Is(err, errNoSuchCertificate):
		return notFound
	case errors.Is(err, errNameMismatch):
		return mismatch
	case errors.Is(err, errInUse):
		return serviceError(http.StatusOK, codeDeleteFailed, msgInUse)
	case errors.Is(err, errNameTaken):
		return validationError(msgNameTaken)
	default:
		return serviceError(http.StatusInternalServerError, "900", err.Error())
	}
}

var (
	notFound2200       = serviceError(http.StatusOK, codeNotFound, msgNotFound)
	notFound1006       = serviceError(http.StatusOK, codeNoCertificate, msgNoCertificate)
	deleteMismatch1004 = serviceError(http.StatusOK, codeDeleteFailed, msgDeleteMismatch)
	renewMismatch1004  = serviceError(http.StatusOK, codeDeleteFailed, msgRenewMismatch)
)
