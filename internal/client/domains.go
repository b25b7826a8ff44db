package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Pre-validated domains (API doc §6.5): RegisterDomain, ListDomainValidations, DeleteDomain.

const (
	opRegisterDomain        = "RegisterDomain"
	opListDomainValidations = "ListDomainValidations"
	opDeleteDomain          = "DeleteDomain"
	domainsPath             = "/api/v2/domain/domains"
)

// Wire values of a domain registration (API doc §4.3).
const (
	DcvTypePersistentTXT = "PTXT"
	DcvTypeTXT           = "TXT"
	IssueTypeConsole     = "CONSOLE"
	IssueTypeACME        = "ACME"
	DomainPending        = "PENDING"
	DomainValid          = "VALID"
	DomainInvalid        = "INVALID"
)

// DomainValidation is a registered (pre-validated) domain, decoded tolerantly: only dmnId,
// memberNo, domainAddress and dcvType are documented (§9.6), so anything else may be missing.
type DomainValidation struct {
	ID           int64
	MemberNo     string
	Domain       string // domainAddress as sent
	DcvType      string // PTXT | TXT, verbatim
	IssueType    string // CONSOLE | ACME, verbatim; "" when not reported
	OrgNo        int64  // 0 when none or not reported
	ValidState   string // PENDING | VALID | INVALID, verbatim; "" when not reported
	RecordName   string // the DNS record to publish; "" when not reported
	RecordType   string // upper case; TXT when a record is reported without a type
	RecordValues []string
	RegisteredAt time.Time // zero when not reported
	ValidatedAt  time.Time
}

// RegisteredSince reports whether the registration provably happened at or after t, a time on
// the service's clock known to within tolerance (see ServiceTime); no date proves nothing.
func (d DomainValidation) RegisteredSince(t time.Time, tolerance time.Duration) bool {
	return provenSince(d.RegisteredAt, t, tolerance)
}

// HasRecord reports whether the service described the record that validates the domain.
func (d DomainValidation) HasRecord() bool { return d.RecordName != "" && len(d.RecordValues) > 0 }

// wireDomain is a domainVldList item, with plausible alternative spellings.
type wireDomain struct {
	DmnID         flexInt    `json:"dmnId"`
	DomainID      flexInt    `json:"domainId"`
	MemberNo      flexString `json:"memberNo"`
	DomainAddress flexString `json:"domainAddress"`
	DmnAddr       flexString `json:"dmnAddr"`
	DcvType       flexString `json:"dcvType"`
	IssueType     flexString `json:"issueType"`
	OrgNo         flexInt    `json:"orgNo"`
	ValidState    flexString `json:"validState"`
	ValidStatus   flexString `json:"validStatus"`
	TxtName       flexString `json:"txtName"`
	RecordName    flexString `json:"recordName"`
	TxtValue      dcvValues  `json:"txtValue"`
	RecordValue   dcvValues  `json:"recordValue"`
	RecordType    flexString `json:"recordType"`
	RegDate       flexTime   `json:"regDate"`
	ValidDate     flexTime   `json:"validDate"`
}

func (w *wireDomain) id() int64 {
	if w.DmnID.v != 0 {
		return w.DmnID.v
	}
	return w.DomainID.v
}

func (w *wireDomain) domain() DomainValidation {
	d := DomainValidation{
		ID:           w.id(),
		MemberNo:     strings.TrimSpace(string(w.MemberNo)),
		Domain:       strings.TrimSpace(firstNonEmpty(w.DomainAddress, w.DmnAddr)),
		DcvType:      strings.ToUpper(strings.TrimSpace(string(w.DcvType))),
		IssueType:    strings.ToUpper(strings.TrimSpace(string(w.IssueType))),
		OrgNo:        w.OrgNo.v,
		ValidState:   strings.ToUpper(strings.TrimSpace(firstNonEmpty(w.ValidState, w.ValidStatus))),
		RecordName:   strings.TrimSpace(firstNonEmpty(w.TxtName, w.RecordName)),
		RecordType:   strings.ToUpper(strings.TrimSpace(string(w.RecordType))),
		RecordValues: append([]string{}, firstValues(w.TxtValue, w.RecordValue)...),
		RegisteredAt: time.Time(w.RegDate),
		ValidatedAt:  time.Time(w.ValidDate),
	}
	if d.RecordType == "" && d.RecordName != "" {
		d.RecordType = "TXT" // both dcvTypes are TXT records
	}
	return d
}

// domainsResponse is the answer of all three operations: RegisterDomain's is not documented,
// so its item is accepted in domainVldList, in domainVld, or as top-level fields.
type domainsResponse struct {
	wireDomain
	TotalRows flexInt               `json:"totalRows"`
	List      flexArray[wireDomain] `json:"domainVldList"`
	One       flexArray[wireDomain] `json:"domainVld"`
}

func (r *domainsResponse) missingList() string {
	if r.List.present {
		return ""
	}
	return "domainVldList"
}

func (r *domainsResponse) keys() []string {
	out := make([]string, len(r.List.items))
	for i := range r.List.items {
		w := &r.List.items[i]
		out[i] = strconv.FormatInt(w.id(), 10) + "/" + firstNonEmpty(w.DomainAddress, w.DmnAddr) + "/" + string(w.DcvType)
	}
	return out
}

// grandTotal: totalRows is ListDomainValidations' documented count. Read as the count of
// this page it would equal the page's items, so it counts as a grand total when it exceeds
// them, or equals them on a page shorter than asked for (then both readings say "complete"
// unless the service ignores pageSize): a refresh of one domain stays one request.
func (r *domainsResponse) grandTotal(pageItems int) (int64, bool) {
	if r.TotalRows.set && r.TotalRows.v == int64(pageItems) && pageItems < listPageSize {
		return r.TotalRows.v, true
	}
	return (&listResponse{TotalRows: r.TotalRows}).grandTotal(pageItems)
}

// DomainFilter narrows ListDomainValidations (zero fields do not filter).
type DomainFilter struct {
	Domain     string
	DcvType    string
	OrgNo      int64
	ValidState string
	IssueType  string // not a service filter: applied here only
}

func (f DomainFilter) query() url.Values {
	q := url.Values{}
	if f.Domain != "" {
		q.Set("domainAddress", f.Domain)
	}
	if f.DcvType != "" {
		q.Set("dcvType", f.DcvType)
	}
	if f.OrgNo != 0 {
		q.Set("orgNo", strconv.FormatInt(f.OrgNo, 10))
	}
	if f.ValidState != "" {
		q.Set("validState", f.ValidState)
	}
	return q
}

// match applies f exactly, in case the service filters loosely (or not at all); a field the
// service did not report does not exclude.
func (f DomainFilter) match(d DomainValidation) bool {
	return (f.Domain == "" || sameDomain(d.Domain, f.Domain)) &&
		(f.DcvType == "" || d.DcvType == "" || d.DcvType == f.DcvType) &&
		(f.OrgNo == 0 || d.OrgNo == 0 || d.OrgNo == f.OrgNo) &&
		(f.ValidState == "" || d.ValidState == "" || d.ValidState == f.ValidState) &&
		(f.IssueType == "" || d.IssueType == "" || d.IssueType == f.IssueType)
}

func sameDomain(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// ListDomainValidations is ListDomainValidations over all pages (pageSize 100, the largest
// the service serves), filtered by f on the server and here. complete reports whether every
// page was read, which a "not in the list" conclusion needs.
func (c *Client) ListDomainValidations(ctx context.Context, f DomainFilter) (list []DomainValidation, complete bool, err error) {
	list = []DomainValidation{}
	complete, err = c.pages(ctx, opListDomainValidations, domainsPath, f.query(),
		func() pageAnswer { return &domainsResponse{} },
		func(p pageAnswer, i int) {
			if d := p.(*domainsResponse).List.items[i].domain(); f.match(d) {
				list = append(list, d)
			}
		})
	if err != nil {
		return nil, false, err
	}
	return list, complete, nil
}

// ReadDomainValidation finds domain id in the list; hint (its domain and dcvType, when known)
// narrows the listing to one request. Absent from a complete listing is a not-found
// *APIError (IsNotFound); an incomplete one is an error, never "absent".
func (c *Client) ReadDomainValidation(ctx context.Context, id int64, hint DomainFilter) (*DomainValidation, error) {
	list, complete, err := c.ListDomainValidations(ctx, DomainFilter{Domain: hint.Domain, DcvType: hint.DcvType})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	if !complete {
		return nil, fmt.Errorf("%s: the service's pages ended before its totalRows, or repeated a full page: the list is incomplete, so it proves nothing about domain %d", opListDomainValidations, id)
	}
	return nil, &APIError{Operation: opListDomainValidations, HTTPStatus: http.StatusOK, Code: codeNotFound,
		Message: fmt.Sprintf("The domain does not exist. (dmnId %d is not in the list)", id)}
}

// DomainInput registers a domain.
type DomainInput struct {
	Domain    string
	DcvType   string // DcvTypePersistentTXT or DcvTypeTXT
	IssueType string // IssueTypeConsole or IssueTypeACME
	OrgNo     int64  // 0: not sent
}

type registerDomainBody struct {
	DmnAddr   string `json:"dmnAddr"`
	DcvType   string `json:"dcvType"`
	IssueType string `json:"issueType"`
	OrgNo     int64  `json:"orgNo,omitempty"`
}

// DomainTakenError: the domain is already registered with this dcvType (and issueType, where
// the service reports it), by a registration
// this call did not make (or cannot prove it made).
type DomainTakenError struct {
	Domain    string
	DcvType   string
	IssueType string
	Existing  DomainValidation
	// Unproven: it may be this call's own lost success, but the service gave no registration
	// date after the call began to prove it.
	Unproven bool
	Err      error
}

func (e *DomainTakenError) Error() string {
	msg := fmt.Sprintf("domain %q is already registered with dcvType %s and issueType %s (dmnId %d)", e.Domain, e.DcvType, e.IssueType, e.Existing.ID)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *DomainTakenError) Unwrap() error { return e.Err }

// IsDomainTaken reports a *DomainTakenError.
func IsDomainTaken(err error) bool {
	var e *DomainTakenError
	return errors.As(err, &e)
}

// RegisterDomain is RegisterDomain, safe against lost answers and never taking over a
// registration it did not make. After an uncertain outcome it looks the domain and dcvType
// up: a registration dated after this call began is its own lost success (adopted); none
// means the POST did not land (sent again, at most MaxRetries times); an older one, or one
// without a date, is a *DomainTakenError. A refusal with the domain registered is a
// *DomainTakenError too. An answer without dmnId is completed by the same look-up.
func (c *Client) RegisterDomain(ctx context.Context, in DomainInput) (*DomainValidation, error) {
	if strings.TrimSpace(in.Domain) == "" {
		return nil, errors.New(opRegisterDomain + ": the domain is empty; nothing was sent")
	}
	filter := DomainFilter{Domain: in.Domain, DcvType: in.DcvType, IssueType: in.IssueType}
	started := c.cfg.Now()
	var found *DomainValidation
	ours := func(d *DomainValidation) bool { return d.RegisteredSince(c.ServiceTime(started)) }
	lookUp := func(ctx context.Context) (*DomainValidation, error) {
		list, complete, err := c.ListDomainValidations(ctx, filter)
		switch {
		case err != nil:
			return nil, err
		case len(list) > 0:
			return &list[len(list)-1], nil // the newest
		case !complete:
			return nil, fmt.Errorf("%s: incomplete listing; cannot tell whether domain %q is registered", opListDomainValidations, in.Domain)
		}
		return nil, nil
	}
	cl := call{op: opRegisterDomain, method: http.MethodPost, path: domainsPath,
		body: registerDomainBody{DmnAddr: in.Domain, DcvType: in.DcvType, IssueType: in.IssueType, OrgNo: in.OrgNo}}
	var resp domainsResponse
	err := c.checkedPostOut(ctx, cl, &resp, func(ctx context.Context) (bool, bool, error) {
		d, err := lookUp(ctx)
		if err != nil {
			return false, false, err
		}
		found = d
		return d != nil && ours(d), d == nil, nil
	})
	switch {
	case err == nil && found != nil:
		tflog.Info(ctx, "Adopted the domain registration this create made before its answer was lost",
			map[string]any{"operation": opRegisterDomain, "dmn_id": found.ID})
		return found, nil
	case err == nil:
	case found != nil:
		return nil, &DomainTakenError{Domain: in.Domain, DcvType: in.DcvType, IssueType: in.IssueType, Existing: *found, Unproven: found.RegisteredAt.IsZero(), Err: err}
	case isServiceCode(err) && ctx.Err() == nil:
		// A refusal: "already registered" under any code is told by a look-up.
		d, lerr := lookUp(ctx)
		if lerr == nil && d != nil {
			return nil, &DomainTakenError{Domain: in.Domain, DcvType: in.DcvType, IssueType: in.IssueType, Existing: *d, Err: err}
		}
		return nil, err
	default:
		return nil, err
	}
	for _, items := range [][]wireDomain{resp.List.items, resp.One.items, {resp.wireDomain}} {
		for i := range items {
			if d := items[i].domain(); d.ID != 0 && (d.Domain == "" || sameDomain(d.Domain, in.Domain)) {
				return fillDomain(d, in), nil
			}
		}
	}
	// Success without dmnId: the registration is the one under the domain and dcvType, which
	// must be dated after this call began (else it is someone else's).
	d, lerr := lookUp(ctx)
	switch {
	case lerr != nil:
		return nil, fmt.Errorf("%s succeeded without a dmnId, and looking the domain up afterwards failed: %w", opRegisterDomain, lerr)
	case d == nil:
		return nil, fmt.Errorf("%s succeeded without a dmnId, but domain %q with dcvType %s is not in the list afterwards", opRegisterDomain, in.Domain, in.DcvType)
	case !ours(d):
		return nil, &DomainTakenError{Domain: in.Domain, DcvType: in.DcvType, IssueType: in.IssueType, Existing: *d, Unproven: true,
			Err: fmt.Errorf("%s succeeded without a dmnId, and the registration listed under the domain is not provably the new one", opRegisterDomain)}
	}
	return d, nil
}

// fillDomain completes a registration answer with what was sent.
func fillDomain(d DomainValidation, in DomainInput) *DomainValidation {
	if d.Domain == "" {
		d.Domain = in.Domain
	}
	if d.DcvType == "" {
		d.DcvType = in.DcvType
	}
	if d.IssueType == "" {
		d.IssueType = in.IssueType
	}
	if d.OrgNo == 0 {
		d.OrgNo = in.OrgNo
	}
	return &d
}

// DeleteDomain is DeleteDomain (idempotent: retried by the transport). Gone already is
// success, on the service's evidence: a 2200 answer, or, after another refusal, a complete
// listing without it (hint narrows that listing as in ReadDomainValidation).
func (c *Client) DeleteDomain(ctx context.Context, id int64, hint DomainFilter) error {
	_, err := c.do(ctx, call{op: opDeleteDomain, method: http.MethodDelete, path: domainsPath + "/" + strconv.FormatInt(id, 10)}, nil)
	switch {
	case err == nil, IsNotFound(err):
		return nil
	case !isServiceCode(err):
		return err
	}
	if _, rerr := c.ReadDomainValidation(ctx, id, hint); IsNotFound(rerr) {
		return nil
	}
	return err
}

// DomainInvalidError: the service judged the domain INVALID.
type DomainInvalidError struct {
	ID     int64
	Domain string
}

func (e *DomainInvalidError) Error() string {
	return fmt.Sprintf("domain %q (dmnId %d) is %s", e.Domain, e.ID, DomainInvalid)
}

// WaitForDomainValid reads domain id until it is VALID, polling from PollInterval, backing off
// ×1.5 per poll up to PollIntervalMax, until ctx ends. INVALID is a *DomainInvalidError, not found the not-found error, both at once; a
// transient read error is polled again. It returns the last domain read.
func (c *Client) WaitForDomainValid(ctx context.Context, id int64, hint DomainFilter) (*DomainValidation, error) {
	var last *DomainValidation
	// Validation takes minutes: back off like the certificate waiter.
	err := c.waitFor(ctx, fmt.Sprintf("domain %d to be %s", id, DomainValid), c.cfg.PollIntervalMax, func(ctx context.Context) (bool, error) {
		d, err := c.ReadDomainValidation(ctx, id, hint)
		switch {
		case err == nil:
			last = d
		case IsNotFound(err) || !isTransient(err) || ctx.Err() != nil:
			return false, err
		default:
			tflog.Warn(ctx, "Reading the domain failed; trying again while waiting", map[string]any{"dmn_id": id, "error": err.Error()})
			return false, nil
		}
		switch d.ValidState {
		case DomainValid:
			return true, nil
		case DomainInvalid:
			return false, &DomainInvalidError{ID: id, Domain: d.Domain}
		}
		return false, nil
	})
	return last, err
}
