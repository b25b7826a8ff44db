package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// renewalWindow is how long before notAfter the service renews a certificate whose
// automatic renewal is on (API doc §8).
const renewalWindow = 30 * 24 * time.Hour

// errNotRenewable: only an issued certificate of the mock's CA, not revoked, renews.
var errNotRenewable = errors.New("not an issued certificate of the mock's CA (external, pending, revoked or forced to a status)")

// renewalDue reports whether issued certificate c renews by itself at now: automatic renewal
// on, within the renewal window before notAfter (not after it), and every DCV record still
// published, as the real service re-validates the domains.
func (s *Server) renewalDue(c *certificate, now time.Time) bool {
	if c.Issue == nil || c.pending() || c.RenewalYn != "Y" || c.ForcedStatus != "" || !c.RevokedAt.IsZero() {
		return false
	}
	if now.After(c.Meta.NotAfter) || c.Meta.NotAfter.Sub(now) > renewalWindow {
		return false
	}
	return s.dns.satisfiesAll(c.Issue.Records)
}

// renewCertificate renews issued certificate no in place at time at: the same number, a new
// leaf (new serial and dates) from the same request; for an Advanced certificate, from the
// same CSR, so a registered key still fits and stays registered. The status is unchanged
// (NORMAL, or the Global Edge / unregistered-key label it had).
func (s *Server) renewCertificate(no int64, at time.Time) (*certificate, error) {
	c, ok := s.store.get(no)
	switch {
	case !ok:
		return nil, errNoSuchCertificate
	case c.Issue == nil || c.pending() || !c.issued() || c.ForcedStatus != "" || !c.RevokedAt.IsZero():
		return nil, errNotRenewable
	}
	m, meta, err := s.issueMaterial(c.Issue, at)
	if err != nil {
		return nil, err
	}
	if c.Issue.CSRPEM != "" {
		m.KeyPEM = c.Material.KeyPEM // the customer's key, registered or not
	}
	now := s.now()
	err = s.store.update(no, func(cur *certificate) error {
		if cur.Material.CertPEM != c.Material.CertPEM {
			return errNotPending // renewed meanwhile
		}
		is := *cur.Issue
		is.ValidatedAt = at.Truncate(time.Second)
		cur.Issue = &is
		cur.Material, cur.Meta, cur.UpdatedAt = m, meta, now
		return nil
	})
	if err != nil && !errors.Is(err, errNotPending) {
		return nil, err
	}
	if err == nil {
		s.committed()
	}
	cur, ok := s.store.get(no)
	if !ok {
		return nil, errNoSuchCertificate
	}
	return cur, nil
}

// RenewCertificate renews certificate no in place now, whatever its automatic renewal
// setting, dates or DNS: the same number, a new serial and validity, the same status.
func (s *Server) RenewCertificate(no int64) error {
	if _, err := s.renewCertificate(no, s.now()); err != nil {
		return fmt.Errorf("mockserver: certificate %d: %w", no, err)
	}
	return nil
}

// ctlRenew: POST /_mock/certificates/{no}/renew.
func (s *Server) ctlRenew(q *request) response {
	no, err := q.certNo()
	if err != nil {
		return ctlError(http.StatusBadRequest, "invalid certificate number")
	}
	err = s.RenewCertificate(no)
	if errors.Is(err, errNotRenewable) {
		return ctlError(http.StatusConflict, err.Error())
	}
	return ctlResult(err)
}
