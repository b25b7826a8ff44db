package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
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

// registerSafely sends a registration POST and, when the answer is lost or refused, checks
// what holds the name (or the number, for a renewal) before deciding to adopt, fail or send
// again. The POST itself is only retried by the transport when it provably did not reach
// the service.
func (c *Client) registerSafely(ctx context.Context, cl call, in ExternalCertificateInput) (*Certificate, error) {
	sawUncertain := false // an attempt of this very call may have landed
	started := c.cfg.Now()
	for resend := 0; ; resend++ {
		var resp listResponse
		_, err := c.do(ctx, cl, &resp)
		if err == nil {
			return c.registered(ctx, cl.op, resp.SSLCertificateList.certificates(), in)
		}
		if ctx.Err() != nil {
			return nil, err
		}
		uncertain := IsUncertain(err)
		if !uncertain && (in.No != 0 || !isServiceCode(err)) {
			return nil, err // auth, forbidden, throttled after retries, or a refused renewal
		}
		sawUncertain = sawUncertain || uncertain

		found, lerr := c.lookUp(ctx, in)
		if lerr != nil {
			return nil, fmt.Errorf("%w (checking for the certificate afterwards failed too: %w)", err, lerr)
		}
		if found != nil {
			same := compareSerial(found, in.SerialNumber) == serialSame
			switch {
			case in.No != 0 && same:
				return found, nil // the renewal landed
			case in.No == 0 && same && sawUncertain && found.RegisteredSince(c.ServiceTime(started)):
				tflog.Info(ctx, "Adopted the certificate this create registered before its answer was lost",
					map[string]any{"operation": cl.op, "certificate_no": found.No})
				return found, nil
			case in.No == 0:
				return nil, &NameInUseError{Operation: cl.op, Name: in.Name, Existing: *found, SameMaterial: same, Err: definite(err)}
			}
		}
		if !uncertain {
			return nil, err // a definite refusal and nothing registered under the name
		}
		if resend >= c.cfg.MaxRetries {
			return nil, err
		}
		tflog.Debug(ctx, "Earlier attempt did not register the certificate; sending it again",
			map[string]any{"operation": cl.op, "resend": resend + 1})
		if serr := sleep(ctx, c.operationBackoff(resend)); serr != nil {
			return nil, err
		}
	}
}

// definite drops an *UncertainError: once the name is found taken, the outcome is known.
func definite(err error) error {
	if IsUncertain(err) {
		return nil
	}
	return err
}

// clockSkew is how far the service's and our clocks may disagree (the gateway's window).
const clockSkew = 5 * time.Minute

// RegisteredSince reports whether the certificate provably was registered at or after t,
// a time on the service's clock known to within tolerance (see ServiceTime). Without a
// registration date nothing is proven.
func (c Certificate) RegisteredSince(t time.Time, tolerance time.Duration) bool {
	return !c.RegisteredAt.IsZero() && !c.RegisteredAt.Before(t.Add(-tolerance))
}

// lookUp reads the certificate a registration targets: by number for a renewal, by name
// otherwise. nil, nil when it is not there.
func (c *Client) lookUp(ctx context.Context, in ExternalCertificateInput) (*Certificate, error) {
	if in.No == 0 {
		return c.FindCertificateByName(ctx, in.Name)
	}
	cert, err := c.GetCertificate(ctx, in.No)
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
