package mockserver

import (
	"encoding/base64"
	"slices"
)

// The API doc §8 alternatives the mock can follow instead of its default decisions
// (Options.V1ExternalOnly, Options.DCVPerDomain), so that clients are tested against both.

// v1Scope is what getCertificateList shows of certs: only external certificates when API
// 1.0 is external-only.
func (s *Server) v1Scope(certs []*certificate) []*certificate {
	if !s.opts.V1ExternalOnly {
		return certs
	}
	return slices.DeleteFunc(certs, func(c *certificate) bool { return c.Type != typeExternal })
}

// v1DeleteScope refuses, as a number that does not exist (1006), a v1 delete of a
// certificate that is not external when API 1.0 is external-only.
func (s *Server) v1DeleteScope(q *request) *response {
	if !s.opts.V1ExternalOnly {
		return nil
	}
	no, bad := pathNo(q)
	if bad != nil {
		return bad
	}
	if c, found := s.store.get(no); found && c.Type != typeExternal {
		resp := notFound1006
		return &resp
	}
	return nil
}

// perDomainRecords splits each Global Edge record that validates several names ("*.x" and
// "x") into one record per name, at the same record name with a value of its own: the
// service answers ListDcvStatuses per queried domain. A CNAME (Cloud Basic) holds a single
// target, so its records stay shared.
func perDomainRecords(typ string, records []dcvRecord) ([]dcvRecord, error) {
	if typ != typeGlobalEdge {
		return records, nil
	}
	var out []dcvRecord
	for _, r := range records {
		for i, d := range r.Domains {
			one := r
			one.Domains = []string{d}
			if i > 0 {
				token, err := randomBytes(32)
				if err != nil {
					return nil, err
				}
				one.Value = base64.RawURLEncoding.EncodeToString(token)
			}
			out = append(out, one)
		}
	}
	return out, nil
}
