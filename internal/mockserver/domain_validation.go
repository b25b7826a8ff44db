package mockserver

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Pre-validated domains (API doc §6.5): RegisterDomain, ListDomainValidations, DeleteDomain.

// Domain validation enums (API doc §4.3).
const (
	dcvTypePersistent = "PTXT"
	dcvTypeOneTime    = "TXT"
	issueTypeConsole  = "CONSOLE"
	issueTypeACME     = "ACME"
	validStatePending = "PENDING"
	validStateValid   = "VALID"
	validStateInvalid = "INVALID"

	// domainPageSize is ListDomainValidations' documented default page size.
	domainPageSize = 10
	// firstDomainID is the first dmnId; later ones count up.
	firstDomainID = 573
	// domainRecordLabel is the label in front of the domain of every domain record.
	domainRecordLabel = "_dnsauth"
	msgNoDomainReg    = "The domain does not exist."
	msgDomainTaken    = "The domain is already registered with this dcvType and issueType."
)

// domainReg is one registered domain. Stored values are never modified: a change stores a
// copy.
type domainReg struct {
	ID        int64
	Address   string // canonical
	DcvType   string // PTXT | TXT
	IssueType string // CONSOLE | ACME
	OrgNo     int64  // 0: none
	Record    dcvRecord
	RegDate   time.Time
	AutoAt    time.Time // Options.DCVDelay: valid by itself then; zero = never
	ValidDate time.Time // zero while PENDING
	Invalid   bool      // forced INVALID through the control API
}

func (d *domainReg) state() string {
	switch {
	case d.Invalid:
		return validStateInvalid
	case !d.ValidDate.IsZero():
		return validStateValid
	}
	return validStatePending
}

// domainStore holds the registered domains, safe for concurrent use.
type domainStore struct {
	mu   sync.RWMutex
	next int64
	byID map[int64]*domainReg
}

func newDomainStore() *domainStore {
	return &domainStore{next: firstDomainID, byID: map[int64]*domainReg{}}
}

func (ds *domainStore) reset() {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	ds.next, ds.byID = firstDomainID, map[int64]*domainReg{}
}

// add stores d under the next id unless the address is registered with the same dcvType
// for the same issueType.
func (ds *domainStore) add(d domainReg) (*domainReg, error) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	for _, o := range ds.byID {
		if o.Address == d.Address && o.DcvType == d.DcvType && o.IssueType == d.IssueType {
			return nil, errDomainTaken
		}
	}
	d.ID = ds.next
	ds.next++
	ds.byID[d.ID] = &d
	return &d, nil
}

func (ds *domainStore) get(id int64) (*domainReg, bool) {
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	d, ok := ds.byID[id]
	return d, ok
}

// list returns every domain, sorted by id.
func (ds *domainStore) list() []*domainReg {
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	out := make([]*domainReg, 0, len(ds.byID))
	for _, d := range ds.byID {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *domainReg) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// update applies fn to a copy of domain id and stores it.
func (ds *domainStore) update(id int64, fn func(d *domainReg)) (*domainReg, error) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	old, ok := ds.byID[id]
	if !ok {
		return nil, errNoSuchDomain
	}
	d := *old
	fn(&d)
	ds.byID[id] = &d
	return &d, nil
}

func (ds *domainStore) remove(id int64) bool {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	_, ok := ds.byID[id]
	delete(ds.byID, id)
	return ok
}

var (
	errNoSuchDomain = errors.New("no such domain")
	errDomainTaken  = errors.New("domain already registered with this dcvType and issueType")
)

// domainRecord is the TXT record that validates address: "_dnsauth.<domain>". A PTXT value
// is stable (derived from the account and the domain: registering the domain again asks
// for the record already published); a TXT value is new for every registration.
func domainRecord(address, dcvType string) (dcvRecord, error) {
	r := dcvRecord{Domain: address, Domains: []string{address}, Name: domainRecordLabel + "." + address, Type: recordTXT}
	if dcvType == dcvTypePersistent {
		sum := sha256.Sum256([]byte("ncloudcert-mock PTXT|" + memberNo + "|" + address))
		r.Value = base64.RawURLEncoding.EncodeToString(sum[:])
		return r, nil
	}
	token, err := randomBytes(32)
	if err != nil {
		return r, err
	}
	r.Value = base64.RawURLEncoding.EncodeToString(token)
	return r, nil
}

// settleDomain brings d up to date before it is read: a PENDING domain whose record is
// published (or whose DCV delay has passed) turns VALID.
func (s *Server) settleDomain(d *domainReg) *domainReg {
	if d.state() != validStatePending {
		return d
	}
	now := s.now()
	at := now
	switch {
	case !d.AutoAt.IsZero() && !d.AutoAt.After(now):
		at = d.AutoAt
	case s.dns.satisfies(d.Record):
	default:
		return d
	}
	settled, err := s.domains.update(d.ID, func(cur *domainReg) {
		if cur.state() == validStatePending {
			cur.ValidDate = at.Truncate(time.Second)
		}
	})
	if err != nil {
		return d
	}
	s.committed()
	return settled
}

// preValidated reports whether an Advanced persistent-DNS (PD) request needs no record of its
// own: every validation domain is, or is below, a VALID PTXT domain registered for the console.
func (s *Server) preValidated(is *issuance) bool {
	if is.Method != validationMethodPersistent || len(is.Records) == 0 {
		return false
	}
	var valid []string
	for _, d := range s.domains.list() {
		if d = s.settleDomain(d); d.state() == validStateValid && d.DcvType == dcvTypePersistent && d.IssueType == issueTypeConsole {
			valid = append(valid, d.Address)
		}
	}
	for _, r := range is.Records {
		if !slices.ContainsFunc(valid, func(a string) bool { return r.Domain == a || strings.HasSuffix(r.Domain, "."+a) }) {
			return false
		}
	}
	return true
}

// checkPendingDomains settles every PENDING domain, then the requests a domain that turned
// VALID may validate: run after each DNS change.
func (s *Server) checkPendingDomains() {
	for _, d := range s.domains.list() {
		s.settleDomain(d)
	}
}

// domainItem is an item of domainVldList.
type domainItem struct {
	DmnID         int64  `json:"dmnId"`
	MemberNo      string `json:"memberNo"`
	DomainAddress string `json:"domainAddress"`
	DcvType       string `json:"dcvType"`
	IssueType     string `json:"issueType"`
	OrgNo         *int64 `json:"orgNo"`
	ValidState    string `json:"validState"`
	TxtName       string `json:"txtName"`
	TxtValue      string `json:"txtValue"`
	RecordType    string `json:"recordType"`
	RegDate       string `json:"regDate"`
	ValidDate     string `json:"validDate,omitempty"`
}

func newDomainItem(d *domainReg) domainItem {
	it := domainItem{
		DmnID: d.ID, MemberNo: memberNo, DomainAddress: d.Address, DcvType: d.DcvType, IssueType: d.IssueType,
		ValidState: d.state(), TxtName: d.Record.Name, TxtValue: d.Record.Value, RecordType: d.Record.Type,
		RegDate: formatDate(d.RegDate), ValidDate: formatDate(d.ValidDate),
	}
	if d.OrgNo != 0 {
		org := d.OrgNo
		it.OrgNo = &org
	}
	return it
}

type domainListResponse struct {
	envelope
	TotalRows     int          `json:"totalRows"`
	DomainVldList []domainItem `json:"domainVldList"`
}

type registerDomainBody struct {
	DmnAddr   string `json:"dmnAddr"`
	DcvType   string `json:"dcvType"`
	IssueType string `json:"issueType"`
	OrgNo     flexNo `json:"orgNo"`
}

// v2RegisterDomain: POST /api/v2/domain/domains {dmnAddr, dcvType, issueType, orgNo}.
func (s *Server) v2RegisterDomain(q *request) response {
	var b registerDomainBody
	if bad := q.decodeBody(&b); bad != nil {
		return *bad
	}
	address := canonicalName(strings.TrimSpace(b.DmnAddr))
	switch {
	case address == "":
		return validationError("dmnAddr is required.")
	case strings.HasPrefix(address, "*."):
		return validationError("dmnAddr must not be a wildcard: register the domain itself.")
	case b.DcvType != dcvTypePersistent && b.DcvType != dcvTypeOneTime:
		return validationError(`dcvType must be "PTXT" or "TXT".`)
	case b.IssueType != issueTypeConsole && b.IssueType != issueTypeACME:
		return validationError(`issueType must be "CONSOLE" or "ACME".`)
	case b.OrgNo < 0:
		return validationError("orgNo must be a positive integer.")
	}
	if err := checkDomain(address); err != nil {
		return validationError("dmnAddr is not a valid domain name: " + err.Error())
	}
	rec, err := domainRecord(address, b.DcvType)
	if err != nil {
		return serviceError(http.StatusInternalServerError, "900", err.Error())
	}
	now := s.now()
	d := domainReg{Address: address, DcvType: b.DcvType, IssueType: b.IssueType, OrgNo: int64(b.OrgNo), Record: rec, RegDate: now.Truncate(time.Second)}
	if s.opts.DCVDelay > 0 {
		d.AutoAt = now.Add(s.opts.DCVDelay)
	}
	added, err := s.domains.add(d)
	if err != nil {
		return validationError(msgDomainTaken)
	}
	s.committed()
	added = s.settleDomain(added) // a PTXT record may already be published
	return ok(domainListResponse{envelope: success(), TotalRows: 1, DomainVldList: []domainItem{newDomainItem(added)}})
}

// v2ListDomainValidations: GET /api/v2/domain/domains?page=&pageSize=&domainAddress=&dcvType=&orgNo=&validState=.
// page is 1-based (default 1); pageSize defaults to 10 and is capped at 100. totalRows counts
// every match.
func (s *Server) v2ListDomainValidations(q *request) response {
	query := q.r.URL.Query()
	page, bad := queryInt(q, "page")
	if bad != nil {
		return *bad
	}
	size, bad := queryInt(q, "pageSize")
	if bad != nil {
		return *bad
	}
	org, bad := queryInt(q, "orgNo")
	if bad != nil {
		return *bad
	}
	if size == 0 {
		size = domainPageSize
	}
	size = min(size, maxPageSize)
	page = max(page, 1)
	address := canonicalName(strings.TrimSpace(query.Get("domainAddress")))
	dcvType, state := query.Get("dcvType"), query.Get("validState")
	var matches []domainItem
	for _, d := range s.domains.list() {
		d = s.settleDomain(d)
		if (address == "" || d.Address == address) && (dcvType == "" || d.DcvType == dcvType) &&
			(org == 0 || d.OrgNo == org) && (state == "" || d.state() == state) {
			matches = append(matches, newDomainItem(d))
		}
	}
	items := pageOf(matches, min(page-1, 1<<31)*size, size)
	if items == nil {
		items = []domainItem{}
	}
	return ok(domainListResponse{envelope: success(), TotalRows: len(matches), DomainVldList: items})
}

// v2DeleteDomain: DELETE /api/v2/domain/domains/{dmnId}. An unknown id answers 2200.
func (s *Server) v2DeleteDomain(q *request) response {
	id, err := strconv.ParseInt(q.params["dmnId"], 10, 64)
	if err != nil || id <= 0 {
		return validationError("dmnId must be a positive integer.")
	}
	if !s.domains.remove(id) {
		return serviceError(http.StatusOK, codeNotFound, msgNoDomainReg)
	}
	s.committed()
	return ok(domainListResponse{envelope: success(), TotalRows: 1, DomainVldList: []domainItem{}})
}

// DomainInfo is a snapshot of one registered domain (control API).
type DomainInfo struct {
	ID          int64  `json:"dmn_id"`
	Domain      string `json:"domain"`
	DcvType     string `json:"dcv_type"`
	IssueType   string `json:"issue_type"`
	ValidState  string `json:"valid_state"`
	RecordName  string `json:"record_name"`
	RecordType  string `json:"record_type"`
	RecordValue string `json:"record_value"`
}

// Domains returns every registered domain, by id.
func (s *Server) Domains() []DomainInfo {
	var out []DomainInfo
	for _, d := range s.domains.list() {
		d = s.settleDomain(d)
		out = append(out, DomainInfo{
			ID: d.ID, Domain: d.Address, DcvType: d.DcvType, IssueType: d.IssueType, ValidState: d.state(),
			RecordName: d.Record.Name, RecordType: d.Record.Type, RecordValue: d.Record.Value,
		})
	}
	return out
}

// InvalidateDomain forces domain id INVALID (the service's verdict when a persistent record
// disappears or validation fails for good); it stays INVALID.
func (s *Server) InvalidateDomain(id int64) error {
	if _, err := s.domains.update(id, func(d *domainReg) { d.Invalid = true }); err != nil {
		return fmt.Errorf("mockserver: domain %d: %w", id, err)
	}
	s.committed()
	return nil
}

// PublishDomainRecord publishes the record domain id expects, as a DNS operator would.
func (s *Server) PublishDomainRecord(id int64) error {
	d, ok := s.domains.get(id)
	if !ok {
		return fmt.Errorf("mockserver: domain %d: %w", id, errNoSuchDomain)
	}
	return s.PublishDNS(d.Record.Name, d.Record.Type, d.Record.Value)
}

type domainsBody struct {
	Domains []DomainInfo `json:"domains"`
}

func (s *Server) ctlDomains(*request) response {
	list := s.Domains()
	if list == nil {
		list = []DomainInfo{}
	}
	return ok(domainsBody{Domains: list})
}

func (s *Server) ctlDomainInvalid(q *request) response {
	id, err := strconv.ParseInt(q.params["no"], 10, 64)
	if err != nil {
		return ctlError(http.StatusBadRequest, "invalid domain id")
	}
	if err := s.InvalidateDomain(id); err != nil {
		if errors.Is(err, errNoSuchDomain) {
			return ctlError(http.StatusNotFound, err.Error())
		}
		return ctlError(http.StatusBadRequest, err.Error())
	}
	return ctlOK()
}

// stateDomain is a registered domain in the state file.
type stateDomain struct {
	ID          int64      `json:"dmn_id"`
	Address     string     `json:"domain"`
	DcvType     string     `json:"dcv_type"`
	IssueType   string     `json:"issue_type"`
	OrgNo       int64      `json:"org_no,omitempty"`
	RecordName  string     `json:"record_name"`
	RecordValue string     `json:"record_value"`
	RegDate     time.Time  `json:"registered_at"`
	AutoAt      *time.Time `json:"auto_validate_at,omitempty"`
	ValidDate   *time.Time `json:"validated_at,omitempty"`
	Invalid     bool       `json:"invalid,omitempty"`
}

func (ds *domainStore) nextID() int64 {
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	return ds.next
}

func (ds *domainStore) save() []stateDomain {
	list := ds.list()
	out := make([]stateDomain, len(list))
	for i, d := range list {
		out[i] = stateDomain{ID: d.ID, Address: d.Address, DcvType: d.DcvType, IssueType: d.IssueType, OrgNo: d.OrgNo,
			RecordName: d.Record.Name, RecordValue: d.Record.Value, RegDate: d.RegDate, Invalid: d.Invalid}
		if !d.AutoAt.IsZero() {
			out[i].AutoAt = &d.AutoAt
		}
		if !d.ValidDate.IsZero() {
			out[i].ValidDate = &d.ValidDate
		}
	}
	return out
}

// restore replaces the domains with those of a state file, checked; ids never go back.
func (ds *domainStore) restore(list []stateDomain, next int64) error {
	byID := make(map[int64]*domainReg, len(list))
	next = max(next, firstDomainID)
	for _, sd := range list {
		switch {
		case sd.ID <= 0 || byID[sd.ID] != nil:
			return fmt.Errorf("domain %d is invalid or duplicated", sd.ID)
		case sd.Address != canonicalName(sd.Address) || checkDomain(sd.Address) != nil || strings.HasPrefix(sd.Address, "*."):
			return fmt.Errorf("domain %d: invalid domain %q", sd.ID, sd.Address)
		case sd.DcvType != dcvTypePersistent && sd.DcvType != dcvTypeOneTime,
			sd.IssueType != issueTypeConsole && sd.IssueType != issueTypeACME,
			sd.RecordName == "" || sd.RecordValue == "":
			return fmt.Errorf("domain %d: invalid dcv_type, issue_type or record", sd.ID)
		}
		d := &domainReg{ID: sd.ID, Address: sd.Address, DcvType: sd.DcvType, IssueType: sd.IssueType, OrgNo: sd.OrgNo,
			Record:  dcvRecord{Domain: sd.Address, Domains: []string{sd.Address}, Name: sd.RecordName, Type: recordTXT, Value: sd.RecordValue},
			RegDate: sd.RegDate, Invalid: sd.Invalid}
		if sd.AutoAt != nil {
			d.AutoAt = *sd.AutoAt
		}
		if sd.ValidDate != nil {
			d.ValidDate = *sd.ValidDate
		}
		byID[d.ID] = d
		next = max(next, d.ID+1)
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	ds.byID, ds.next = byID, next
	return nil
}
