package client

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// ACME External Account Binding credentials (API doc §6.6).

const (
	opCreateEabCredential     = "CreateEabCredential"
	opListEabCredentials      = "ListEabCredentials"
	opDeactivateEabCredential = "DeactivateEabCredential"
)

// Wire codes of CreateEabCredential (API doc §4.2, §4.3).
const (
	EabModePreValidated = "PRE"
	EabModeDNS01        = "DNS01"
	EabTypeDV           = "NPD_01"
	EabTypeOV           = "NPO_01"
	// EabStatusDeactivated is the status of a credential that can no longer be used.
	EabStatusDeactivated = "deactivated"
)

// EabCredential is one ACME EAB credential. Fields the service did not report are empty:
// the list's documented fields end with "…" (API doc §9), so type, mode and organization
// may be missing.
type EabCredential struct {
	AccountID        int64
	Status           string // pending, valid, deactivated
	Alias            string
	CertificateType  string // EabTypeDV, EabTypeOV; "" when unknown
	ValidationMode   string // EabModePreValidated, EabModeDNS01; "" when not reported
	ValidityDays     int64  // 0 when not reported
	OrganizationNo   string // "" when not reported (OV only)
	OrganizationName string
	Kid              string
	// HMACKey is set only from CreateEabCredential's answer: the list masks it.
	HMACKey   string
	Used      bool
	CreatedAt time.Time // zero when unknown
	UpdatedAt time.Time
}

// Deactivated reports a credential that can no longer be used.
func (e EabCredential) Deactivated() bool { return strings.EqualFold(e.Status, EabStatusDeactivated) }

// wireEab is a ListEabCredentials item and CreateEabCredential's answer.
type wireEab struct {
	AccountID           flexInt    `json:"accountId"`
	Status              flexString `json:"status"`
	Alias               flexString `json:"alias"`
	CertificateTypeCode flexString `json:"certificateTypeCode"`
	CertificateTypeName flexString `json:"certificateTypeName"`
	ValidationMode      flexString `json:"validationMode"`
	ValidityDays        flexInt    `json:"validityDays"`
	OrganizationNo      flexString `json:"organizationNo"`
	OrganizationName    flexString `json:"organizationName"`
	CreatedAt           flexTime   `json:"createdAt"`
	UpdatedAt           flexTime   `json:"updatedAt"`
	EabKid              flexString `json:"eabKid"`
	EabHmacKey          flexString `json:"eabHmacKey"`
	EabUsed             flexString `json:"eabUsed"`
	EabActive           flexString `json:"eabActive"`
}

func (w *wireEab) credential() EabCredential {
	e := EabCredential{
		AccountID:        w.AccountID.v,
		Status:           strings.TrimSpace(string(w.Status)),
		Alias:            string(w.Alias),
		CertificateType:  eabTypeCode(string(w.CertificateTypeCode), string(w.CertificateTypeName)),
		ValidationMode:   strings.ToUpper(strings.TrimSpace(string(w.ValidationMode))),
		ValidityDays:     w.ValidityDays.v,
		OrganizationNo:   strings.TrimSpace(string(w.OrganizationNo)),
		OrganizationName: string(w.OrganizationName),
		Kid:              string(w.EabKid),
		CreatedAt:        time.Time(w.CreatedAt),
		UpdatedAt:        time.Time(w.UpdatedAt),
	}
	e.Used, _ = parseYn(string(w.EabUsed))
	// A credential reported inactive with no status label is deactivated all the same.
	if active, known := parseYn(string(w.EabActive)); known && !active && e.Status == "" {
		e.Status = EabStatusDeactivated
	}
	return e
}

// eabTypeCode reads the type from its code, else from its name ("Advanced DV", "NPO_01").
func eabTypeCode(code, name string) string {
	for _, s := range []string{code, name} {
		s = strings.ToUpper(strings.TrimSpace(s))
		switch {
		case s == EabTypeDV || s == EabTypeOV:
			return s
		case strings.Contains(s, "OV"):
			return EabTypeOV
		case strings.Contains(s, "DV"):
			return EabTypeDV
		}
	}
	return ""
}

type eabListResponse struct {
	TotalRows  flexInt            `json:"totalRows"`
	TotalCount flexInt            `json:"totalCount"`
	Accounts   flexArray[wireEab] `json:"accounts"`
}

func (r *eabListResponse) missingList() string {
	if r.Accounts.present {
		return ""
	}
	return "accounts"
}

// ListEabCredentials lists every EAB credential, deactivated ones included when the service
// lists them. It has no paging (API doc §6.6). An answer without the accounts field is an
// error: it proves nothing about what exists.
func (c *Client) ListEabCredentials(ctx context.Context) ([]EabCredential, error) {
	var resp eabListResponse
	cl := call{op: opListEabCredentials, method: http.MethodGet, path: "/api/v2/acme/accounts", needList: true}
	if _, err := c.do(ctx, cl, &resp); err != nil {
		return nil, err
	}
	out := make([]EabCredential, 0, len(resp.Accounts.items))
	for i := range resp.Accounts.items {
		if e := resp.Accounts.items[i].credential(); e.AccountID != 0 {
			out = append(out, e)
		}
	}
	return out, nil
}

// ReadEabCredential finds credential id in ListEabCredentials. nil, nil means the service
// answered a well-formed list without it: the only evidence that it is gone.
func (c *Client) ReadEabCredential(ctx context.Context, id int64) (*EabCredential, error) {
	all, err := c.ListEabCredentials(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].AccountID == id {
			return &all[i], nil
		}
	}
	return nil, nil
}

// EabCredentialInput is a CreateEabCredential request.
type EabCredentialInput struct {
	ValidationMode  string // EabModePreValidated | EabModeDNS01
	CertificateType string // EabTypeDV | EabTypeOV
	ValidityDays    int64
	Alias           string
	OrganizationNo  string // OV only; sent as a string (API doc §6.6)
}

type eabCreateBody struct {
	ValidationMode      string `json:"validationMode"`
	CertificateTypeCode string `json:"certificateTypeCode"`
	ValidityDays        int64  `json:"validityDays"`
	Alias               string `json:"alias"`
	OrganizationNo      string `json:"organizationNo,omitempty"`
}

// EabAliasInUseError: a credential this create cannot call its own holds the alias. Before
// the create it names the active credentials with that alias (nothing was sent); after a
// lost answer, the credentials with that alias that appeared meanwhile but do not prove to
// be this create's (another type, or more than one).
type EabAliasInUseError struct {
	Alias           string
	Existing        []EabCredential
	AfterLostAnswer bool
	Err             error // the lost answer's error, after one
}

func (e *EabAliasInUseError) Error() string {
	ids := make([]string, 0, len(e.Existing))
	for _, x := range e.Existing {
		ids = append(ids, fmt.Sprintf("%d (%s)", x.AccountID, x.Status))
	}
	if e.AfterLostAnswer {
		return fmt.Sprintf("%s: the answer was lost (%v), and afterwards alias %q is held by EAB credential(s) %s, which cannot be proven to be this request's",
			opCreateEabCredential, e.Err, e.Alias, strings.Join(ids, ", "))
	}
	return fmt.Sprintf("%s: alias %q is already used by EAB credential(s) %s; nothing was sent", opCreateEabCredential, e.Alias, strings.Join(ids, ", "))
}

func (e *EabAliasInUseError) Unwrap() error { return e.Err }

// CreatedEab is the credential a create made. Adopted: its answer was lost and the
// credential was found afterwards, so HMACKey is empty (only the lost answer held it).
type CreatedEab struct {
	Credential EabCredential
	Adopted    bool
}

// CreateEabCredential creates an EAB credential, never two. First it lists the credentials:
// an active one with the same alias is an *EabAliasInUseError and nothing is sent. When the
// answer is lost (dropped connection, 5xx, no usable answer) it lists them again: exactly
// one credential with the alias that was not there before, of the requested type, mode and
// validity (where the list reports them) and created after the create began on the
// service's clock, is adopted; none at all means the request did not land, and it is sent
// again (at most MaxRetries times); anything else is an *EabAliasInUseError.
func (c *Client) CreateEabCredential(ctx context.Context, in EabCredentialInput) (*CreatedEab, error) {
	before, err := c.ListEabCredentials(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: checking the alias before creating failed: %w", opCreateEabCredential, err)
	}
	var holders []EabCredential
	known := map[int64]bool{}
	for _, e := range before {
		known[e.AccountID] = true
		if e.Alias == in.Alias && !e.Deactivated() {
			holders = append(holders, e)
		}
	}
	if len(holders) > 0 {
		return nil, &EabAliasInUseError{Alias: in.Alias, Existing: holders}
	}
	body := eabCreateBody{ValidationMode: in.ValidationMode, CertificateTypeCode: in.CertificateType,
		ValidityDays: in.ValidityDays, Alias: in.Alias, OrganizationNo: in.OrganizationNo}
	cl := call{op: opCreateEabCredential, method: http.MethodPost, path: "/api/v2/acme/account", body: body}
	started := c.cfg.Now()
	for resend := 0; ; resend++ {
		var answer wireEab
		_, err := c.do(ctx, cl, &answer)
		if err == nil {
			created := answer.credential()
			created.HMACKey = string(answer.EabHmacKey)
			if created.AccountID != 0 {
				return &CreatedEab{Credential: created}, nil
			}
			// Accepted without an id: find it like a lost answer, keeping the key it sent.
			err = &UncertainError{Operation: cl.op, Err: fmt.Errorf("a success answer without accountId")}
			found, lerr := c.findCreatedEab(ctx, in, known, started, err)
			switch {
			case lerr != nil:
				return nil, lerr
			case found == nil:
				return nil, fmt.Errorf("%s succeeded, but no credential with alias %q could be found afterwards", cl.op, in.Alias)
			}
			found.Credential.HMACKey, found.Adopted = created.HMACKey, created.HMACKey == ""
			return found, nil
		}
		if ctx.Err() != nil || !IsUncertain(err) {
			return nil, err // a definite refusal: nothing was created
		}
		found, lerr := c.findCreatedEab(ctx, in, known, started, err)
		if found != nil || lerr != nil {
			return found, lerr
		}
		if resend >= c.cfg.MaxRetries {
			return nil, err
		}
		tflog.Debug(ctx, "Earlier attempt did not land; sending it again", map[string]any{"operation": cl.op, "resend": resend + 1})
		if serr := sleep(ctx, c.operationBackoff(resend)); serr != nil {
			return nil, err
		}
	}
}

// findCreatedEab looks for the credential an uncertain create may have made: nil, nil when
// the list proves it did not land.
func (c *Client) findCreatedEab(ctx context.Context, in EabCredentialInput, known map[int64]bool, started time.Time, cause error) (*CreatedEab, error) {
	all, err := c.ListEabCredentials(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w (checking for the credential afterwards failed too: %w)", cause, err)
	}
	since, tolerance := c.ServiceTime(started)
	var fresh, proven []EabCredential
	for _, e := range all {
		if e.Alias != in.Alias || known[e.AccountID] {
			continue
		}
		fresh = append(fresh, e)
		if sameEab(e, in) && (e.CreatedAt.IsZero() || provenSince(e.CreatedAt, since, tolerance)) {
			proven = append(proven, e)
		}
	}
	switch {
	case len(fresh) == 0:
		return nil, nil
	case len(proven) == 1 && len(fresh) == 1:
		tflog.Info(ctx, "Adopted the EAB credential this create made before its answer was lost",
			map[string]any{"operation": opCreateEabCredential, "account_id": strconv.FormatInt(proven[0].AccountID, 10)})
		return &CreatedEab{Credential: proven[0], Adopted: true}, nil
	}
	return nil, &EabAliasInUseError{Alias: in.Alias, Existing: fresh, AfterLostAnswer: true, Err: cause}
}

// sameEab is the proof that e is what in asks for, on every field the list reports.
func sameEab(e EabCredential, in EabCredentialInput) bool {
	return (e.CertificateType == "" || e.CertificateType == in.CertificateType) &&
		(e.ValidationMode == "" || e.ValidationMode == in.ValidationMode) &&
		(e.ValidityDays == 0 || e.ValidityDays == in.ValidityDays) &&
		(e.OrganizationNo == "" || e.OrganizationNo == in.OrganizationNo)
}

// DeactivateOutcome says what DeactivateEabCredential found.
type DeactivateOutcome int

const (
	EabDeactivatedNow     DeactivateOutcome = iota // this call deactivated it
	EabAlreadyDeactivated                          // the service lists it deactivated
	EabMissing                                     // the service no longer has it
)

type eabDeactivateAnswer struct {
	Status flexString `json:"status"`
}

// DeactivateEabCredential deactivates credential id for good. A refusal or a lost answer is
// settled by the list: listed deactivated, or absent from a well-formed list (or answered
// 2200), is success, and the outcome says which.
func (c *Client) DeactivateEabCredential(ctx context.Context, id int64) (DeactivateOutcome, error) {
	cl := call{op: opDeactivateEabCredential, method: http.MethodPost,
		path: "/api/v2/acme/account/" + strconv.FormatInt(id, 10) + "/deactivate", idempotent: true}
	var answer eabDeactivateAnswer
	_, err := c.do(ctx, cl, &answer)
	switch {
	case err == nil:
		return EabDeactivatedNow, nil
	case IsNotFound(err):
		return EabMissing, nil
	case ctx.Err() != nil || IsAuth(err) || IsThrottled(err) || IsForbidden(err):
		return 0, err
	}
	found, lerr := c.ReadEabCredential(ctx, id)
	switch {
	case lerr != nil:
		return 0, fmt.Errorf("%w (checking the credential afterwards failed too: %w)", err, lerr)
	case found == nil:
		return EabMissing, nil
	case found.Deactivated():
		return EabAlreadyDeactivated, nil
	}
	return 0, err
}
