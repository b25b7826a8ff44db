package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Seeding: many certificates at once, of every type and status, for tests and benchmarks.
// Minting a real leaf per certificate would dominate at 10,000, so all certificates of one
// type share one leaf the mock's CA issued (material and metadata true of that PEM); names
// and numbers are distinct. Good for listing; not meant for per-certificate PEM checks.

// SeedTypes are the type names Seed accepts (the provider's vocabulary).
var SeedTypes = []string{"external", "cloud_basic", "global_edge", "advanced_dv", "advanced_ov"}

var seedTypeCodes = map[string]string{
	"external": typeExternal, "cloud_basic": typeCloudBasic, "global_edge": typeGlobalEdge,
	"advanced_dv": typeAdvancedDV, "advanced_ov": typeAdvancedOV,
}

// SeedOptions choose what Seed stores; empty lists mean every type and the derived status.
type SeedOptions struct {
	// Types cycle over the certificates (certificate i gets Types[i % len(Types)]).
	Types []string `json:"types"`
	// Statuses are status labels (API doc §4.1) forced in turn; empty: derived (NORMAL, …).
	Statuses []string `json:"statuses"`
	// Prefix of the names ("seed" when empty): <prefix>-<type>-<i>.
	Prefix string `json:"prefix"`
}

// SeedResult is what Seed stored: the numbers First..Last, in order.
type SeedResult struct {
	Count int   `json:"count"`
	First int64 `json:"first"`
	Last  int64 `json:"last"`
}

const maxSeed = 1_000_000

// Seed stores n certificates (Advanced ones each in an order of their own).
func (s *Server) Seed(n int, opts SeedOptions) (SeedResult, error) {
	if n <= 0 || n > maxSeed {
		return SeedResult{}, fmt.Errorf("mockserver: seed count must be between 1 and %d", maxSeed)
	}
	typesList := opts.Types
	if len(typesList) == 0 {
		typesList = SeedTypes
	}
	for _, t := range typesList {
		if _, ok := seedTypeCodes[t]; !ok {
			return SeedResult{}, fmt.Errorf("mockserver: unknown seed type %q (want one of %s)", t, strings.Join(SeedTypes, ", "))
		}
	}
	for _, st := range opts.Statuses {
		if _, ok := statusCodes[st]; !ok {
			return SeedResult{}, fmt.Errorf("mockserver: unknown status %q", st)
		}
	}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = "seed"
	}
	now := s.now()
	leaves := map[string]struct {
		m    material
		meta certMeta
	}{}
	for _, t := range typesList {
		if _, done := leaves[t]; done {
			continue
		}
		cn := strings.ReplaceAll(t, "_", "-") + ".seed.example.com"
		m, meta, err := s.ca.issue(cn, []string{cn, "www." + cn}, now)
		if err != nil {
			return SeedResult{}, err
		}
		leaves[t] = struct {
			m    material
			meta certMeta
		}{m, meta}
	}
	st := s.store
	st.mu.Lock()
	res := SeedResult{First: st.next.No}
	for i := range n {
		t := typesList[i%len(typesList)]
		leaf := leaves[t]
		c := certificate{
			Name: fmt.Sprintf("%s-%s-%d", prefix, strings.ReplaceAll(t, "_", "-"), i), Type: seedTypeCodes[t],
			Material: leaf.m, Meta: leaf.meta, RegisteredAt: now, UpdatedAt: now, RenewalYn: "N",
		}
		if len(opts.Statuses) > 0 {
			c.ForcedStatus = opts.Statuses[i%len(opts.Statuses)]
		}
		var err error
		if t == "advanced_dv" || t == "advanced_ov" {
			c.Material.KeyPEM = "" // Advanced keys stay with the customer until registered
			idNo := st.next.OrderID
			st.next.OrderID++
			o := &order{Type: c.Type, Years: 1, CreatedAt: now, PD: map[string]dcvRecord{}}
			o.ID = fmt.Sprint(idNo)
			c.OrderID = o.ID
			var added *certificate
			if added, err = st.addLocked(c); err == nil {
				o.Certs = []int64{added.No}
				st.putOrderLocked(o)
			}
		} else {
			_, err = st.addLocked(c)
		}
		if err != nil {
			st.mu.Unlock()
			if errors.Is(err, errNameTaken) {
				return SeedResult{}, fmt.Errorf("mockserver: seed name %q is taken: use another prefix", c.Name)
			}
			return SeedResult{}, err
		}
	}
	res.Last = st.next.No - 1
	res.Count = n
	st.mu.Unlock()
	s.committed()
	return res, nil
}

type seedBody struct {
	Count int `json:"count"`
	SeedOptions
}

// ctlSeed: POST /_mock/seed {"count": N, "types": [...], "statuses": [...], "prefix": "..."}.
func (s *Server) ctlSeed(q *request) response {
	var b seedBody
	if err := q.decodeStrict(&b); err != nil {
		return ctlError(http.StatusBadRequest, "invalid seed: "+err.Error())
	}
	res, err := s.Seed(b.Count, b.SeedOptions)
	if err != nil {
		return ctlError(http.StatusBadRequest, err.Error())
	}
	return ok(res)
}
