package mockserver

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// DNSRecord is a record of the simulated DNS: a name (canonical: lower case, no trailing
// dot), a type (upper case) and its values as published.
type DNSRecord struct {
	Name   string   `json:"name"`
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// maxDNSValues bounds the values of one record.
const maxDNSValues = 100

type dnsKey struct{ name, typ string }

// dnsZone is the simulated DNS: the records published through the control API, which
// pending requests are validated against. It is safe for concurrent use.
type dnsZone struct {
	mu      sync.RWMutex
	records map[dnsKey][]string
}

func newDNSZone() *dnsZone { return &dnsZone{records: map[dnsKey][]string{}} }

// dnsKeyOf canonicalises a record's name and type, and checks them: a name of labels made
// of letters, digits, '-', '_' or '*' (at most 253 characters) and a type of letters and
// digits.
func dnsKeyOf(name, typ string) (dnsKey, error) {
	k := dnsKey{name: canonicalName(name), typ: strings.ToUpper(typ)}
	if k.name == "" || len(k.name) > maxDomainLength {
		return k, fmt.Errorf("invalid DNS name %q", name)
	}
	for _, l := range strings.Split(k.name, ".") {
		if l == "" || len(l) > 63 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-_*") != "" {
			return k, fmt.Errorf("invalid DNS name %q", name)
		}
	}
	if k.typ == "" || len(k.typ) > 10 || strings.Trim(k.typ, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		return k, fmt.Errorf("invalid DNS record type %q", typ)
	}
	return k, nil
}

// set publishes values at (name, typ), replacing what was there; no values deletes the
// record. It reports whether a record existed before.
func (z *dnsZone) set(name, typ string, values []string) (bool, error) {
	k, err := dnsKeyOf(name, typ)
	if err != nil {
		return false, err
	}
	if len(values) > maxDNSValues {
		return false, fmt.Errorf("at most %d values per record", maxDNSValues)
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	_, existed := z.records[k]
	if len(values) == 0 {
		delete(z.records, k)
	} else {
		z.records[k] = slices.Clone(values)
	}
	return existed, nil
}

// list returns every record, sorted by name then type.
func (z *dnsZone) list() []DNSRecord {
	z.mu.RLock()
	defer z.mu.RUnlock()
	out := make([]DNSRecord, 0, len(z.records))
	for k, v := range z.records {
		out = append(out, DNSRecord{Name: k.name, Type: k.typ, Values: slices.Clone(v)})
	}
	slices.SortFunc(out, func(a, b DNSRecord) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type))
	})
	return out
}

// replace sets the whole zone (state file load, reset).
func (z *dnsZone) replace(records []DNSRecord) error {
	m := make(map[dnsKey][]string, len(records))
	for _, r := range records {
		k, err := dnsKeyOf(r.Name, r.Type)
		if err != nil {
			return err
		}
		if len(r.Values) > 0 {
			m[k] = slices.Clone(r.Values)
		}
	}
	z.mu.Lock()
	z.records = m
	z.mu.Unlock()
	return nil
}

// satisfies reports whether r is published: a record of r's name (case and a trailing dot
// ignored) and type holds r's value among its values.
func (z *dnsZone) satisfies(r dcvRecord) bool {
	z.mu.RLock()
	defer z.mu.RUnlock()
	return z.satisfiesLocked(r)
}

// satisfiesAll reports whether every record of records is published.
func (z *dnsZone) satisfiesAll(records []dcvRecord) bool {
	z.mu.RLock()
	defer z.mu.RUnlock()
	for _, r := range records {
		if !z.satisfiesLocked(r) {
			return false
		}
	}
	return len(records) > 0
}

func (z *dnsZone) satisfiesLocked(r dcvRecord) bool {
	values := z.records[dnsKey{name: canonicalName(r.Name), typ: r.Type}]
	for _, v := range values {
		if dnsValueMatches(r.Type, v, r.Value) {
			return true
		}
	}
	return false
}

// dnsValueMatches compares a published value with the expected one: exactly, except that a
// CNAME target's trailing dot is ignored and a TXT value may be wrapped in double quotes.
func dnsValueMatches(typ, got, want string) bool {
	switch typ {
	case recordCNAME:
		return strings.TrimSuffix(got, ".") == strings.TrimSuffix(want, ".")
	case recordTXT:
		if len(got) >= 2 && got[0] == '"' && got[len(got)-1] == '"' {
			got = got[1 : len(got)-1]
		}
	}
	return got == want
}
