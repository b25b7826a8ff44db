package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Batched reads (a refresh of many certificates in a few requests). Terraform reads each
// resource on its own and never says how many will come, so the client adapts: the first
// batched read of a kind in a process is one request for that certificate, as before; from
// the second on, one shared listing of the kind (a snapshot) serves it and every later
// read, as long as the listing costs no more requests than the reads it replaces:
//   - externals: v1 getCertificateList unfiltered, every certificate in one request;
//   - Cloud Basic / Global Edge, Advanced certificates: ListCloudCertificates /
//     ListCertificates, 100 a page. Page 1 tells the total; the listing goes on only
//     while the reads of the kind so far are at least the pages it still needs, else it
//     stops there (page 1 still serves what it holds) and a new listing starts once the
//     reads reach the full listing's pages;
//   - Advanced orders: ListOrders, with the same rule.
//
// A snapshot serves certificate X only when it was started after this process's last write
// completed (every non-GET request but those in postReads counts as a write, whatever it
// touches) and while no write is running; it is younger than snapshotMaxAge; and it lives
// in this client only (a provider process serves one command). "Not found" from a snapshot needs a complete
// listing (every page read, totals consistent); otherwise the read goes per certificate.
// Waiters and lookups never use snapshots: they poll for change.

// postReads are the operations sent as POST that change nothing: they do not outdate
// listings. (By name: a write missing here would serve stale reads, a read missing here only
// costs a listing.)
var postReads = map[string]bool{opDownloadCertificate: true, "ListOrganizations": true}

// snapshotMaxAge bounds how long a listing serves reads, measured with Config.Now.
const snapshotMaxAge = 2 * time.Minute

// listKey names a shared listing.
type listKey int

const (
	listV1        listKey = iota // v1 getCertificateList, unfiltered
	listV2All                    // ListCertificates
	listV2Cloud                  // ListCloudCertificates
	listOrdersAll                // ListOrders
	numListKeys
)

// batcher holds a client's snapshots and the write events that age them.
type batcher struct {
	mu  sync.Mutex
	seq int64 // orders listing starts and write completions
	// lastWrite is the seq of the latest completed write; writing counts running ones.
	lastWrite int64
	writing   int
	state     [numListKeys]listState
}

type listState struct {
	reads int // batched reads of this kind so far
	// pages is what a full listing costs, once a listing learned it (0: unknown): a
	// listing that stopped early is started again once reads reach it.
	pages int
	cur   *snapshot
}

// snapshot is one listing, filled before done closes.
type snapshot struct {
	start   int64
	started time.Time
	done    chan struct{}

	certs    map[int64]Certificate
	orders   map[string]Order
	complete bool // every page read: an absence is evidence
	stopped  bool // ended early by the cost rule (not by the server)
	err      error
}

func (b *batcher) writeBegin() {
	b.mu.Lock()
	b.writing++
	b.mu.Unlock()
}

func (b *batcher) writeEnd() {
	b.mu.Lock()
	b.writing--
	b.seq++
	b.lastWrite = b.seq
	b.mu.Unlock()
}

// usable: no write completed since s started, none running. Call with b.mu held.
func (b *batcher) usable(s *snapshot) bool {
	return s.start > b.lastWrite && b.writing == 0
}

// shared returns the snapshot a batched read of key may use, or nil when the read goes
// per item. fetch fills a new snapshot (in the caller's goroutine; others wait for it).
func (c *Client) shared(ctx context.Context, key listKey, fetch func(ctx context.Context, s *snapshot)) *snapshot {
	b := &c.batch
	if !c.cfg.BatchReads {
		return nil
	}
	// now is taken under the lock: read before it, a read that waited for the lock would
	// find a listing started after its now, and take it for one from a clock gone back.
	b.mu.Lock()
	now := c.cfg.Now()
	st := &b.state[key]
	st.reads++
	s := st.cur
	if s != nil && (!b.usable(s) || now.Sub(s.started) > snapshotMaxAge || now.Before(s.started)) {
		s = nil
	}
	if s != nil && s.stopped && st.pages > 0 && st.reads >= st.pages && isDone(s) {
		s = nil // the reads now pay for the whole listing
	}
	if s == nil && (st.reads < 2 || st.pages > 0 && st.reads < st.pages) {
		b.mu.Unlock()
		return nil
	}
	if s == nil {
		b.seq++
		s = &snapshot{start: b.seq, started: now, done: make(chan struct{})}
		st.cur = s
		b.mu.Unlock()
		fetch(ctx, s)
		close(s.done)
	} else {
		b.mu.Unlock()
		select {
		case <-s.done:
		case <-ctx.Done():
			return nil
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.err != nil || !b.usable(s) {
		return nil
	}
	return s
}

func isDone(s *snapshot) bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// decide is the cost rule of a paged listing of key: go on while the reads so far are at
// least the pages still needed. Without a total, page by page while the reads are at least
// the pages read with the next one; a stop then asks for twice that before the next listing.
func (c *Client) decide(key listKey, s *snapshot) pageDecision {
	return func(fetched int, total int64, counted bool, served int) bool {
		b := &c.batch
		b.mu.Lock()
		defer b.mu.Unlock()
		st := &b.state[key]
		need := fetched + 1
		if counted && served > 0 {
			full := int((total + int64(served) - 1) / int64(served))
			st.pages = max(full, fetched+1)
			need = st.pages - fetched
		}
		if st.reads >= need {
			return true
		}
		s.stopped = true
		if !counted {
			st.pages = 2 * (fetched + 1)
		}
		return false
	}
}

// ReadCertificateBatched is ReadCertificate for a refresh: from a shared listing when one may serve
// ref (see above), else per certificate. Only references with a kind and, for API 2.0
// kinds, a name are batched.
func (c *Client) ReadCertificateBatched(ctx context.Context, ref CertificateRef) (*Certificate, error) {
	var key listKey
	switch {
	case ref.Kind == KindExternal:
		key = listV1
	case ref.Kind == KindCloud && ref.Name != "" && c.SupportsV2():
		key = listV2Cloud
	case ref.Kind == KindAdvanced && ref.Name != "" && c.SupportsV2():
		key = listV2All
	default:
		return c.ReadCertificate(ctx, ref)
	}
	s := c.shared(ctx, key, func(ctx context.Context, s *snapshot) { c.fillCertificates(ctx, key, s) })
	if s != nil {
		cert, found := s.certs[ref.No]
		if found && (key == listV1 || cert.Name == ref.Name) {
			return &cert, nil
		}
		if s.complete {
			return nil, &APIError{Operation: listOps[key], HTTPStatus: http.StatusOK, Code: codeNotFound,
				Message: fmt.Sprintf("No certificate was found. (certificateNo %d is not in the complete list)", ref.No)}
		}
	}
	return c.ReadCertificate(ctx, ref)
}

var listOps = [numListKeys]string{opGetCertificateList, opListCertificates, opListCloudCertificates, opListOrders}

// fillCertificates lists key's certificates into s.
func (c *Client) fillCertificates(ctx context.Context, key listKey, s *snapshot) {
	var certs []Certificate
	switch key {
	case listV1:
		certs, s.complete, s.err = c.listV1All(ctx)
	case listV2Cloud:
		certs, s.complete, s.err = c.listPagesUntil(ctx, opListCloudCertificates, "/api/v2/certificate/getCertificates", "", c.decide(key, s))
	default:
		certs, s.complete, s.err = c.listPagesUntil(ctx, opListCertificates, "/api/v2/certificate/certificates", "", c.decide(key, s))
	}
	s.certs = make(map[int64]Certificate, len(certs))
	for _, cert := range certs {
		s.certs[cert.No] = cert
	}
}

// listV1All is v1 getCertificateList without a filter: every certificate (v1 does not
// page). Complete unless a totalRows says there are more than listed.
func (c *Client) listV1All(ctx context.Context) ([]Certificate, bool, error) {
	var resp listResponse
	_, err := c.do(ctx, call{op: opGetCertificateList, method: http.MethodGet, path: "/api/v1/certificates", query: url.Values{}, needList: true}, &resp)
	if err != nil {
		if hasCode(err, codeNotFound) || hasCode(err, codeNoCertExists) {
			return []Certificate{}, true, nil
		}
		return nil, false, err
	}
	certs := resp.SSLCertificateList.certificates()
	total, counted := resp.grandTotal(len(certs))
	return certs, !counted || total <= int64(len(certs)), nil
}

// ReadOrderBatched is GetOrder for a refresh: from a shared ListOrders listing when one
// may serve it, else GetOrder. An order missing from a listing is read with GetOrder: only
// that answer says an order is gone (its loss makes the next plan propose a paid order).
func (c *Client) ReadOrderBatched(ctx context.Context, orderID string) (*Order, error) {
	if c.SupportsV2() {
		s := c.shared(ctx, listOrdersAll, c.fillOrders)
		if s != nil {
			// An item without certificates (ListOrders documents none) is asked again.
			if o, found := s.orders[orderID]; found && len(o.Certificates) > 0 {
				return &o, nil
			}
		}
	}
	return c.GetOrder(ctx, orderID)
}

func (c *Client) fillOrders(ctx context.Context, s *snapshot) {
	s.orders = map[string]Order{}
	s.complete, s.err = c.pagesUntil(ctx, opListOrders, "/api/v2/certificate/orders", nil,
		func() pageAnswer { return &ordersResponse{} },
		func(p pageAnswer, i int) {
			o := p.(*ordersResponse).Orders.items[i].order()
			if prior, found := s.orders[o.ID]; found {
				o.Certificates = append(prior.Certificates, o.Certificates...)
			}
			s.orders[o.ID] = o
		}, c.decide(listOrdersAll, s))
}
