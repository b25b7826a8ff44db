package mockserver

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Domain validation record types (recordType) and statuses (validStatusCode, API doc §4.3).
const (
	recordCNAME = "CNAME"
	recordTXT   = "TXT"

	validStatusReg     = "VALID_STATUS_REG"
	validStatusSuccess = "VALID_STATUS_SUCCESS"
	validStatusTimeout = "VALID_STATUS_TIMEOUT"
)

// dcvTargetZone is the zone of the CNAME targets of Cloud Basic validation records.
const dcvTargetZone = "dcv.ncloudcert-mock.test."

// defaultValidationWindow is how long a request may wait for validation (API doc §8).
const defaultValidationWindow = 72 * time.Hour

// issuance is the request behind a certificate the mock's CA issues. Like certificates,
// stored values are never modified: a change stores a copy.
type issuance struct {
	RequestSn   string
	CommonName  string      // canonical
	Names       []string    // canonical: the common name, then the requested SANs; the leaf's SANs
	Records     []dcvRecord // one per validation domain, in the order of Names
	RequestedAt time.Time
	Deadline    time.Time // end of the validation window: VALIDATION_EXPIRE from then on
	AutoAt      time.Time // validation completes by itself then (Options.DCVDelay); zero = never
	ValidatedAt time.Time // when validation completed (the leaf's notBefore); zero = pending
	CSRPEM      string    // Advanced: the customer's CSR; the leaf carries its public key
	Method      string    // Advanced: validationMethod "D" or "PD"
}

// dcvRecord is the DNS record that validates one validation domain.
type dcvRecord struct {
	ValidSn int64
	Domain  string   // the validation domain (a name without its leading "*.")
	Domains []string // the certificate's names it validates ("*.x" and "x" share one)
	Name    string   // record name, no trailing dot
	Type    string   // CNAME (Cloud Basic) or TXT (Global Edge)
	Value   string   // expected value
}

// newRecords makes one record per validation domain of names for a certificate of type
// typ: a CNAME "_<random>.<domain>" → "<random>.dcv.ncloudcert-mock.test." for Cloud
// Basic, a TXT "_acme-challenge.<domain>" holding a random token for Global Edge.
func newRecords(typ string, names []string) ([]dcvRecord, error) {
	var records []dcvRecord
	index := map[string]int{}
	for _, n := range names {
		d := validationDomain(n)
		if i, ok := index[d]; ok {
			records[i].Domains = append(records[i].Domains, n)
			continue
		}
		r := dcvRecord{Domain: d, Domains: []string{n}}
		if isAdvancedType(typ) {
			label, err := randomBytes(8)
			if err != nil {
				return nil, err
			}
			token, err := randomBytes(32)
			if err != nil {
				return nil, err
			}
			r.Name, r.Type = "_dcv-"+hex.EncodeToString(label)+"."+d, recordTXT
			r.Value = base64.RawURLEncoding.EncodeToString(token)
		} else if typ == typeGlobalEdge {
			token, err := randomBytes(32)
			if err != nil {
				return nil, err
			}
			r.Name, r.Type, r.Value = "_acme-challenge."+d, recordTXT, base64.RawURLEncoding.EncodeToString(token)
		} else {
			label, err := randomBytes(16)
			if err != nil {
				return nil, err
			}
			target, err := randomBytes(16)
			if err != nil {
				return nil, err
			}
			r.Name, r.Type = "_"+hex.EncodeToString(label)+"."+d, recordCNAME
			r.Value = hex.EncodeToString(target) + "." + dcvTargetZone
		}
		index[d] = len(records)
		records = append(records, r)
	}
	return records, nil
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := rand.Read(b)
	return b, err
}

// recordFor returns the record of the request for domain name (canonical): the record of
// its validation domain, so "*.x" and "x" find the same record whichever was requested.
func (is *issuance) recordFor(name string) (dcvRecord, bool) {
	d := validationDomain(name)
	var found *dcvRecord
	for i, r := range is.Records {
		switch {
		case r.Domain != d:
		case slices.Contains(r.Domains, name):
			return r, true // per-domain records (Options.DCVPerDomain): the one for name
		case found == nil:
			found = &is.Records[i]
		}
	}
	if found == nil {
		return dcvRecord{}, false
	}
	return *found, true
}

// recordStatus is validStatusCode of record r of certificate c at now: TIMEOUT once the
// certificate is VALIDATION_EXPIRE, SUCCESS once validated or while r is published as
// expected, REG otherwise.
func (s *Server) recordStatus(c *certificate, r dcvRecord, now time.Time) string {
	_, status := c.status(now)
	switch {
	case status == "VALIDATION_EXPIRE":
		return validStatusTimeout
	case !c.pending(), s.dns.satisfies(r):
		return validStatusSuccess
	default:
		return validStatusReg
	}
}

// validationDue reports whether pending request c has completed validation at now, and
// when: at AutoAt (the DCV delay) if that came before the window closed, or now if every
// record is published as expected while the window is open.
func (s *Server) validationDue(c *certificate, now time.Time) (time.Time, bool) {
	is := c.Issue
	if !is.AutoAt.IsZero() && !is.AutoAt.After(now) && is.AutoAt.Before(is.Deadline) {
		return is.AutoAt, true
	}
	if now.Before(is.Deadline) && (s.dns.satisfiesAll(is.Records) || s.preValidated(is)) {
		return now, true
	}
	return time.Time{}, false
}

// settle brings c up to date before it is read: a pending request whose validation has
// completed (and whose status is not forced) is issued. Status is thus a function of the
// stored state, the simulated DNS and the clock, evaluated when someone looks; no
// goroutine runs in the background. It returns the certificate as stored now.
// An issued certificate whose automatic renewal is due is renewed in place (renewal.go).
func (s *Server) settle(c *certificate) *certificate {
	if !c.pending() && c.RenewalYn == "Y" && s.renewalDue(c, s.now()) {
		if renewed, err := s.renewCertificate(c.No, s.now()); err == nil {
			return renewed
		}
		return c
	}
	if !c.pending() || c.ForcedStatus != "" {
		return c
	}
	at, due := s.validationDue(c, s.now())
	if !due {
		return c
	}
	issued, err := s.issueCertificate(c.No, c.Issue.RequestSn, at, false)
	if err != nil {
		if cur, ok := s.store.get(c.No); ok {
			return cur
		}
		return c
	}
	return issued
}

// settleAll settles every certificate of a list in place and returns it.
func (s *Server) settleAll(certs []*certificate) []*certificate {
	for i, c := range certs {
		certs[i] = s.settle(c)
	}
	return certs
}

// checkPending settles every pending request and domain: run after each DNS change.
func (s *Server) checkPending() {
	for _, c := range s.store.pendingCertificates() {
		s.settle(c)
	}
	s.checkPendingDomains()
}

// Issuance errors (control API and settle).
var (
	errNotIssuable   = errors.New("not a certificate the mock's CA issues (external)")
	errAlreadyIssued = errors.New("already issued")
	errNotPending    = errors.New("status changed meanwhile")
)

// issueCertificate completes validation of request requestSn (certificate no) at time at:
// the CA issues the leaf and the certificate stores it. force (the control API) issues
// whatever the forced status, and clears it. An already issued certificate is returned
// as is.
func (s *Server) issueCertificate(no int64, requestSn string, at time.Time, force bool) (*certificate, error) {
	c, ok := s.store.get(no)
	switch {
	case !ok:
		return nil, errNoSuchCertificate
	case c.Issue == nil:
		return nil, errNotIssuable
	case !c.pending():
		return c, nil
	}
	if requestSn == "" {
		requestSn = c.Issue.RequestSn
	}
	// Keys and signatures are made outside the store's lock; a concurrent issuer of the
	// same request loses nothing but the work.
	m, meta, err := s.issueMaterial(c.Issue, at)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.store.update(no, func(cur *certificate) error {
		switch {
		case cur.Issue == nil || cur.Issue.RequestSn != requestSn:
			return errNoSuchCertificate // another certificate under a reused number (reset)
		case !cur.pending():
			return errAlreadyIssued
		case !force && cur.ForcedStatus != "":
			return errNotPending
		}
		is := *cur.Issue
		is.ValidatedAt = at.Truncate(time.Second)
		cur.Issue = &is
		cur.Material, cur.Meta, cur.UpdatedAt = m, meta, now
		if force {
			cur.ForcedStatus, cur.FailReason = "", ""
		}
		return nil
	})
	switch {
	case err == nil:
		s.committed()
	case errors.Is(err, errAlreadyIssued):
	default:
		return nil, err
	}
	cur, ok := s.store.get(no)
	if !ok {
		return nil, errNoSuchCertificate
	}
	return cur, nil
}

// requestMeta is what the lists report about a request before issuance: its names only.
func requestMeta(names []string) certMeta {
	return certMeta{CommonName: names[0], DNSNames: slices.Clone(names), dnsNameText: strings.Join(names, ",")}
}

// dcvItem is an item of ListDcvStatuses' dnsVerificationList.
type dcvItem struct {
	ValidSn         int64  `json:"validSn"`
	RequestSn       string `json:"requestSn"`
	ValidStatusCode string `json:"validStatusCode"`
	TxtName         string `json:"txtName"`
	TxtValue        string `json:"txtValue"`
	RecordType      string `json:"recordType"`
	DomainAddress   string `json:"domainAddress"`
}

type dcvResponse struct {
	envelope
	TotalRows              int       `json:"totalRows"`
	DNSVerificationCount   int       `json:"dnsVerificationCount"`
	DNSVerificationList    []dcvItem `json:"dnsVerificationList"`
	EmailVerificationCount int       `json:"emailVerificationCount"`
	EmailVerificationList  []any     `json:"emailVerificationList"`
}

// v2ListDcvStatuses: GET /api/v2/certificate/getVerificationInfo/{certificateNo}?domainAddress=.
// It answers the one record that validates domainAddress (case and a trailing dot ignored;
// "*.x" and "x" give the same record, whichever of them the request named), echoing the
// domain asked for (canonical) as domainAddress. An unknown certificate, an external one and a
// domain the certificate does not hold answer 2200.
func (s *Server) v2ListDcvStatuses(q *request) response {
	no, bad := pathNo(q)
	if bad != nil {
		return *bad
	}
	domain := q.r.URL.Query().Get("domainAddress")
	if domain == "" {
		return validationError("domainAddress is required.")
	}
	c, found := s.store.get(no)
	if !found {
		return notFound2200
	}
	c = s.settle(c)
	if c.Issue == nil {
		return serviceError(http.StatusOK, codeNotFound, msgNoDomain)
	}
	name := canonicalName(domain)
	r, found := c.Issue.recordFor(name)
	if !found {
		return serviceError(http.StatusOK, codeNotFound, msgNoDomain)
	}
	item := dcvItem{
		ValidSn: r.ValidSn, RequestSn: c.Issue.RequestSn, ValidStatusCode: s.recordStatus(c, r, s.now()),
		TxtName: r.Name, TxtValue: r.Value, RecordType: r.Type, DomainAddress: name,
	}
	return ok(dcvResponse{
		envelope: success(), TotalRows: 1, DNSVerificationCount: 1,
		DNSVerificationList: []dcvItem{item}, EmailVerificationList: []any{},
	})
}
