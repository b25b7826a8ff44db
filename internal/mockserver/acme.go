package mockserver

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ACME External Account Binding credentials (API doc §6.6).

// firstAccountID is the first accountId the mock assigns (the guide's example is 59723).
const firstAccountID = 59001

// The rules the mock applies where the guide is silent (doc.go says why).
const (
	minEabValidityDays = 1
	maxEabValidityDays = 200
)

// eabAliasRule: 1–63 letters, digits, '.', '_' or '-', starting with a letter or digit.
var eabAliasRule = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// ACME account statuses (API doc §4.3).
const (
	eabPending     = "pending"
	eabValid       = "valid"
	eabDeactivated = "deactivated"
)

var (
	eabModes     = []string{"PRE", "DNS01"}
	eabTypeNames = map[string]string{"NPD_01": "Advanced DV", "NPO_01": "Advanced OV"}
)

const (
	msgNoAccount          = "No ACME account was found."
	msgAlreadyDeactivated = "The ACME account is already deactivated."
)

// eabAccount is one stored credential. Stored values are replaced, never changed in place.
type eabAccount struct {
	ID             int64
	Status         string
	Alias          string
	TypeCode       string // NPD_01 | NPO_01
	Mode           string // PRE | DNS01
	ValidityDays   int
	OrganizationNo string // OV only
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Kid            string
	HMACKey        string
	Used           bool
}

// eabStore holds the credentials apart from the certificate store: they share nothing.
type eabStore struct {
	mu       sync.Mutex
	next     int64
	accounts map[int64]eabAccount
	order    []int64 // ascending
}

func newEabStore() *eabStore {
	return &eabStore{next: firstAccountID, accounts: map[int64]eabAccount{}}
}

func (st *eabStore) add(a eabAccount) eabAccount {
	st.mu.Lock()
	defer st.mu.Unlock()
	a.ID = st.next
	st.next++
	st.accounts[a.ID] = a
	st.order = append(st.order, a.ID)
	return a
}

func (st *eabStore) list() []eabAccount {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]eabAccount, 0, len(st.order))
	for _, id := range st.order {
		out = append(out, st.accounts[id])
	}
	return out
}

func (st *eabStore) get(id int64) (eabAccount, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	a, ok := st.accounts[id]
	return a, ok
}

var (
	errNoAccount          = errors.New("no such ACME account")
	errAlreadyDeactivated = errors.New("ACME account already deactivated")
)

// update applies fn to account id under the lock.
func (st *eabStore) update(id int64, fn func(a *eabAccount) error) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	a, ok := st.accounts[id]
	if !ok {
		return errNoAccount
	}
	if err := fn(&a); err != nil {
		return err
	}
	st.accounts[id] = a
	return nil
}

func (st *eabStore) remove(id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.accounts[id]; !ok {
		return errNoAccount
	}
	delete(st.accounts, id)
	st.order = slices.DeleteFunc(st.order, func(n int64) bool { return n == id })
	return nil
}

func (st *eabStore) reset() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.next, st.accounts, st.order = firstAccountID, map[int64]eabAccount{}, nil
}

// randomToken is n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// eabCreateBody is CreateEabCredential's body; validityDays and organizationNo are read
// whether sent as numbers or strings.
type eabCreateBody struct {
	ValidationMode      string     `json:"validationMode"`
	CertificateTypeCode string     `json:"certificateTypeCode"`
	ValidityDays        flexString `json:"validityDays"`
	Alias               string     `json:"alias"`
	OrganizationNo      flexString `json:"organizationNo"`
}

type eabCreateAnswer struct {
	envelope
	TotalRows           int     `json:"totalRows"`
	Success             bool    `json:"success"`
	Message             *string `json:"message"`
	AccountID           int64   `json:"accountId"`
	Status              string  `json:"status"`
	EabKid              string  `json:"eabKid"`
	EabHmacKey          string  `json:"eabHmacKey"`
	Alias               string  `json:"alias"`
	CertificateTypeCode string  `json:"certificateTypeCode"`
	ValidationMode      string  `json:"validationMode"`
	ValidityDays        int     `json:"validityDays"`
	CreatedAt           string  `json:"createdAt"`
}

func (s *Server) v2CreateEabCredential(q *request) response {
	var b eabCreateBody
	if resp := q.decodeBody(&b); resp != nil {
		return *resp
	}
	switch {
	case b.ValidationMode == "":
		return validationError("validationMode is required.")
	case !slices.Contains(eabModes, b.ValidationMode):
		return validationError(`validationMode must be "PRE" or "DNS01".`)
	case b.CertificateTypeCode == "":
		return validationError("certificateTypeCode is required.")
	case eabTypeNames[b.CertificateTypeCode] == "":
		return validationError(`certificateTypeCode must be "NPD_01" or "NPO_01".`)
	case strings.TrimSpace(string(b.ValidityDays)) == "":
		return validationError("validityDays is required.")
	case b.Alias == "":
		return validationError("alias is required.")
	case !eabAliasRule.MatchString(b.Alias):
		return validationError("alias must be 1-63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.")
	}
	days, err := strconv.Atoi(strings.TrimSpace(string(b.ValidityDays)))
	if err != nil || days < minEabValidityDays || days > maxEabValidityDays {
		return validationError(fmt.Sprintf("validityDays must be an integer from %d to %d.", minEabValidityDays, maxEabValidityDays))
	}
	org := strings.TrimSpace(string(b.OrganizationNo))
	if b.CertificateTypeCode == "NPO_01" && org == "" {
		return validationError("organizationNo is required for an OV certificate (NPO_01).")
	}
	if b.CertificateTypeCode != "NPO_01" {
		org = "" // ignored for DV
	}
	now := s.now().Truncate(time.Second)
	a := s.eab.add(eabAccount{
		Status: eabPending, Alias: b.Alias, TypeCode: b.CertificateTypeCode, Mode: b.ValidationMode,
		ValidityDays: days, OrganizationNo: org, CreatedAt: now, UpdatedAt: now,
		Kid: "kid-" + randomToken(16), HMACKey: randomToken(32),
	})
	return ok(eabCreateAnswer{
		envelope: success(), TotalRows: 1, Success: true, AccountID: a.ID, Status: a.Status,
		EabKid: a.Kid, EabHmacKey: a.HMACKey, Alias: a.Alias, CertificateTypeCode: a.TypeCode,
		ValidationMode: a.Mode, ValidityDays: a.ValidityDays, CreatedAt: formatDate(a.CreatedAt),
	})
}

type eabListItem struct {
	AccountID           int64   `json:"accountId"`
	Status              string  `json:"status"`
	MemberNo            string  `json:"memberNo"`
	ContactEmail        *string `json:"contactEmail"`
	Alias               string  `json:"alias"`
	CertificateTypeName string  `json:"certificateTypeName"`
	CertificateTypeCode string  `json:"certificateTypeCode"`
	ValidationMode      string  `json:"validationMode"`
	ValidityDays        int     `json:"validityDays"`
	OrganizationName    *string `json:"organizationName"`
	OrganizationNo      *string `json:"organizationNo"`
	CreatedAt           string  `json:"createdAt"`
	UpdatedAt           string  `json:"updatedAt"`
	EabKid              string  `json:"eabKid"`
	EabHmacKey          string  `json:"eabHmacKey"`
	EabUsed             bool    `json:"eabUsed"`
	EabActive           bool    `json:"eabActive"`
}

type eabListAnswer struct {
	envelope
	TotalRows  int           `json:"totalRows"`
	Success    bool          `json:"success"`
	Message    *string       `json:"message"`
	TotalCount int           `json:"totalCount"`
	Accounts   []eabListItem `json:"accounts"`
}

// maskedHMACKey is what the list shows instead of a key: it is shown once, on create.
const maskedHMACKey = "********"

func (a eabAccount) listItem() eabListItem {
	it := eabListItem{
		AccountID: a.ID, Status: a.Status, MemberNo: memberNo, Alias: a.Alias,
		CertificateTypeName: eabTypeNames[a.TypeCode], CertificateTypeCode: a.TypeCode, ValidationMode: a.Mode,
		ValidityDays: a.ValidityDays, CreatedAt: formatDate(a.CreatedAt), UpdatedAt: formatDate(a.UpdatedAt),
		EabKid: a.Kid, EabHmacKey: maskedHMACKey, EabUsed: a.Used, EabActive: a.Status != eabDeactivated,
	}
	if a.OrganizationNo != "" {
		org, name := a.OrganizationNo, "Organization "+a.OrganizationNo
		it.OrganizationNo, it.OrganizationName = &org, &name
	}
	return it
}

// v2ListEabCredentials answers every credential: no paging (page and pageSize ignored).
func (s *Server) v2ListEabCredentials(*request) response {
	accounts := s.eab.list()
	items := make([]eabListItem, 0, len(accounts))
	for _, a := range accounts {
		items = append(items, a.listItem())
	}
	return ok(eabListAnswer{envelope: success(), Success: true, TotalCount: len(items), Accounts: items})
}

type eabDeactivateAnswer struct {
	envelope
	TotalRows int     `json:"totalRows"`
	Success   bool    `json:"success"`
	Message   *string `json:"message"`
	AccountID int64   `json:"accountId"`
	Status    string  `json:"status"`
}

func (s *Server) v2DeactivateEabCredential(q *request) response {
	id, err := strconv.ParseInt(q.params["accountId"], 10, 64)
	if err != nil {
		return serviceError(http.StatusOK, codeNotFound, msgNoAccount)
	}
	switch err := s.deactivateEab(id); {
	case errors.Is(err, errNoAccount):
		return serviceError(http.StatusOK, codeNotFound, msgNoAccount)
	case errors.Is(err, errAlreadyDeactivated):
		return validationError(msgAlreadyDeactivated)
	}
	return ok(eabDeactivateAnswer{envelope: success(), Success: true, AccountID: id, Status: eabDeactivated})
}

func (s *Server) deactivateEab(id int64) error {
	now := s.now().Truncate(time.Second)
	return s.eab.update(id, func(a *eabAccount) error {
		if a.Status == eabDeactivated {
			return errAlreadyDeactivated
		}
		a.Status, a.UpdatedAt = eabDeactivated, now
		return nil
	})
}

// EabCredentialInfo is a snapshot of one stored EAB credential, the HMAC key included.
type EabCredentialInfo struct {
	AccountID      int64
	Status         string // pending, valid, deactivated
	Alias          string
	TypeCode       string // NPD_01, NPO_01
	ValidationMode string // PRE, DNS01
	ValidityDays   int
	OrganizationNo string
	Kid            string
	HMACKey        string
	Used           bool
	CreatedAt      time.Time
}

// EabCredential returns a snapshot of credential id.
func (s *Server) EabCredential(id int64) (EabCredentialInfo, bool) {
	a, ok := s.eab.get(id)
	if !ok {
		return EabCredentialInfo{}, false
	}
	return EabCredentialInfo{
		AccountID: a.ID, Status: a.Status, Alias: a.Alias, TypeCode: a.TypeCode, ValidationMode: a.Mode,
		ValidityDays: a.ValidityDays, OrganizationNo: a.OrganizationNo, Kid: a.Kid, HMACKey: a.HMACKey,
		Used: a.Used, CreatedAt: a.CreatedAt,
	}, true
}

// EabCredentialIDs lists the stored credentials' account ids, ascending (deactivated ones too).
func (s *Server) EabCredentialIDs() []int64 {
	accounts := s.eab.list()
	out := make([]int64, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, a.ID)
	}
	return out
}

// UseEabCredential stands for an ACME client registering an account with credential id:
// eabUsed turns true and a pending credential turns valid.
func (s *Server) UseEabCredential(id int64) error {
	now := s.now().Truncate(time.Second)
	err := s.eab.update(id, func(a *eabAccount) error {
		if a.Status == eabPending {
			a.Status = eabValid
		}
		a.Used, a.UpdatedAt = true, now
		return nil
	})
	if err != nil {
		return fmt.Errorf("mockserver: EAB credential %d: %w", id, err)
	}
	return nil
}

// DeactivateEabCredential deactivates credential id as the console would.
func (s *Server) DeactivateEabCredential(id int64) error {
	if err := s.deactivateEab(id); err != nil {
		return fmt.Errorf("mockserver: EAB credential %d: %w", id, err)
	}
	return nil
}

// RemoveEabCredential makes credential id vanish from the list altogether (the API has no
// delete; this stands for a credential the service no longer has).
func (s *Server) RemoveEabCredential(id int64) error {
	if err := s.eab.remove(id); err != nil {
		return fmt.Errorf("mockserver: EAB credential %d: %w", id, err)
	}
	return nil
}
