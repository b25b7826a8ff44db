package mockserver

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// firstCertificateNo is the number the first certificate gets; later ones count up.
const firstCertificateNo = 100001

// Certificate types as the mock reports them.
const typeExternal = "EXTERNAL"

// statusCodes maps the status labels of API doc §4.1 to their codes.
var statusCodes = map[string]string{
	"ONGOING":                         "0",
	"NORMAL":                          "1",
	"NORMAL_UNREGISTERED_PRIVATE_KEY": "2",
	"NORMAL_GLOBAL_EDGE_DEDICATED":    "3",
	"FAILED":                          "-1",
	"EXPIRE":                          "-2",
	"VALIDATION_FAILED":               "-3",
	"VALIDATION_EXPIRE":               "-4",
	"REVOKE":                          "-5",
	"DELETED":                         "-6",
	"REQUEST_REVOKE":                  "-7",
	"FAILED (LINT)":                   "-11",
}

// certificate is one stored certificate. Stored certificates are immutable: a change stores
// a modified copy under the same number, so readers may keep the pointers the store hands
// out without holding its lock.
type certificate struct {
	No           int64
	Name         string
	Type         string
	Material     material
	Meta         certMeta
	RegisteredAt time.Time
	UpdatedAt    time.Time
	InstanceNos  []string
	ForcedStatus string // a status label forced through the control API; "" = derived
}

// status returns the status code and label at now: the forced label if any, else EXPIRE
// once the leaf's notAfter has passed, else NORMAL.
func (c *certificate) status(now time.Time) (code, name string) {
	name = c.ForcedStatus
	if name == "" {
		name = "NORMAL"
		if now.After(c.Meta.NotAfter) {
			name = "EXPIRE"
		}
	}
	return statusCodes[name], name
}

// store is the in-memory certificate database, independent of HTTP. It indexes
// certificates by number and by name and keeps the numbers sorted for listing.
type store struct {
	mu     sync.RWMutex
	nextNo int64
	byNo   map[int64]*certificate
	byName map[string]int64
	order  []int64 // ascending
}

func newStore() *store {
	return &store{nextNo: firstCertificateNo, byNo: map[int64]*certificate{}, byName: map[string]int64{}}
}

// filter selects certificates; zero fields do not filter.
type filter struct {
	No         int64
	Name       string
	InstanceNo string
}

func (f filter) match(c *certificate) bool {
	return (f.No == 0 || c.No == f.No) &&
		(f.Name == "" || c.Name == f.Name) &&
		(f.InstanceNo == "" || slices.Contains(c.InstanceNos, f.InstanceNo))
}

// query returns the matching certificates sorted by number, using the indexes when it can.
func (st *store) query(f filter) []*certificate {
	certs, _ := st.page(f, 0, 0)
	return certs
}

// page returns up to limit (0 = all) matching certificates after skipping offset of them,
// sorted by number, and the number of matches.
func (st *store) page(f filter, offset, limit int64) ([]*certificate, int) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var matches []*certificate
	switch {
	case f.No != 0 || f.Name != "":
		no := f.No
		if no == 0 {
			no = st.byName[f.Name]
		}
		if c, ok := st.byNo[no]; ok && f.match(c) {
			matches = []*certificate{c}
		}
	case f.InstanceNo != "":
		for _, no := range st.order {
			if c := st.byNo[no]; f.match(c) {
				matches = append(matches, c)
			}
		}
	default: // everything: walk only the page
		total := len(st.order)
		start, end := pageBounds(offset, limit, int64(total))
		out := make([]*certificate, 0, end-start)
		for _, no := range st.order[start:end] {
			out = append(out, st.byNo[no])
		}
		return out, total
	}
	start, end := pageBounds(offset, limit, int64(len(matches)))
	return matches[start:end], len(matches)
}

// pageBounds clamps a page (limit 0 = all) to [0, total].
func pageBounds(offset, limit, total int64) (start, end int64) {
	start = min(max(offset, 0), total)
	end = total
	if limit > 0 {
		end = min(start+limit, total)
	}
	return start, end
}

func (st *store) get(no int64) (*certificate, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	c, ok := st.byNo[no]
	return c, ok
}

func (st *store) count() int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(st.byNo)
}

// add registers a new certificate under the next number; names are unique.
func (st *store) add(c certificate) (*certificate, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, taken := st.byName[c.Name]; taken {
		return nil, errNameTaken
	}
	c.No = st.nextNo
	st.nextNo++
	st.insert(&c)
	return &c, nil
}

// insert indexes c; the caller holds the write lock.
func (st *store) insert(c *certificate) {
	st.byNo[c.No] = c
	st.byName[c.Name] = c.No
	i, _ := slices.BinarySearch(st.order, c.No)
	st.order = slices.Insert(st.order, i, c.No)
}

// renew replaces the material of certificate no, keeping its number; name must match.
func (st *store) renew(no int64, name string, m material, meta certMeta, now time.Time) (*certificate, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	old, ok := st.byNo[no]
	if !ok {
		return nil, errNoSuchCertificate
	}
	if old.Name != name {
		return nil, errNameMismatch
	}
	c := *old
	c.Material, c.Meta, c.UpdatedAt, c.ForcedStatus = m, meta, now, ""
	st.byNo[no] = &c
	return &c, nil
}

// delete removes certificate no when name matches and no instance uses it.
func (st *store) delete(no int64, name string) (*certificate, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	c, ok := st.byNo[no]
	switch {
	case !ok:
		return nil, errNoSuchCertificate
	case c.Name != name:
		return nil, errNameMismatch
	case len(c.InstanceNos) > 0:
		return nil, errInUse
	}
	delete(st.byNo, no)
	delete(st.byName, c.Name)
	if i, found := slices.BinarySearch(st.order, no); found {
		st.order = slices.Delete(st.order, i, i+1)
	}
	return c, nil
}

// update applies fn to a copy of certificate no and stores the result.
func (st *store) update(no int64, fn func(c *certificate) error) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	old, ok := st.byNo[no]
	if !ok {
		return errNoSuchCertificate
	}
	c := *old
	if err := fn(&c); err != nil {
		return err
	}
	st.byNo[no] = &c
	return nil
}

// setInUse records the instances that use certificate no (none releases it).
func (st *store) setInUse(no int64, instanceNos []string) error {
	list := make([]string, 0, len(instanceNos))
	for _, n := range instanceNos {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return st.update(no, func(c *certificate) error {
		c.InstanceNos = list
		return nil
	})
}

// rename gives certificate no another name, bypassing the name rule: the only way to get
// the legacy names (longer than today's rule allows) that older accounts still hold.
func (st *store) rename(no int64, name string) error {
	return st.update(no, func(c *certificate) error {
		if other, taken := st.byName[name]; taken && other != no {
			return errNameTaken
		}
		delete(st.byName, c.Name)
		st.byName[name] = no
		c.Name = name
		return nil
	})
}

// setStatus forces a status label of API doc §4.1; "" returns to the derived status.
func (st *store) setStatus(no int64, statusName string) error {
	if _, known := statusCodes[statusName]; statusName != "" && !known {
		return errUnknownStatus
	}
	return st.update(no, func(c *certificate) error {
		c.ForcedStatus = statusName
		return nil
	})
}

func (st *store) reset() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.nextNo = firstCertificateNo
	st.byNo = map[int64]*certificate{}
	st.byName = map[string]int64{}
	st.order = nil
}

// snapshot returns every certificate sorted by number and the next number to assign.
func (st *store) snapshot() ([]*certificate, int64) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]*certificate, 0, len(st.order))
	for _, no := range st.order {
		out = append(out, st.byNo[no])
	}
	return out, st.nextNo
}

// restore replaces the contents with certs (from a state file).
func (st *store) restore(certs []certificate, nextNo int64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.byNo = make(map[int64]*certificate, len(certs))
	st.byName = make(map[string]int64, len(certs))
	st.order = make([]int64, 0, len(certs))
	st.nextNo = max(nextNo, firstCertificateNo)
	for i := range certs {
		c := certs[i]
		st.insert(&c)
		st.nextNo = max(st.nextNo, c.No+1)
	}
}
