package client

import (
	"context"
	"fmt"
	"net/http"
)

// ExternalCertificateInput registers (No == 0) or renews in place (No != 0) an external certificate.
type ExternalCertificateInput struct {
	No           int64 // v2 renewal target; 0 for a new registration
	Name         string
	PrivateKey   string // PEM
	Certificate  string // PEM leaf
	Chain        string // PEM chain
	SerialNumber string // serial of Certificate (any hex form): used to recognise our own earlier success
}

// CreateExternalCertificate is v1 createExternalCertificate, safe against lost responses
// and never taking what it did not create. When the outcome of an attempt is unknown
// (dropped connection after sending, 5xx), it looks the name up: a certificate there is
// adopted only if it has in.SerialNumber and was registered after this call began, i.e. it
// is this call's own lost success; absent, the POST is sent again (bounded by MaxRetries,
// with the retry backoff). Any other certificate holding the name, after a refusal or
// not, is a *NameInUseError. It never registers twice.
func (c *Client) CreateExternalCertificate(ctx context.Context, in ExternalCertificateInput) (*Certificate, error) {
	body := v1CreateBody{
		CertificateName:      in.Name,
		PrivateKey:           in.PrivateKey,
		PublicKeyCertificate: in.Certificate,
		CertificateChain:     in.Chain,
	}
	cl := call{op: opCreateExternalCertificate, method: http.MethodPost, path: "/api/v1/certificate/withExternal",
		body: body, masks: secretMasks(in.PrivateKey)}
	return c.registerSafely(ctx, cl, in)
}

// RegisterExternalCertificate is v2 withExternal. With in.No != 0 it renews in place; the
// same lost-response safety applies (after an uncertain failure it reads the certificate by
// number and accepts when the serial already equals in.SerialNumber, else sends again).
// HTTP 403 (sub-account keys) surfaces as an *APIError with HTTPStatus 403 (IsForbidden).
func (c *Client) RegisterExternalCertificate(ctx context.Context, in ExternalCertificateInput) (*Certificate, error) {
	body := v2RegisterBody{
		CertificateName:  in.Name,
		CertificateNo:    in.No,
		PrivateKey:       in.PrivateKey,
		CertificateBody:  in.Certificate,
		CertificateChain: in.Chain,
	}
	cl := call{op: opRegisterExternalCertificate, method: http.MethodPost, path: "/api/v2/certificate/withExternal",
		body: body, masks: secretMasks(in.PrivateKey)}
	return c.registerSafely(ctx, cl, in)
}

// serialVerdict compares a remote certificate with the one we sent.
type serialVerdict int

const (
	serialUnknown serialVerdict = iota // either side has no serial: cannot prove anything
	serialSame
	serialDifferent
)

func compareSerial(remote *Certificate, want string) serialVerdict {
	want = NormalizeSerial(want)
	if remote.SerialNumber == "" || want == "" {
		return serialUnknown
	}
	if remote.SerialNumber == want {
		return serialSame
	}
	return serialDifferent
}

// registerSafely is postSafely for registrations: the proof is the serial of the
// certificate sent (see postSafely for the rest).
func (c *Client) registerSafely(ctx context.Context, cl call, in ExternalCertificateInput) (*Certificate, error) {
	var resp listResponse
	adopted, err := c.postSafely(ctx, cl, &resp, createGuard{
		name:    in.Name,
		renewal: in.No != 0,
		lookUp:  func(ctx context.Context) (*Certificate, error) { return c.lookUp(ctx, in) },
		proof:   func(found *Certificate) bool { return compareSerial(found, in.SerialNumber) == serialSame },
	})
	if err != nil || adopted != nil {
		return adopted, err
	}
	return c.registered(ctx, cl.op, resp.SSLCertificateList.certificates(), in)
}

// lookUp reads the certificate a registration targets: by number for a renewal, by name
// otherwise. nil, nil when it is not there.
func (c *Client) lookUp(ctx context.Context, in ExternalCertificateInput) (*Certificate, error) {
	if in.No == 0 {
		return c.FindCertificateByName(ctx, in.Name)
	}
	cert, err := c.ReadCertificate(ctx, CertificateRef{No: in.No, Name: in.Name, Kind: KindExternal})
	if IsNotFound(err) {
		return nil, nil
	}
	return cert, err
}

// registered picks the new certificate out of a success answer, or reads it when the
// answer carried none (`{"returnCode":"0","totalRows":1}` has been seen).
func (c *Client) registered(ctx context.Context, op string, items []Certificate, in ExternalCertificateInput) (*Certificate, error) {
	for i := range items {
		if (in.No != 0 && items[i].No == in.No) || (in.No == 0 && items[i].Name == in.Name && items[i].No != 0) {
			return &items[i], nil
		}
	}
	found, err := c.lookUp(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("%s succeeded, but reading the certificate afterwards failed: %w", op, err)
	}
	if found == nil {
		return nil, fmt.Errorf("%s succeeded, but no certificate named %q could be found afterwards", op, in.Name)
	}
	if compareSerial(found, in.SerialNumber) == serialDifferent {
		return nil, fmt.Errorf("%s succeeded, but certificate %d named %q has serial %s instead of %s",
			op, found.No, found.Name, found.SerialNumber, NormalizeSerial(in.SerialNumber))
	}
	return found, nil
}
