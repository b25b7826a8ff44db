package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Kind says which API lists a certificate. API 1.0 may list (and delete) external
// certificates only (API doc §8), and its status values are undocumented, so a certificate
// whose kind is known to be another is read, looked up and deleted through API 2.0.
type Kind int

const (
	// KindAny: not known. Read through v1 first (by number, one request), then through v2
	// ListCertificates when v1 does not have it.
	KindAny Kind = iota
	// KindExternal: registered from outside; API 1.0.
	KindExternal
	// KindCloud: Cloud Basic or Global Edge; v2 ListCloudCertificates.
	KindCloud
	// KindAdvanced: Advanced DV/OV; v2 ListCertificates (flat, each item with its orderId).
	KindAdvanced
)

func (k Kind) String() string {
	switch k {
	case KindExternal:
		return "external"
	case KindCloud:
		return "cloud"
	case KindAdvanced:
		return "advanced"
	}
	return "any"
}

// KindOf is the kind of a certificate as listed.
func KindOf(c *Certificate) Kind {
	switch t := CertificateType(strings.ToUpper(strings.TrimSpace(c.Type))); {
	case c.External:
		return KindExternal
	case t == CloudBasic || t == GlobalEdge:
		return KindCloud
	case t == AdvancedDV || t == AdvancedOV:
		return KindAdvanced
	}
	return KindAny
}

// CertificateRef names a certificate for a read: its number, and when known its name and
// kind, which let a read of a non-external certificate be one v2 request.
type CertificateRef struct {
	No   int64
	Name string
	Kind Kind
}

// Ref is the reference that reads c again in one request.
func (c *Certificate) Ref() CertificateRef {
	return CertificateRef{No: c.No, Name: c.Name, Kind: KindOf(c)}
}

// ReadCertificate reads one certificate by reference. Not found (IsNotFound) only on the
// service's evidence: v1's 2200/1006 or empty list, or a v2 list read to its last page that
// does not hold the number.
//   - KindExternal: v1 getCertificateList by number (one request);
//   - KindCloud / KindAdvanced: ListCloudCertificates / ListCertificates, filtered by name
//     (one request for one page); without a name every page of it;
//   - KindAny: v1 by number; when v1 does not have it (a v1 that lists external
//     certificates only) and the site offers API 2.0, v2 ListCertificates by name, or
//     every page of it without one.
func (c *Client) ReadCertificate(ctx context.Context, ref CertificateRef) (*Certificate, error) {
	switch ref.Kind {
	case KindExternal:
		return c.getCertificateV1(ctx, ref.No)
	case KindCloud, KindAdvanced:
		return c.readV2(ctx, ref)
	}
	cert, err := c.getCertificateV1(ctx, ref.No)
	if !IsNotFound(err) || !c.SupportsV2() {
		return cert, err
	}
	return c.readV2(ctx, ref)
}

// readV2 finds number ref.No in the v2 list of ref.Kind (ListCertificates for KindAny).
func (c *Client) readV2(ctx context.Context, ref CertificateRef) (*Certificate, error) {
	certs, op, err := c.listKind(ctx, ref.Kind, ref.Name)
	if err != nil {
		return nil, err
	}
	for i := range certs {
		if certs[i].No == ref.No {
			return &certs[i], nil
		}
	}
	what := fmt.Sprintf("certificateNo %d", ref.No)
	if ref.Name != "" {
		what += fmt.Sprintf(" named %q", ref.Name)
	}
	// listKind read every page: the list's word is evidence.
	return nil, &APIError{Operation: op, HTTPStatus: http.StatusOK, Code: codeNotFound,
		Message: "No certificate was found. (" + what + " is not in the list)"}
}

// listKind lists the certificates of a kind through v2, filtered by name when given:
// ListCloudCertificates for KindCloud, ListCertificates (every type, flat, with orderId)
// for the others. A listing that is not provably complete is an error, never "absent".
func (c *Client) listKind(ctx context.Context, kind Kind, name string) ([]Certificate, string, error) {
	op, path := opListCertificates, "/api/v2/certificate/certificates"
	if kind == KindCloud {
		op, path = opListCloudCertificates, "/api/v2/certificate/getCertificates"
	}
	certs, complete, err := c.listAllPages(ctx, op, path, name)
	if err == nil && !complete {
		err = fmt.Errorf("%s: the service's pages ended before its totalCount, or repeated a full page: the list is incomplete, so it proves nothing about what it lacks", op)
	}
	return certs, op, err
}

// FindCertificate looks a name up among the certificates of a kind; nil, nil when absent.
// KindExternal asks v1; KindCloud and KindAdvanced their v2 list; KindAny v1, then v2
// ListCertificates when v1 has nothing under the name (a v1 that lists external
// certificates only) and the site offers API 2.0.
func (c *Client) FindCertificate(ctx context.Context, name string, kind Kind) (*Certificate, error) {
	var certs []Certificate
	var err error
	switch kind {
	case KindCloud, KindAdvanced:
		certs, _, err = c.listKind(ctx, kind, name)
	default:
		found, ferr := c.FindCertificateByName(ctx, name)
		if ferr != nil || found != nil || kind == KindExternal || !c.SupportsV2() {
			return found, ferr
		}
		certs, _, err = c.listKind(ctx, KindAny, name)
	}
	if err != nil {
		return nil, err
	}
	return withExactName(certs, name), nil
}
