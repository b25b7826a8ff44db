package mockserver

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
)

// DCVRecord is a domain validation record an issuance request expects, as the control API
// reports it.
type DCVRecord struct {
	ValidSn int64    `json:"valid_sn"`
	Domain  string   `json:"domain"`  // the validation domain
	Domains []string `json:"domains"` // the certificate's names it validates
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Value   string   `json:"value"`
	Status  string   `json:"status"` // validStatusCode: VALID_STATUS_REG, _SUCCESS or _TIMEOUT
}

// PublishDNS publishes values at (name, typ) in the simulated DNS, replacing the record's
// values; no values deletes the record. Names compare case-insensitively without a
// trailing dot. Pending requests whose records are now all published are issued before it
// returns.
func (s *Server) PublishDNS(name, typ string, values ...string) error {
	if _, err := s.dns.set(name, typ, values); err != nil {
		return fmt.Errorf("mockserver: %w", err)
	}
	s.checkPending()
	s.committed()
	return nil
}

// DNSRecords returns the records of the simulated DNS, sorted by name and type.
func (s *Server) DNSRecords() []DNSRecord { return s.dns.list() }

// DCVRecords returns the validation records certificate no expects, with their status.
func (s *Server) DCVRecords(no int64) ([]DCVRecord, error) {
	c, ok := s.store.get(no)
	if !ok {
		return nil, fmt.Errorf("mockserver: certificate %d: %w", no, errNoSuchCertificate)
	}
	c = s.settle(c)
	if c.Issue == nil {
		return nil, fmt.Errorf("mockserver: certificate %d: %w", no, errNotIssuable)
	}
	now := s.now()
	out := make([]DCVRecord, len(c.Issue.Records))
	for i, r := range c.Issue.Records {
		out[i] = DCVRecord{
			ValidSn: r.ValidSn, Domain: r.Domain, Domains: slices.Clone(r.Domains),
			Name: r.Name, Type: r.Type, Value: r.Value, Status: s.recordStatus(c, r, now),
		}
	}
	return out, nil
}

// PublishDCV publishes every record certificate no expects, as a DNS operator would.
func (s *Server) PublishDCV(no int64) error {
	records, err := s.DCVRecords(no)
	if err != nil {
		return err
	}
	// Per-domain records (Options.DCVPerDomain) share a name: publish all their values.
	type key struct{ Name, Type string }
	values := map[key][]string{}
	var order []key
	for _, r := range records {
		k := key{r.Name, r.Type}
		if _, seen := values[k]; !seen {
			order = append(order, k)
		}
		values[k] = append(values[k], r.Value)
	}
	for _, k := range order {
		if _, err := s.dns.set(k.Name, k.Type, values[k]); err != nil {
			return fmt.Errorf("mockserver: %w", err)
		}
	}
	s.checkPending()
	s.committed()
	return nil
}

// ValidateCertificate completes the validation of request no now, whatever its DNS records,
// window or forced status (which it clears): the CA issues the certificate. An issued
// certificate is left as it is; an external one is an error.
func (s *Server) ValidateCertificate(no int64) error {
	if _, err := s.issueCertificate(no, "", s.now(), true); err != nil {
		return fmt.Errorf("mockserver: certificate %d: %w", no, err)
	}
	return nil
}

// FailCertificate forces certificate no to FAILED (-1) with reason, which the lists show
// as failReason. SetStatus with another status (or "") clears the reason.
func (s *Server) FailCertificate(no int64, reason string) error {
	if err := s.store.setStatus(no, "FAILED", reason); err != nil {
		return fmt.Errorf("mockserver: certificate %d: %w", no, err)
	}
	s.committed()
	return nil
}

func (s *Server) ctlValidate(q *request) response {
	no, err := q.certNo()
	if err != nil {
		return ctlError(http.StatusBadRequest, "invalid certificate number")
	}
	return ctlResult(s.ValidateCertificate(no))
}

type failBody struct {
	Reason string `json:"reason"`
}

func (s *Server) ctlFail(q *request) response {
	no, err := q.certNo()
	if err != nil {
		return ctlError(http.StatusBadRequest, "invalid certificate number")
	}
	var b failBody
	if err := q.decodeStrict(&b); err != nil && !errors.Is(err, io.EOF) {
		return ctlError(http.StatusBadRequest, "invalid body: "+err.Error())
	}
	return ctlResult(s.FailCertificate(no, b.Reason))
}

type dcvRecordsBody struct {
	Records []DCVRecord `json:"records"`
}

func (s *Server) ctlDCV(q *request) response {
	no, err := q.certNo()
	if err != nil {
		return ctlError(http.StatusBadRequest, "invalid certificate number")
	}
	records, err := s.DCVRecords(no)
	if err != nil {
		return ctlResult(err)
	}
	return ok(dcvRecordsBody{Records: records})
}

type dnsRecordsBody struct {
	Records []DNSRecord `json:"records"`
}

func (s *Server) ctlDNSList(*request) response {
	return ok(dnsRecordsBody{Records: s.DNSRecords()})
}

func (s *Server) ctlDNSSet(q *request) response {
	var b DNSRecord
	if err := q.decodeStrict(&b); err != nil {
		return ctlError(http.StatusBadRequest, "invalid record: "+err.Error())
	}
	return ctlResult(s.PublishDNS(b.Name, b.Type, b.Values...))
}

func (s *Server) ctlDNSDelete(q *request) response {
	query := q.r.URL.Query()
	name, typ := query.Get("name"), query.Get("type")
	if name == "" || typ == "" {
		return ctlError(http.StatusBadRequest, "name and type are required")
	}
	return ctlResult(s.PublishDNS(name, typ))
}
