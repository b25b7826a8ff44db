package mockserver

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// memberNo is the NCP member number every mock certificate belongs to.
const memberNo = "2600001"

// domainCode is the "issuance-based domain" the mock reports (the public zone).
const domainCode = "PUB"

// nameRule is the certificateName rule: 3–20 letters, digits or '-', starting with a letter.
var nameRule = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{2,19}$`)

// kst is Korea Standard Time, the zone of every date the service renders.
var kst = time.FixedZone("KST", 9*60*60)

// formatDate renders t as the service does: "yyyy-MM-dd HH:mm:ss" in KST.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(kst).Format(time.DateTime)
}

// externalInput is an external-certificate upload from either API version.
type externalInput struct {
	no        int64 // renewal target (v2 only); 0 registers a new certificate
	name      string
	key       string
	cert      string
	chain     string
	certField string // the body field name of the leaf in this API version
}

// registerExternal validates an upload and registers (or renews) it. It returns the stored
// certificate, or the error answer to send.
func (s *Server) registerExternal(in externalInput) (*certificate, *response) {
	for _, f := range []struct{ name, value string }{
		{"certificateName", in.name},
		{"privateKey", in.key},
		{in.certField, in.cert},
		{"certificateChain", in.chain},
	} {
		if strings.TrimSpace(f.value) == "" {
			resp := validationError(f.name + " is required.")
			return nil, &resp
		}
	}
	// Renewals too (API doc §8): a legacy name of 21–30 characters cannot be renewed in
	// place, though it can still be deleted.
	if !nameRule.MatchString(in.name) {
		resp := validationError(msgNameRule)
		return nil, &resp
	}
	fail := func(err error) (*certificate, *response) {
		resp := errorResponse(err, notFound2200, renewMismatch1004)
		return nil, &resp
	}
	m, meta, err := parseUpload(in.key, in.cert, in.chain)
	if err != nil {
		return fail(err)
	}
	now := s.now()
	if err := checkNotExpired(meta, now); err != nil {
		return fail(err)
	}
	var c *certificate
	if in.no != 0 {
		c, err = s.store.renew(in.no, in.name, m, meta, now)
	} else {
		c, err = s.store.add(certificate{
			Name: in.name, Type: typeExternal, Material: m, Meta: meta,
			RegisteredAt: now, UpdatedAt: now, InstanceNos: []string{},
		})
	}
	if err != nil {
		return fail(err)
	}
	s.committed()
	return c, nil
}

// deleteCertificate deletes the certificate of the path's number (of any type, issued or
// not) when the certificateName query parameter matches and no instance uses it.
func (s *Server) deleteCertificate(q *request) (*certificate, *response) {
	name := q.r.URL.Query().Get("certificateName")
	if name == "" {
		resp := validationError("certificateName is required.")
		return nil, &resp
	}
	no, bad := pathNo(q)
	if bad != nil {
		return nil, bad
	}
	c, err := s.store.delete(no, name)
	if err != nil {
		resp := errorResponse(err, notFound1006, deleteMismatch1004)
		return nil, &resp
	}
	s.committed()
	return c, nil
}

// pathNo parses the {certificateNo} path parameter; anything but a positive integer is a
// ready-made 400 / 2000 answer.
func pathNo(q *request) (int64, *response) {
	no, err := strconv.ParseInt(q.params["certificateNo"], 10, 64)
	if err != nil || no <= 0 {
		resp := validationError("certificateNo must be a positive integer.")
		return 0, &resp
	}
	return no, nil
}

// queryInt parses an optional integer query parameter (absent = 0).
func queryInt(q *request, name string) (int64, *response) {
	v := q.r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		resp := validationError(name + " must be a non-negative integer.")
		return 0, &resp
	}
	return n, nil
}

// flexNo is an integer field that also accepts a numeric string or null.
type flexNo int64

func (n *flexNo) UnmarshalJSON(data []byte) error {
	data = bytes.Trim(data, `"`)
	if len(data) == 0 || string(data) == "null" {
		*n = 0
		return nil
	}
	var v int64
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*n = flexNo(v)
	return nil
}
