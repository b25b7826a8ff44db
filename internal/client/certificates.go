package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Operation names exactly as the API doc titles them; used in errors and logs.
const (
	opGetCertificateList          = "getCertificateList"
	opCreateExternalCertificate   = "createExternalCertificate"
	opDeleteCertificate           = "deleteCertificate"
	opRegisterExternalCertificate = "RegisterExternalCertificate"
	opGetCertificateChain         = "GetCertificateChain"
	opDeleteCertificateV2         = "DeleteCertificate"
	opListCertificates            = "ListCertificates"
	opListCloudCertificates       = "ListCloudCertificates"
	listPageSize                  = 100 // the largest page the service serves (API doc §8)
)

// ListFilter filters v1 getCertificateList server-side.
type ListFilter struct {
	Name       string
	No         int64
	InstanceNo int64
}

// GetCertificateList is v1 getCertificateList. Not-found (2200 or 1006, or "0" with the
// list field present and empty) yields an empty slice and a nil error; an answer without
// the list field is an error (API doc §8: only the service's envelope is evidence).
func (c *Client) GetCertificateList(ctx context.Context, f ListFilter) ([]Certificate, error) {
	q := url.Values{}
	if f.Name != "" {
		q.Set("certificateName", f.Name)
	}
	if f.No != 0 {
		q.Set("certificateNo", strconv.FormatInt(f.No, 10))
	}
	if f.InstanceNo != 0 {
		q.Set("instanceNo", strconv.FormatInt(f.InstanceNo, 10))
	}
	var resp listResponse
	_, err := c.do(ctx, call{op: opGetCertificateList, method: http.MethodGet, path: "/api/v1/certificates", query: q, needList: true}, &resp)
	if err != nil {
		if hasCode(err, codeNotFound) || hasCode(err, codeNoCertExists) {
			return []Certificate{}, nil
		}
		return nil, err
	}
	return resp.SSLCertificateList.certificates(), nil
}

// GetCertificate reads a certificate whose kind is not known by number:
// ReadCertificate with KindAny (v1 by number, then v2 when v1 does not have it).
func (c *Client) GetCertificate(ctx context.Context, no int64) (*Certificate, error) {
	return c.ReadCertificate(ctx, CertificateRef{No: no})
}

// getCertificateV1 is one v1 getCertificateList request filtered by number; a missing
// certificate returns an *APIError for which IsNotFound is true. When the service answers
// "0" with no matching item, the error is synthesised with code 2200 ("No certificate was
// found."), the code the service documents for this case.
func (c *Client) getCertificateV1(ctx context.Context, no int64) (*Certificate, error) {
	certs, err := c.GetCertificateList(ctx, ListFilter{No: no})
	if err != nil {
		return nil, err
	}
	// Match by number: a server that ignored the filter must not hand back another certificate.
	for i := range certs {
		if certs[i].No == no {
			return &certs[i], nil
		}
	}
	return nil, &APIError{
		Operation:  opGetCertificateList,
		HTTPStatus: http.StatusOK,
		Code:       codeNotFound,
		Message:    fmt.Sprintf("No certificate was found. (certificateNo %d)", no),
	}
}

// FindCertificateByName looks a name up (v1, filtered server-side); nil, nil when absent.
// A v1 may list external certificates only: FindCertificate looks other kinds up.
// Only an exact name match counts, whatever the server's filter semantics.
func (c *Client) FindCertificateByName(ctx context.Context, name string) (*Certificate, error) {
	certs, err := c.GetCertificateList(ctx, ListFilter{Name: name})
	if err != nil {
		return nil, err
	}
	return withExactName(certs, name), nil
}

// withExactName is the certificate named exactly name, or nil: a server's name filter may
// match more loosely than equality.
func withExactName(certs []Certificate, name string) *Certificate {
	for i := range certs {
		if certs[i].Name == name {
			return &certs[i]
		}
	}
	return nil
}

// GetCertificateChain is v2 GetCertificateChain.
func (c *Client) GetCertificateChain(ctx context.Context, no int64) (*CertificateChain, error) {
	var w wireChain
	path := "/api/v2/certificate/exportCertificate/" + strconv.FormatInt(no, 10) + "/chain"
	if _, err := c.do(ctx, call{op: opGetCertificateChain, method: http.MethodGet, path: path}, &w); err != nil {
		return nil, err
	}
	return &CertificateChain{
		SubjectCommonName: string(w.SubjectCommonName),
		Certificate:       string(w.Certificate),
		SubCACertificate:  string(w.SubCACertificate),
		RootCACertificate: string(w.RootCACertificate),
	}, nil
}

// DeleteCertificate is v1 deleteCertificate (idempotent: retried on uncertain failures; a
// certificate already gone after a retry is success). Not found on the first attempt → IsNotFound.
func (c *Client) DeleteCertificate(ctx context.Context, no int64, name string) error {
	return c.deleteCertificate(ctx, opDeleteCertificate, "/api/v1/certificate/"+strconv.FormatInt(no, 10), name)
}

// DeleteCertificateV2 is v2 DeleteCertificate, same semantics as DeleteCertificate.
func (c *Client) DeleteCertificateV2(ctx context.Context, no int64, name string) error {
	return c.deleteCertificate(ctx, opDeleteCertificateV2, "/api/v2/certificate/deleteCertificate/"+strconv.FormatInt(no, 10), name)
}

func (c *Client) deleteCertificate(ctx context.Context, op, path, name string) error {
	q := url.Values{"certificateName": {name}}
	attempts, err := c.do(ctx, call{op: op, method: http.MethodDelete, path: path, query: q}, nil)
	if err != nil && IsNotFound(err) && attempts > 1 {
		return nil // an earlier attempt whose answer was lost deleted it
	}
	return err
}

// ListCertificates is v2 ListCertificates (every certificate of the account) over all pages
// (pageSize 100), optional name filter (sent to the server, and applied exactly here in
// case the server matches loosely).
func (c *Client) ListCertificates(ctx context.Context, name string) ([]Certificate, error) {
	return c.listPages(ctx, opListCertificates, "/api/v2/certificate/certificates", name)
}

// ListCloudCertificates is v2 ListCloudCertificates (the console's Cloud certificate list:
// external, Cloud Basic and Global Edge), with the paging and filtering of ListCertificates.
func (c *Client) ListCloudCertificates(ctx context.Context, name string) ([]Certificate, error) {
	return c.listPages(ctx, opListCloudCertificates, "/api/v2/certificate/getCertificates", name)
}

// listPages pages through a v2 certificate list (same query and answer shape for all).
func (c *Client) listPages(ctx context.Context, op, path, name string) ([]Certificate, error) {
	all, _, err := c.listAllPages(ctx, op, path, name)
	return all, err
}

// listAllPages is listPages, also reporting whether every page was read (see pages).
func (c *Client) listAllPages(ctx context.Context, op, path, name string) ([]Certificate, bool, error) {
	return c.listPagesUntil(ctx, op, path, name, nil)
}

// listPagesUntil is listAllPages, asking more before each further page (see pages).
func (c *Client) listPagesUntil(ctx context.Context, op, path, name string, more pageDecision) ([]Certificate, bool, error) {
	all := []Certificate{}
	var filter url.Values
	if name != "" {
		filter = url.Values{"certificateName": {name}}
	}
	complete, err := c.pagesUntil(ctx, op, path, filter, func() pageAnswer { return &listResponse{} }, func(p pageAnswer, i int) {
		cert := p.(*listResponse).SSLCertificateList.items[i].certificate()
		if name == "" || cert.Name == name {
			all = append(all, cert)
		}
	}, more)
	if err != nil {
		return nil, false, err
	}
	return all, complete, nil
}

// pageAnswer is one decoded page of a v2 list.
type pageAnswer interface {
	listHolder
	// keys identifies the page's items, in order (for the no-progress guard).
	keys() []string
	// grandTotal is the number of items over all pages, when the answer says.
	grandTotal(pageItems int) (int64, bool)
}

func (r *listResponse) keys() []string {
	out := make([]string, len(r.SSLCertificateList.items))
	for i := range r.SSLCertificateList.items {
		out[i] = strconv.FormatInt(r.SSLCertificateList.items[i].CertificateNo.v, 10)
	}
	return out
}

// eachPage is the shared pager of the v2 lists (page 1-based, pageSize 100, plus filter):
// keep sees every item i of a page that no earlier item had the key of.
//
// Paging stops when totalCount items are collected, or — without a count — when a page is
// shorter than the server's page size (the largest page seen: a server may serve smaller
// pages than asked, API doc §8, so a short first page proves nothing); in any case on an
// empty page or one that adds no new item, which guards against a server that ignores
// `page`. A 2200 on the first page is an empty list.
func (c *Client) eachPage(ctx context.Context, op, path string, filter url.Values, fresh func() pageAnswer, keep func(p pageAnswer, i int)) error {
	_, err := c.pages(ctx, op, path, filter, fresh, keep)
	return err
}

// pages is eachPage, also reporting whether the listing is provably complete, which a
// "not in the list" conclusion needs (API doc §8): the count was reached, or, without a
// count, a page came back short or empty. A stop on a page that adds nothing new while a
// count says more exist, or on a full page repeated (a server ignoring `page`), is not.
func (c *Client) pages(ctx context.Context, op, path string, filter url.Values, fresh func() pageAnswer, keep func(p pageAnswer, i int)) (bool, error) {
	return c.pagesUntil(ctx, op, path, filter, fresh, keep, nil)
}

// pagesUntil is pages, asking more, when set, before each further page whether to go on (a
// batched listing weighs the pages left against the reads they replace); a "no" ends the
// listing incomplete.
func (c *Client) pagesUntil(ctx context.Context, op, path string, filter url.Values, fresh func() pageAnswer, keep func(p pageAnswer, i int), more pageDecision) (bool, error) {
	seen := map[string]bool{}
	served := 0 // the largest page the server has answered with
	for page := 1; ; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(listPageSize)}}
		for k, v := range filter {
			q[k] = v
		}
		resp := fresh()
		_, err := c.do(ctx, call{op: op, method: http.MethodGet, path: path, query: q, needList: true}, resp)
		if err != nil {
			if page == 1 && hasCode(err, codeNotFound) {
				return true, nil
			}
			return false, err
		}
		keys := resp.keys()
		added := 0
		for i, k := range keys {
			if seen[k] {
				continue
			}
			seen[k] = true
			added++
			keep(resp, i)
		}
		total, counted := resp.grandTotal(len(keys))
		short := len(keys) < served
		served = max(served, len(keys))
		reached := counted && int64(len(seen)) >= total
		switch {
		case len(keys) == 0:
			return reached || !counted, nil
		case added == 0:
			return reached, nil
		case reached:
			return true, nil
		case !counted && short:
			return true, nil
		}
		if more != nil && !more(page, total, counted, served) {
			return false, nil
		}
	}
}

// pageDecision says whether a listing that has read fetched pages goes on; total is the
// grand total when counted, served the largest page the server has answered with.
type pageDecision func(fetched int, total int64, counted bool, served int) bool
