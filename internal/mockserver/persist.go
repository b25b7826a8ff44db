package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// stateVersion is the format version of the state file. Version 1 (external certificates
// only) still loads.
const stateVersion = 2

// stateFile is the persisted store. It contains private keys in clear text: demos only.
type stateFile struct {
	Version       int                `json:"version"`
	NextNo        int64              `json:"next_certificate_no"`
	NextRequestSn int64              `json:"next_request_sn,omitempty"`
	NextValidSn   int64              `json:"next_valid_sn,omitempty"`
	NextOrderID   int64              `json:"next_order_id,omitempty"`
	ClockAdvance  time.Duration      `json:"clock_advance_ns,omitempty"` // AdvanceClock offset
	Orders        []stateOrder       `json:"orders,omitempty"`
	Domains       []stateDomain      `json:"domains,omitempty"` // pre-validated domains
	NextDomainID  int64              `json:"next_domain_id,omitempty"`
	CA            *stateCA           `json:"ca,omitempty"`
	DNS           []DNSRecord        `json:"dns_records,omitempty"`
	Certificates  []stateCertificate `json:"certificates"`
}

// stateCA is the mock's CA, so certificates issued before a restart keep chaining to the
// CA that issues after it.
type stateCA struct {
	RootPEM            string `json:"root_certificate_pem"`
	RootKeyPEM         string `json:"root_private_key_pem"`
	IntermediatePEM    string `json:"intermediate_certificate_pem"`
	IntermediateKeyPEM string `json:"intermediate_private_key_pem"`
}

// stateRequest is the issuance request of a Cloud Basic or Global Edge certificate.
type stateRequest struct {
	RequestSn   string        `json:"request_sn"`
	CommonName  string        `json:"common_name"`
	Names       []string      `json:"names"`
	Records     []stateRecord `json:"records"`
	RequestedAt time.Time     `json:"requested_at"`
	Deadline    time.Time     `json:"validation_deadline"`
	AutoAt      *time.Time    `json:"auto_validate_at,omitempty"`
	ValidatedAt *time.Time    `json:"validated_at,omitempty"`
	CSRPEM      string        `json:"csr_pem,omitempty"`           // Advanced
	Method      string        `json:"validation_method,omitempty"` // Advanced: D or PD
}

// stateOrder is an Advanced order.
type stateOrder struct {
	ID             string        `json:"order_id"`
	Type           string        `json:"type"`
	Token          string        `json:"request_token,omitempty"`
	Years          int           `json:"subscription_years"`
	OrganizationNo string        `json:"organization_no,omitempty"`
	KeyAlgorithm   string        `json:"key_algorithm,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	PD             []stateRecord `json:"persistent_records,omitempty"`
	Certificates   []int64       `json:"certificate_nos"`
}

type stateRecord struct {
	ValidSn int64    `json:"valid_sn"`
	Domain  string   `json:"domain"`
	Domains []string `json:"domains"`
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Value   string   `json:"value"`
}

type stateCertificate struct {
	No             int64     `json:"certificate_no"`
	Name           string    `json:"name"`
	Type           string    `json:"type"`
	PrivateKeyPEM  string    `json:"private_key_pem"`
	CertificatePEM string    `json:"certificate_pem"`
	ChainPEM       string    `json:"certificate_chain_pem"`
	InstanceNos    []string  `json:"instance_nos"`
	ForcedStatus   string    `json:"forced_status,omitempty"`
	FailReason     string    `json:"fail_reason,omitempty"`
	RenewalYn      string    `json:"renewal_yn,omitempty"`
	RegisteredAt   time.Time `json:"registered_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// Request is set for Cloud Basic and Global Edge certificates; their PEM fields stay
	// empty until validation completes.
	Request *stateRequest `json:"request,omitempty"`
	OrderID string        `json:"order_id,omitempty"` // Advanced
	// RevokedAt and RevokeType: a revoked Advanced certificate.
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	RevokeType string     `json:"revoke_type,omitempty"`
}

// Save writes the store to Options.StateFile atomically (temporary file, then rename). It
// does nothing when no state file is configured. The file holds private keys and is
// created with mode 0600.
func (s *Server) Save() error {
	if s.opts.StateFile == "" {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	certs, next := s.store.snapshot()
	st := stateFile{
		Version: stateVersion, NextNo: next.No, NextRequestSn: next.RequestSn, NextValidSn: next.ValidSn,
		CA: &stateCA{
			RootPEM: s.ca.rootPEM, RootKeyPEM: s.ca.rootKeyPEM,
			IntermediatePEM: s.ca.intermediatePEM, IntermediateKeyPEM: s.ca.intKeyPEM,
		},
		DNS:          s.dns.list(),
		NextOrderID:  next.OrderID,
		ClockAdvance: time.Duration(s.advance.Load()),
		Orders:       saveOrders(s.store.listOrders()),
		Domains:      s.domains.save(),
		NextDomainID: s.domains.nextID(),
		Certificates: make([]stateCertificate, len(certs)),
	}
	for i, c := range certs {
		st.Certificates[i] = stateCertificate{
			No: c.No, Name: c.Name, Type: c.Type,
			PrivateKeyPEM: c.Material.KeyPEM, CertificatePEM: c.Material.CertPEM, ChainPEM: c.Material.chainPEM(),
			InstanceNos: instanceList(c.InstanceNos), ForcedStatus: c.ForcedStatus,
			FailReason: c.FailReason, RenewalYn: c.RenewalYn,
			RegisteredAt: c.RegisteredAt, UpdatedAt: c.UpdatedAt,
			Request: saveRequest(c.Issue), OrderID: c.OrderID, RevokeType: c.RevokeType,
		}
		if !c.RevokedAt.IsZero() {
			at := c.RevokedAt
			st.Certificates[i].RevokedAt = &at
		}
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("mockserver: encoding state: %w", err)
	}
	return writeFileAtomic(s.opts.StateFile, append(data, '\n'))
}

// writeFileAtomic replaces path with data so readers see the old or the new file, never a
// partial one.
func writeFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	return nil
}

// load fills the store, the DNS and the CA from Options.StateFile; a missing file is an
// empty store (and a new CA).
func (s *Server) load() error {
	data, err := os.ReadFile(s.opts.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mockserver: reading state: %w", err)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("mockserver: state file %s: "+format, append([]any{s.opts.StateFile}, args...)...)
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return fail("%w", err)
	}
	if st.Version != 1 && st.Version != stateVersion {
		return fail("unsupported version %d", st.Version)
	}
	if st.CA != nil {
		ca, err := loadAuthority(st.CA.RootPEM, st.CA.RootKeyPEM, st.CA.IntermediatePEM, st.CA.IntermediateKeyPEM)
		if err != nil {
			return fail("%w", err)
		}
		s.ca = ca
	}
	if err := s.dns.replace(st.DNS); err != nil {
		return fail("%w", err)
	}
	certs := make([]certificate, 0, len(st.Certificates))
	seenNo, seenName := map[int64]bool{}, map[string]bool{}
	for _, sc := range st.Certificates {
		if sc.No <= 0 || seenNo[sc.No] || seenName[sc.Name] {
			return fail("certificate %d %q is invalid or duplicated", sc.No, sc.Name)
		}
		seenNo[sc.No], seenName[sc.Name] = true, true
		c, err := loadCertificate(sc)
		if err != nil {
			return fail("certificate %d: %w", sc.No, err)
		}
		certs = append(certs, c)
	}
	orders, err := loadOrders(st.Orders, certs)
	if err != nil {
		return fail("%w", err)
	}
	s.store.restore(certs, counters{No: st.NextNo, RequestSn: st.NextRequestSn, ValidSn: st.NextValidSn, OrderID: st.NextOrderID})
	s.store.restoreOrders(orders)
	if err := s.domains.restore(st.Domains, st.NextDomainID); err != nil {
		return fail("%w", err)
	}
	s.advance.Store(int64(st.ClockAdvance))
	return nil
}

// loadCertificate checks and rebuilds one stored certificate.
func loadCertificate(sc stateCertificate) (certificate, error) {
	if sc.Type == "" {
		sc.Type = typeExternal
	}
	if _, known := statusCodes[sc.ForcedStatus]; sc.ForcedStatus != "" && !known {
		return certificate{}, fmt.Errorf("unknown status %q", sc.ForcedStatus)
	}
	if sc.RenewalYn != "" && sc.RenewalYn != "Y" && sc.RenewalYn != "N" {
		return certificate{}, fmt.Errorf("renewal_yn %q is not Y or N", sc.RenewalYn)
	}
	c := certificate{
		No: sc.No, Name: sc.Name, Type: sc.Type,
		RegisteredAt: sc.RegisteredAt, UpdatedAt: sc.UpdatedAt,
		InstanceNos: instanceList(sc.InstanceNos), ForcedStatus: sc.ForcedStatus,
		FailReason: sc.FailReason, RenewalYn: sc.RenewalYn, OrderID: sc.OrderID,
		RevokeType: sc.RevokeType,
	}
	if sc.RevokedAt != nil {
		if !isAdvancedType(sc.Type) {
			return certificate{}, errors.New("only Advanced certificates are revoked")
		}
		c.RevokedAt = *sc.RevokedAt
	}
	switch {
	case sc.Type == typeExternal && sc.Request != nil:
		return certificate{}, errors.New("an external certificate has an issuance request")
	case sc.Type == typeExternal:
		c.RenewalYn = ""
	case sc.OrderID != "" && !isAdvancedType(sc.Type):
		return certificate{}, errors.New("only Advanced certificates belong to an order")
	case isAdvancedType(sc.Type) && (sc.Request == nil || sc.Request.CSRPEM == "" || sc.OrderID == ""):
		return certificate{}, errors.New("an Advanced certificate needs its request, CSR and order")
	case (isCloudType(sc.Type) || isAdvancedType(sc.Type)) && sc.Request != nil:
		is, err := loadRequest(sc.Type, sc.Request)
		if err != nil {
			return certificate{}, err
		}
		c.Issue = is
		if c.RenewalYn == "" {
			c.RenewalYn = "N"
		}
		if is.ValidatedAt.IsZero() { // pending: no material yet
			if sc.PrivateKeyPEM != "" || sc.CertificatePEM != "" || sc.ChainPEM != "" {
				return certificate{}, errors.New("a request not validated yet holds certificate material")
			}
			c.Meta = requestMeta(is.Names)
			return c, nil
		}
	default:
		return certificate{}, fmt.Errorf("type %q: unsupported, or without an issuance request", sc.Type)
	}
	if isAdvancedType(sc.Type) && sc.PrivateKeyPEM == "" { // key not registered yet
		m, meta, err := parseIssued(sc.CertificatePEM, sc.ChainPEM)
		if err != nil {
			return certificate{}, err
		}
		c.Material, c.Meta = m, meta
		return c, nil
	}
	m, meta, err := parseUpload(sc.PrivateKeyPEM, sc.CertificatePEM, sc.ChainPEM)
	if err != nil {
		return certificate{}, err
	}
	c.Material, c.Meta = m, meta
	return c, nil
}

func saveRequest(is *issuance) *stateRequest {
	if is == nil {
		return nil
	}
	sr := &stateRequest{
		RequestSn: is.RequestSn, CommonName: is.CommonName, Names: is.Names,
		RequestedAt: is.RequestedAt, Deadline: is.Deadline, CSRPEM: is.CSRPEM, Method: is.Method,
		Records: make([]stateRecord, len(is.Records)),
	}
	if !is.AutoAt.IsZero() {
		sr.AutoAt = &is.AutoAt
	}
	if !is.ValidatedAt.IsZero() {
		sr.ValidatedAt = &is.ValidatedAt
	}
	for i, r := range is.Records {
		sr.Records[i] = stateRecord(r)
	}
	return sr
}

// loadRequest checks a stored request: its names valid and canonical, one record per
// validation domain of the certificate's type.
func loadRequest(typ string, sr *stateRequest) (*issuance, error) {
	if sr.RequestSn == "" || len(sr.Names) == 0 || sr.CommonName != sr.Names[0] {
		return nil, errors.New("incomplete issuance request")
	}
	for _, n := range sr.Names {
		if n != canonicalName(n) || checkDomain(n) != nil {
			return nil, fmt.Errorf("invalid name %q in the issuance request", n)
		}
	}
	wantType := recordCNAME
	if typ == typeGlobalEdge || isAdvancedType(typ) {
		wantType = recordTXT
	}
	if isAdvancedType(typ) {
		if _, err := parseCSR(sr.CSRPEM); err != nil {
			return nil, err
		}
		if sr.Method != validationMethodDNS && sr.Method != validationMethodPersistent {
			return nil, fmt.Errorf("validation method %q", sr.Method)
		}
	}
	is := &issuance{
		CSRPEM: sr.CSRPEM, Method: sr.Method,
		RequestSn: sr.RequestSn, CommonName: sr.CommonName, Names: sr.Names,
		RequestedAt: sr.RequestedAt, Deadline: sr.Deadline,
		Records: make([]dcvRecord, len(sr.Records)),
	}
	covered := map[string]bool{}
	for i, r := range sr.Records {
		if r.Type != wantType || r.Name == "" || r.Value == "" || r.ValidSn <= 0 {
			return nil, fmt.Errorf("invalid validation record %q", r.Name)
		}
		for _, d := range r.Domains {
			covered[d] = true
		}
		is.Records[i] = dcvRecord(r)
	}
	for _, n := range sr.Names {
		if !covered[n] {
			return nil, fmt.Errorf("no validation record for %q", n)
		}
	}
	if sr.AutoAt != nil {
		is.AutoAt = *sr.AutoAt
	}
	if sr.ValidatedAt != nil {
		is.ValidatedAt = *sr.ValidatedAt
	}
	return is, nil
}
