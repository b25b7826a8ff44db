package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// poller spaces the polls of a waiter: it starts at PollInterval and grows ×1.5 per wait up
// to its cap (a cap of PollInterval keeps it constant). The one place waiters sleep.
type poller struct{ next, cap time.Duration }

func (c *Client) newPoller(capInterval time.Duration) *poller {
	return &poller{next: c.cfg.PollInterval, cap: max(capInterval, c.cfg.PollInterval)}
}

// interval is the wait the next call to wait sleeps.
func (p *poller) interval() time.Duration { return p.next }

// wait sleeps the current interval, or until ctx ends, and grows the next one.
func (p *poller) wait(ctx context.Context) error { return sleep(ctx, p.advance()) }

// advance returns the current interval and grows the next one.
func (p *poller) advance() time.Duration {
	d := p.next
	p.next = min(p.next*3/2, p.cap)
	return d
}

// WaitFor calls check every PollInterval until it reports done, returns an error, or ctx ends
// (then it returns the last check error or ctx.Err() wrapped with what it waited for).
func (c *Client) WaitFor(ctx context.Context, what string, check func(ctx context.Context) (done bool, err error)) error {
	return c.waitFor(ctx, what, c.cfg.PollInterval, check)
}

// waitFor is WaitFor with the interval growing ×1.5 per poll up to capInterval.
func (c *Client) waitFor(ctx context.Context, what string, capInterval time.Duration, check func(ctx context.Context) (done bool, err error)) error {
	p := c.newPoller(capInterval)
	for {
		done, err := check(ctx)
		if done && err == nil {
			return nil
		}
		if ctx.Err() != nil {
			// A check cut short by the deadline says more than the bare ctx error.
			if err == nil {
				err = ctx.Err()
			}
			return fmt.Errorf("gave up waiting for %s: %w", what, err)
		}
		if err != nil {
			return err
		}
		tflog.Debug(ctx, "Waiting", map[string]any{"for": what, "poll_interval": p.interval().String()})
		if err := p.wait(ctx); err != nil {
			return fmt.Errorf("gave up waiting for %s: %w", what, err)
		}
	}
}

// DeleteCertificateWhenUnused is DeleteWhenUnused for a certificate of unknown kind.
func (c *Client) DeleteCertificateWhenUnused(ctx context.Context, no int64, name string) error {
	return c.DeleteWhenUnused(ctx, CertificateRef{No: no, Name: name})
}

// DeleteWhenUnused deletes a certificate, retrying every PollInterval while the service
// answers "in use", until ctx ends; then it returns an *InUseError naming the instances (or
// saying they are unknown). A certificate already gone is success (nil).
//
// External certificates are deleted through v1, the others through v2 DeleteCertificate (a
// v1 may delete external certificates only, API doc §8). Of unknown kind, v1 is tried first;
// its "not found" is believed only once a read (ReadCertificate, which asks v2 too) agrees,
// and a certificate found there is deleted through v2.
//
// 1004 also means "name and number do not match", so the certificate is read after each
// 1004: while it still exists under this name, the 1004 is "in use" and waited out, whether
// or not the answer lists instances (API doc §8 allows it not to); under another name, the
// 1004 is returned.
func (c *Client) DeleteWhenUnused(ctx context.Context, ref CertificateRef) error {
	var inUse *InUseError
	p := c.newPoller(c.cfg.PollInterval) // a person detaches it: no reason to slow down
	for {
		err := c.deleteOnce(ctx, ref)
		if IsNotFound(err) && ref.Kind == KindAny && c.SupportsV2() {
			cert, rerr := c.ReadCertificate(ctx, ref)
			switch {
			case IsNotFound(rerr):
				return nil
			case rerr != nil:
				return fmt.Errorf("%w (reading the certificate afterwards failed: %w)", err, rerr)
			case KindOf(cert) == KindAny || KindOf(cert) == KindExternal:
				return err
			}
			ref.Kind = KindOf(cert) // listed by v2 only: delete it there
			continue
		}
		switch {
		case err == nil, IsNotFound(err):
			return nil
		case ctx.Err() != nil && inUse != nil:
			return inUse
		case !hasCode(err, codeInUse):
			return err
		}
		cert, gerr := c.ReadCertificate(ctx, ref)
		switch {
		case IsNotFound(gerr):
			return nil
		case gerr != nil && ctx.Err() != nil && inUse != nil:
			return inUse
		case gerr != nil:
			return fmt.Errorf("%w (reading the certificate afterwards failed: %w)", err, gerr)
		case cert.Name != "" && cert.Name != ref.Name:
			return err // the name and number do not match
		}
		inUse = &InUseError{CertificateNo: ref.No, InstanceNos: cert.UsedInstanceNos, Err: err}
		tflog.Debug(ctx, "Certificate still in use; waiting before deleting again", map[string]any{
			"certificate_no": ref.No, "used_instance_nos": fmt.Sprint(cert.UsedInstanceNos),
			"instances_known": cert.UsedInstanceNosKnown, "poll_interval": p.interval().String(),
		})
		if p.wait(ctx) != nil {
			return inUse
		}
	}
}

// deleteOnce sends the delete of the API that lists the certificate's kind.
func (c *Client) deleteOnce(ctx context.Context, ref CertificateRef) error {
	if ref.Kind == KindCloud || ref.Kind == KindAdvanced {
		return c.DeleteCertificateV2(ctx, ref.No, ref.Name)
	}
	return c.DeleteCertificate(ctx, ref.No, ref.Name)
}

// WaitForCertificate reads certificate no (of unknown kind: see WaitForCertificateRef) until done reports it finished,
// polling at PollInterval and backing off ×1.5 per poll up to PollIntervalMax, until ctx
// ends (the resource's timeout). After each read:
//   - done finished → the certificate; done's error → that error;
//   - a terminal status (IsTerminalStatus) done did not accept → *TerminalStatusError with
//     the service's failReason;
//   - not found (IsNotFound) → that error at once: a deleted certificate never turns up;
//   - a transient read error (no answer, throttling, 5xx after the transport's own
//     retries) → logged and polled again; another error → returned at once.
//
// When ctx ends it returns the last certificate read (or nil) and an error wrapping
// ctx.Err() and, when the last read failed, that error too. A nil done waits for issuance.
func (c *Client) WaitForCertificate(ctx context.Context, no int64, done func(*Certificate) (finished bool, err error)) (*Certificate, error) {
	return c.WaitForCertificateRef(ctx, CertificateRef{No: no}, done)
}

// WaitForCertificateRef is WaitForCertificate by reference. After the first read every poll
// uses the certificate's own reference, so a non-external certificate is polled through v2
// (its status from the v2 labels), one request per poll.
func (c *Client) WaitForCertificateRef(ctx context.Context, ref CertificateRef, done func(*Certificate) (finished bool, err error)) (*Certificate, error) {
	no := ref.No
	if done == nil {
		done = func(cert *Certificate) (bool, error) { return cert.Issued(), nil }
	}
	p := c.newPoller(c.cfg.PollIntervalMax)
	var last *Certificate
	var lastErr error
	for {
		cert, err := c.ReadCertificate(ctx, ref)
		switch {
		case err == nil:
			last, lastErr = cert, nil
			if ref.Kind == KindAny && KindOf(cert) != KindAny {
				ref = cert.Ref()
			}
			finished, derr := done(cert)
			if derr != nil || finished {
				return cert, derr
			}
			if cert.Terminal() {
				return cert, &TerminalStatusError{No: no, Status: cert.Status(), Code: cert.StatusCode, Reason: cert.FailReason}
			}
		case IsNotFound(err):
			return nil, err
		case ctx.Err() != nil:
			// Cut short by the deadline: the error before it says more.
		case !isTransient(err):
			return last, err
		default:
			lastErr = err
			tflog.Warn(ctx, "Reading the certificate failed; trying again while waiting", map[string]any{
				"certificate_no": no, "error": err.Error(), "poll_interval": p.interval().String()})
		}
		if ctx.Err() == nil {
			fields := map[string]any{"certificate_no": no, "poll_interval": p.interval().String()}
			if last != nil {
				fields["status"] = last.Status()
			}
			tflog.Debug(ctx, "Waiting for the certificate", fields)
		}
		if p.wait(ctx) != nil {
			return last, gaveUp(ctx, no, last, lastErr)
		}
	}
}

// WaitForIssued is WaitForCertificate until the certificate is issued (IsIssuedStatus).
func (c *Client) WaitForIssued(ctx context.Context, no int64) (*Certificate, error) {
	return c.WaitForCertificate(ctx, no, nil)
}

func gaveUp(ctx context.Context, no int64, last *Certificate, lastErr error) error {
	what := fmt.Sprintf("certificate %d", no)
	if last != nil {
		what += " (last status " + last.Status() + ")"
	}
	if lastErr != nil {
		return fmt.Errorf("gave up waiting for %s: %w (last error: %w)", what, ctx.Err(), lastErr)
	}
	return fmt.Errorf("gave up waiting for %s: %w", what, ctx.Err())
}

// isTransient: a read error worth trying again later: no answer at all (the transport has
// already retried it), throttling, or a server error. A refusal, an auth failure or an
// answer that is not the service's will not heal by waiting.
func isTransient(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return true
	}
	return IsThrottled(err) || e.HTTPStatus >= http.StatusInternalServerError
}
