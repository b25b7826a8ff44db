package mockserver

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// First numbers of the store's counters; later ones count up.
const (
	firstCertificateNo = 100001 // certificateNo
	firstRequestSn     = 900001 // requestSn of issuance requests
	firstValidSn       = 500001 // validSn of domain validation records
)

// Certificate types as the mock reports them (certificateType; API doc §4.2).
const (
	typeExternal   = "EXTERNAL"
	typeCloudBasic = "NCP_FREE_DV_01"
	typeGlobalEdge = "NCP_GLOBAL_EDGE_DEDICATED"
)

// isCloudType reports whether certificates of type t are listed by ListCloudCertificates.
func isCloudType(t string) bool { return t == typeCloudBasic || t == typeGlobalEdge }

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
	FailReason   string // why the certificate FAILED (control API), shown as failReason
	RenewalYn    string // automatic renewal (SetRenewalStatus): "Y" or "N"
	// Issue is the issuance request of a certificate the mock's CA issues (Cloud Basic,
	// Global Edge); nil for external certificates. Its material is empty until validated.
	Issue *issuance
	// OrderID is the order of an Advanced DV/OV certificate; "" otherwise.
	OrderID string
	// RevokedAt and RevokeType record a RevokeCertificate (Advanced); zero = not revoked.
	RevokedAt  time.Time
	RevokeType string
}

// status returns the status code and label at now: the forced label if any, else, for a
// request not validated yet, ONGOING until its validation window closes and
// VALIDATION_EXPIRE after; for a certificate, EXPIRE once the leaf's notAfter has passed,
// else NORMAL (NORMAL_GLOBAL_EDGE_DEDICATED for Global Edge).
func (c *certificate) status(now time.Time) (code, name string) {
	name = c.ForcedStatus
	if name == "" {
		name = c.derivedStatus(now)
	}
	return statusCodes[name], name
}

func (c *certificate) derivedStatus(now time.Time) string {
	switch {
	case !c.RevokedAt.IsZero():
		return "REVOKE"
	case c.pending():
		if now.Before(c.Issue.Deadline) {
			return "ONGOING"
		}
		return "VALIDATION_EXPIRE"
	case now.After(c.Meta.NotAfter):
		return "EXPIRE"
	case c.Type == typeGlobalEdge:
		return "NORMAL_GLOBAL_EDGE_DEDICATED"
	case c.Issue != nil && c.Issue.CSRPEM != "" && c.Material.KeyPEM == "":
		return "NORMAL_UNREGISTERED_PRIVATE_KEY"
	default:
		return "NORMAL"
	}
}

// pending reports whether c is an issuance request whose validation has not completed.
func (c *certificate) pending() bool { return c.Issue != nil && c.Issue.ValidatedAt.IsZero() }

// issued reports whether c holds a certificate (uploaded, or issued by the mock's CA).
func (c *certificate) issued() bool { return c.Material.CertPEM != "" }

// store is the in-memory certificate database, independent of HTTP. It indexes
// certificates by number and by name and keeps the numbers sorted for listing.
type store struct {
	mu      sync.RWMutex
	next    counters
	byNo    map[int64]*certificate
	byName  map[string]int64
	order   []int64        // ascending
	cloud   []int64        // ascending: the Cloud Basic and Global Edge certificates
	pending map[int64]bool // issuance requests not validated yet
	orders  orderIndex     // Advanced DV/OV orders (advanced.go)
}

// counters are the next numbers the store assigns.
type counters struct {
	No        int64 // certificateNo
	RequestSn int64 // requestSn
	ValidSn   int64 // validSn
	OrderID   int64 // orderId of Advanced orders
}

func firstCounters() counters {
	return counters{No: firstCertificateNo, RequestSn: firstRequestSn, ValidSn: firstValidSn, OrderID: firstOrderID}
}

func newStore() *store {
	return &store{next: firstCounters(), byNo: map[int64]*certificate{}, byName: map[string]int64{}, pending: map[int64]bool{}, orders: newOrderIndex()}
}

// filter selects certificates; zero fields do not filter.
type filter struct {
	No         int64
	Name       string
	InstanceNo string
	Cloud      bool // only Cloud Basic and Global Edge certificates
}

func (f filter) match(c *certificate) bool {
	return (f.No == 0 || c.No == f.No) &&
		(f.Name == "" || c.Name == f.Name) &&
		(f.InstanceNo == "" || slices.Contains(c.InstanceNos, f.InstanceNo)) &&
		(!f.Cloud || isCloudType(c.Type))
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
	default: // everything (of a kind): walk only the page
		order := st.order
		if f.Cloud {
			order = st.cloud
		}
		total := len(order)
		start, end := pageBounds(offset, limit, int64(total))
		out := make([]*certificate, 0, end-start)
		for _, no := range order[start:end] {
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

// add registers a new certificate under the next number; names are unique. An issuance
// request also gets the next requestSn and a validSn per validation record.
func (st *store) add(c certificate) (*certificate, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.addLocked(c)
}

// addLocked is add; the caller holds the write lock.
func (st *store) addLocked(c certificate) (*certificate, error) {
	if _, taken := st.byName[c.Name]; taken {
		return nil, errNameTaken
	}
	c.No = st.next.No
	st.next.No++
	if c.Issue != nil {
		is := *c.Issue
		is.RequestSn = strconv.FormatInt(st.next.RequestSn, 10)
		st.next.RequestSn++
		is.Records = slices.Clone(is.Records)
		for i := range is.Records {
			is.Records[i].ValidSn = st.next.ValidSn
			st.next.ValidSn++
		}
		c.Issue = &is
	}
	st.insert(&c)
	return &c, nil
}

// insert indexes c; the caller holds the write lock.
func (st *store) insert(c *certificate) {
	st.byNo[c.No] = c
	st.byName[c.Name] = c.No
	st.order = insertSorted(st.order, c.No)
	if isCloudType(c.Type) {
		st.cloud = insertSorted(st.cloud, c.No)
	}
	if c.pending() {
		st.pending[c.No] = true
	}
}

func insertSorted(list []int64, n int64) []int64 {
	i, found := slices.BinarySearch(list, n)
	if found {
		return list
	}
	return slices.Insert(list, i, n)
}

func removeSorted(list []int64, n int64) []int64 {
	if i, found := slices.BinarySearch(list, n); found {
		return slices.Delete(list, i, i+1)
	}
	return list
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
	if old.Type != typeExternal {
		return nil, errRenewNotExternal
	}
	c := *old
	c.Material, c.Meta, c.UpdatedAt, c.ForcedStatus, c.FailReason = m, meta, now, "", ""
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
	delete(st.pending, no)
	if o, ok := st.orders.byID[c.OrderID]; ok { // the order forgets it (state files stay consistent)
		o = o.clone()
		o.Certs = removeSorted(o.Certs, no)
		st.putOrderLocked(o)
	}
	st.order = removeSorted(st.order, no)
	st.cloud = removeSorted(st.cloud, no)
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
	if c.pending() {
		st.pending[no] = true
	} else {
		delete(st.pending, no)
	}
	return nil
}

// pendingCertificates returns the issuance requests not validated yet, sorted by number.
func (st *store) pendingCertificates() []*certificate {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]*certificate, 0, len(st.pending))
	for no := range st.pending {
		out = append(out, st.byNo[no])
	}
	slices.SortFunc(out, func(a, b *certificate) int { return cmp.Compare(a.No, b.No) })
	return out
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

// setStatus forces a status label of API doc §4.1 ("" returns to the derived status) with
// reason as the failure reason (kept only with FAILED).
func (st *store) setStatus(no int64, statusName, reason string) error {
	if _, known := statusCodes[statusName]; statusName != "" && !known {
		return errUnknownStatus
	}
	if statusName != "FAILED" {
		reason = ""
	}
	return st.update(no, func(c *certificate) error {
		c.ForcedStatus, c.FailReason = statusName, reason
		return nil
	})
}

func (st *store) reset() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.next = firstCounters()
	st.byNo = map[int64]*certificate{}
	st.byName = map[string]int64{}
	st.order = nil
	st.cloud = nil
	st.pending = map[int64]bool{}
	st.orders = newOrderIndex()
}

// snapshot returns every certificate sorted by number and the next numbers to assign.
func (st *store) snapshot() ([]*certificate, counters) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]*certificate, 0, len(st.order))
	for _, no := range st.order {
		out = append(out, st.byNo[no])
	}
	return out, st.next
}

// restore replaces the contents with certs (from a state file); counters never go back
// below a number in use.
func (st *store) restore(certs []certificate, next counters) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.byNo = make(map[int64]*certificate, len(certs))
	st.byName = make(map[string]int64, len(certs))
	st.order = make([]int64, 0, len(certs))
	st.cloud = nil
	st.pending = map[int64]bool{}
	first := firstCounters()
	st.next = counters{
		No:        max(next.No, first.No),
		RequestSn: max(next.RequestSn, first.RequestSn),
		ValidSn:   max(next.ValidSn, first.ValidSn),
		OrderID:   max(next.OrderID, first.OrderID),
	}
	for i := range certs {
		c := certs[i]
		st.insert(&c)
		st.next.No = max(st.next.No, c.No+1)
		if is := c.Issue; is != nil {
			if sn, err := strconv.ParseInt(is.RequestSn, 10, 64); err == nil {
				st.next.RequestSn = max(st.next.RequestSn, sn+1)
			}
			for _, r := range is.Records {
				st.next.ValidSn = max(st.next.ValidSn, r.ValidSn+1)
			}
		}
	}
}
